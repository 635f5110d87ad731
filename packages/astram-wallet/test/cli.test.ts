import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deriveAccount, mnemonicSeed } from "astram-wallet";
import { describe, expect, it } from "vitest";
import { jsonError, type RunResult, runWallet, tempHome } from "./helpers/process.js";

// The built CLI as a real process, stdin piped (not a terminal): answers are lines of stdin.
const HARDHAT = "test test test test test test test test test test test junk";
const KEY0 = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const KEY1 = "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const PW = "password123";
const FAST = ["--scrypt-n", "1024"];

/** Every output of a run, for "the private key never appears" checks. */
const all = (r: RunResult) => r.stdout + r.stderr;

async function importHardhat(home: string): Promise<void> {
  const r = await runWallet(["import", ...FAST], { home, input: `${HARDHAT}\n${PW}\n` });
  expect(r.code, r.stderr).toBe(0);
}

describe("astram-wallet CLI (real process)", () => {
  it("--help shows every command and the settings precedence", async () => {
    const r = await runWallet(["--help"], { home: tempHome() });
    expect(r.code).toBe(0);
    for (const c of ["create", "import", "address", "balance", "send", "history", "export", "config"])
      expect(r.stdout).toContain(c);
    expect(r.stdout).toContain("defaults < config file < environment < flags");
    const send = await runWallet(["send", "--help"], { home: tempHome() });
    expect(send.stdout).toContain("--fee-rate");
    expect(send.stdout).toContain("--yes");
  });

  it("create: shows the phrase once, writes an encrypted 0600 keystore, refuses to overwrite", async () => {
    const home = tempHome();
    const r = await runWallet(["create", ...FAST, "--json"], { home, input: `${PW}\n` });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      wallet_path: string;
      address: string;
      mnemonic: string;
      path: string;
    };
    expect(out.wallet_path).toBe(join(home, ".Astram", "wallet.json"));
    expect(out.mnemonic.split(" ")).toHaveLength(12);
    expect(out.path).toBe("m/44'/60'/0'/0/0");
    expect(deriveAccount(mnemonicSeed(out.mnemonic), 0).address).toBe(out.address);
    expect(statSync(out.wallet_path).mode & 0o777).toBe(0o600);
    const file = readFileSync(out.wallet_path, "utf8");
    expect(JSON.parse(file)).toMatchObject({ version: 3, address: out.address.slice(2) });
    expect(file).not.toContain(out.mnemonic.split(" ")[0]! + " ");
    const key = Buffer.from(deriveAccount(out.mnemonic, 0).privateKey).toString("hex");
    expect(file).not.toContain(key);
    expect(all(r)).not.toContain(key);

    const again = await runWallet(["create", ...FAST], { home, input: `${PW}\n` });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already exists");
    expect(readFileSync(out.wallet_path, "utf8")).toBe(file);
    const json = await runWallet(["create", "--json"], { home, input: `${PW}\n` });
    expect(jsonError(json.stderr).code).toBe("WALLET_EXISTS");
  });

  it("create: human output, 24 words, and ASTRAM_WALLET_PASSWORD for scripts", async () => {
    const home = tempHome();
    const r = await runWallet(["create", ...FAST, "--words", "24"], {
      home,
      env: { ASTRAM_WALLET_PASSWORD: PW },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Recovery phrase");
    expect(r.stdout).toContain("shown only this once");
    const phrase = r.stdout
      .split("\n")
      .find((l) => l.startsWith("    "))!
      .trim();
    expect(phrase.split(" ")).toHaveLength(24);
    expect(r.stdout).toContain(`Address (account 0, m/44'/60'/0'/0/0): `);
    // The password works for later commands.
    const a = await runWallet(["export", "--yes"], { home, env: { ASTRAM_WALLET_PASSWORD: PW } });
    expect(a.stdout.trim()).toBe(`0x${Buffer.from(deriveAccount(phrase, 0).privateKey).toString("hex")}`);
  });

  it("create: weak password, missing input and bad options fail without writing anything", async () => {
    const home = tempHome();
    const wallet = join(home, ".Astram", "wallet.json");
    const weak = await runWallet(["create", ...FAST, "--json"], { home, input: "short\n" });
    expect(weak.code).toBe(1);
    expect(jsonError(weak.stderr)).toMatchObject({ code: "WEAK_PASSWORD" });
    const none = await runWallet(["create", ...FAST], { home });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("stdin ended while waiting for the new wallet password");
    const words = await runWallet(["create", "--words", "13"], { home, input: `${PW}\n` });
    expect(words.code).toBe(2);
    const scrypt = await runWallet(["create", "--scrypt-n", "1000"], { home, input: `${PW}\n` });
    expect(scrypt.code).toBe(2);
    expect(existsSync(wallet)).toBe(false);
  });

  it("import a phrase: MetaMask's addresses; address --index derives (asking the password once), then remembers", async () => {
    const home = tempHome();
    const r = await runWallet(["import", ...FAST, "--json"], { home, input: `${HARDHAT}\n${PW}\n` });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      address: "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266",
      checksum_address: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
      source: "mnemonic",
      path: "m/44'/60'/0'/0/0",
    });
    expect(r.stderr).toContain("Recovery phrase or private key:");
    expect(all(r)).not.toContain("junk");

    const a0 = await runWallet(["address"], { home });
    expect(a0.stdout.trim()).toBe("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    const a1 = await runWallet(["address", "--index", "1", "--json"], { home, input: `${PW}\n` });
    expect(a1.code, a1.stderr).toBe(0);
    expect(JSON.parse(a1.stdout)).toEqual({
      index: 1,
      address: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
      checksum_address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
      path: "m/44'/60'/0'/0/1",
    });
    // Now known without the password (stdin closed).
    const again = await runWallet(["address", "--index", "1"], { home });
    expect(again.stdout.trim()).toBe("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    const list = await runWallet(["address", "--count", "3"], { home, input: `${PW}\n` });
    expect(list.stdout).toContain("   2  0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC  m/44'/60'/0'/0/2");
    for (const res of [a0, a1, again, list]) {
      expect(all(res)).not.toContain(KEY0);
      expect(all(res)).not.toContain(KEY1);
    }
  });

  it("import a private key: one account, no phrase", async () => {
    const home = tempHome();
    const r = await runWallet(["import", ...FAST], { home, input: `0x${KEY1}\n${PW}\n` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("from a private key");
    expect(r.stdout).toContain("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    expect(all(r)).not.toContain(KEY1);
    const idx = await runWallet(["address", "--index", "1", "--json"], { home, input: `${PW}\n` });
    expect(idx.code).toBe(1);
    expect(jsonError(idx.stderr).code).toBe("NO_MNEMONIC");
    const m = await runWallet(["export", "--mnemonic", "--yes"], { home, input: `${PW}\n` });
    expect(m.stderr).toContain("imported from a private key");
  });

  it("import refuses a bad phrase or key and an existing wallet", async () => {
    const home = tempHome();
    const bad = await runWallet(["import", ...FAST, "--json"], {
      home,
      input: `${HARDHAT.replace("junk", "test")}\n${PW}\n`,
    });
    expect(jsonError(bad.stderr)).toMatchObject({ code: "BAD_MNEMONIC" });
    const key = await runWallet(["import", ...FAST], { home, input: `${"0".repeat(64)}\n${PW}\n` });
    expect(key.stderr).toContain("not a valid secp256k1 private key");
    await importHardhat(home);
    const exists = await runWallet(["import", ...FAST], { home, input: `${HARDHAT}\n${PW}\n` });
    expect(exists.code).toBe(1);
    expect(exists.stderr).toContain("refusing to overwrite");
  });

  it("export asks twice; only yes, yes and the right password print the key", async () => {
    const home = tempHome();
    await importHardhat(home);
    const no = await runWallet(["export"], { home, input: `n\ny\n${PW}\n` });
    expect(no.code).toBe(1);
    expect(no.stderr).toContain("Print the private key of account 0? [y/N]");
    expect(no.stderr).toContain("export cancelled");
    expect(all(no)).not.toContain(KEY0);
    const noSecond = await runWallet(["export"], { home, input: `y\nno\n${PW}\n` });
    expect(noSecond.code).toBe(1);
    expect(noSecond.stderr).toContain("Are you sure?");
    expect(all(noSecond)).not.toContain(KEY0);
    const wrong = await runWallet(["export"], { home, input: "y\ny\nnot-the-password\n" });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("wrong password");
    expect(all(wrong)).not.toContain(KEY0);
    const yes = await runWallet(["export"], { home, input: `y\nyes\n${PW}\n` });
    expect(yes.code, yes.stderr).toBe(0);
    expect(yes.stdout.trim()).toBe(`0x${KEY0}`);
    const j = await runWallet(["export", "--index", "1", "--json", "--yes"], { home, input: `${PW}\n` });
    expect(JSON.parse(j.stdout)).toMatchObject({
      index: 1,
      address: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
      private_key: `0x${KEY1}`,
    });
    const m = await runWallet(["export", "--mnemonic", "--yes"], {
      home,
      env: { ASTRAM_WALLET_PASSWORD: PW },
    });
    expect(m.stdout.trim()).toBe(HARDHAT);
  });

  it("a wrong password is a clear error with --json too", async () => {
    const home = tempHome();
    await importHardhat(home);
    const r = await runWallet(["address", "--index", "5", "--json"], {
      home,
      env: { ASTRAM_WALLET_PASSWORD: "nope nope" },
    });
    expect(r.code).toBe(1);
    expect(jsonError(r.stderr)).toEqual({
      code: "WRONG_PASSWORD",
      message: "wrong password (the keystore MAC does not match)",
    });
  });

  it("missing or corrupt wallet files are explained", async () => {
    const home = tempHome();
    const missing = await runWallet(["address"], { home });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`no wallet at ${join(home, ".Astram", "wallet.json")}`);
    const bad = join(home, "bad.json");
    writeFileSync(bad, "{}");
    const corrupt = await runWallet(["address", "--wallet", bad, "--json"], { home });
    expect(jsonError(corrupt.stderr)).toMatchObject({ code: "BAD_WALLET_FILE" });
  });

  it("config init | set | view, with --config and ASTRAM_WALLET_CONFIG", async () => {
    const home = tempHome();
    const init = await runWallet(["config", "init", "--json"], { home });
    expect(init.code, init.stderr).toBe(0);
    const path = join(home, ".Astram", "config.json");
    expect(JSON.parse(init.stdout)).toEqual({
      config_path: path,
      wallet_path: join(home, ".Astram", "wallet.json"),
      node_rpc_url: "http://127.0.0.1:19533",
      network: "mainnet",
    });
    expect((await runWallet(["config", "init"], { home })).stderr).toContain("--force");
    const set = await runWallet(["config", "set", "node_rpc_url", "http://127.0.0.1:29533"], { home });
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(readFileSync(path, "utf8")).node_rpc_url).toBe("http://127.0.0.1:29533");
    const view = await runWallet(["config", "view", "--json"], { home });
    expect(JSON.parse(view.stdout)).toMatchObject({
      node_rpc_url: "http://127.0.0.1:29533",
      sources: { node_rpc_url: "config", wallet_path: "config" },
    });
    const env = await runWallet(["config", "view", "--json", "--node", "http://10.1.1.1:1"], {
      home,
      env: { ASTRAM_NODE_RPC_URL: "http://10.2.2.2:2", ASTRAM_WALLET_PATH: "/tmp/x.json" },
    });
    expect(JSON.parse(env.stdout)).toMatchObject({
      node_rpc_url: "http://10.1.1.1:1",
      wallet_path: "/tmp/x.json",
      sources: { node_rpc_url: "flag", wallet_path: "env" },
    });
    const other = join(home, "elsewhere.json");
    const viaEnv = await runWallet(["config", "set", "wallet_path", "~/w2.json"], {
      home,
      env: { ASTRAM_WALLET_CONFIG: other },
    });
    expect(viaEnv.code).toBe(0);
    const viewOther = await runWallet(["config", "view", "--config", other, "--json"], { home });
    expect(JSON.parse(viewOther.stdout)).toMatchObject({
      config_path: other,
      wallet_path: join(home, "w2.json"),
    });
    const human = await runWallet(["config", "view"], { home });
    expect(human.stdout).toContain("node_rpc_url  http://127.0.0.1:29533  (config)");
    const unknown = await runWallet(["config", "set", "secret_key", "00"], { home });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown config key "secret_key"');
    const badUrl = await runWallet(["config", "set", "node_rpc_url", "localhost"], { home, env: {} });
    expect(badUrl.stderr).toContain("not");
  });

  it("bad addresses, amounts and fee rates are refused before anything else (exit 2)", async () => {
    const home = tempHome();
    const cases: [string[], string][] = [
      [["send", "0x1234", "1"], "BAD_ADDRESS"],
      [["send", "0x70997970c51812dc3a010C7d01b50e0d17dc79c8", "1"], "BAD_ADDRESS"], // wrong EIP-55 casing
      [["send", "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", "1.5e3"], "BAD_AMOUNT"],
      [["send", "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", "0"], "BAD_AMOUNT"],
      [["send", "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", "0.0000000000000000001"], "BAD_AMOUNT"],
      [["send", "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", "1", "--fee-rate", "100"], "BAD_FEE_RATE"],
      [["balance", "nonsense"], "BAD_ADDRESS"],
      [["address", "--index", "-1"], "BAD_INDEX"],
    ];
    for (const [args, code] of cases) {
      const r = await runWallet([...args, "--json"], { home });
      expect(r.code, args.join(" ")).toBe(2);
      expect(jsonError(r.stderr).code, args.join(" ")).toBe(code);
    }
    const usage = await runWallet(["send", "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"], { home });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("missing required argument");
    const unknown = await runWallet(["frobnicate"], { home });
    expect(unknown.code).toBe(2);
  });
});
