import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HDKey } from "@scure/bip32";
import { addressFromPrivateKey } from "astram-core";
import {
  basePathForCoinType,
  coinTypeForNetwork,
  deriveAccount,
  mnemonicSeed,
  parseCoinType,
} from "astram-wallet";
import { describe, expect, it } from "vitest";
import { jsonError, runWallet, tempHome } from "./helpers/process.js";

// Per-network keys (issue 15 item 6): the wallet's CLI as a real process.
const HARDHAT = "test test test test test test test test test test test junk";
const MAINNET_0 = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
const MAINNET_1 = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
const PW = "password123";
const FAST = ["--scrypt-n", "1024"];

/** Account `index` of the Hardhat phrase on m/44'/<coinType>'/0'/0, straight from @scure/bip32. */
function scureAddress(coinType: number, index: number): string {
  const key = HDKey.fromMasterSeed(mnemonicSeed(HARDHAT)).derive(`m/44'/${coinType}'/0'/0/${index}`);
  return addressFromPrivateKey(key.privateKey!);
}

async function importPhrase(home: string, args: string[] = []) {
  const r = await runWallet(["import", ...FAST, ...args], { home, input: `${HARDHAT}\n${PW}\n` });
  expect(r.code, r.stderr).toBe(0);
  return r;
}

const walletJson = (home: string) =>
  JSON.parse(readFileSync(join(home, ".Astram", "wallet.json"), "utf8")) as Record<string, unknown> & {
    "x-astram": Record<string, unknown>;
  };

describe("derivation per network", () => {
  it("coin type 60 on mainnet, 1 on testnet and devnet; paths and parsing", () => {
    expect(coinTypeForNetwork("mainnet")).toBe(60);
    expect(coinTypeForNetwork("testnet")).toBe(1);
    expect(coinTypeForNetwork("devnet")).toBe(1);
    expect(basePathForCoinType(1)).toBe("m/44'/1'/0'/0");
    expect(parseCoinType(" 60 ")).toBe(60);
    for (const bad of ["-1", "x", "1.5", "2147483648", ""])
      expect(() => parseCoinType(bad)).toThrow(/coin-type/);
  });

  it("coin type 1 gives other keys than coin type 60, as @scure/bip32 derives them", () => {
    const seed = mnemonicSeed(HARDHAT);
    const test0 = deriveAccount(seed, 0, basePathForCoinType(1));
    expect(test0.path).toBe("m/44'/1'/0'/0/0");
    expect(test0.address).toBe(scureAddress(1, 0));
    expect(test0.address).not.toBe(MAINNET_0);
    expect(deriveAccount(seed, 0).address).toBe(MAINNET_0);
    expect(() => deriveAccount(seed, 0, "m/0")).toThrow(/unsupported derivation path/);
  });
});

describe("astram-wallet keys per network (real process)", () => {
  it("--help names the per-network paths, --coin-type and the replay risk", async () => {
    const r = await runWallet(["--help"], { home: tempHome() });
    expect(r.stdout).toContain("m/44'/1'/0'/0/i (coin type 1) for testnet and devnet");
    expect(r.stdout).toContain("--coin-type 60 keeps the old mainnet path");
    expect(r.stdout).toContain("Astram signatures commit to no network or chain id");
    const create = await runWallet(["create", "--help"], { home: tempHome() });
    expect(create.stdout).toContain("--coin-type");
  });

  it("import --network test derives on coin type 1, records path and network, and says why", async () => {
    const home = tempHome();
    const r = await importPhrase(home, ["--network", "test"]);
    expect(r.stdout.toLowerCase()).toContain(scureAddress(1, 0));
    expect(r.stdout).toContain("Network testnet: keys on m/44'/1'/0'/0/i (coin type 1)");
    expect(r.stdout).toContain("nothing signed here can be replayed on mainnet");
    expect(r.stdout).toContain("Astram signatures commit to no network or chain id");
    expect(walletJson(home)["x-astram"]).toMatchObject({
      network: "testnet",
      derivation_path: "m/44'/1'/0'/0",
    });
    expect(`0x${walletJson(home).address}`).toBe(scureAddress(1, 0));

    // Account 1 is derived from the recorded path (the password unlocks the phrase).
    const one = await runWallet(["address", "--index", "1", "--json"], { home, input: `${PW}\n` });
    expect(JSON.parse(one.stdout)).toMatchObject({ address: scureAddress(1, 1), path: "m/44'/1'/0'/0/1" });
    const key = await runWallet(["export", "--index", "1", "--yes", "--json"], { home, input: `${PW}\n` });
    const exported = JSON.parse(key.stdout) as { private_key: string; address: string };
    expect(exported.address).toBe(scureAddress(1, 1));
  });

  it("create on devnet (ASTRAM_NETWORK) reports coin type 1 in JSON", async () => {
    const home = tempHome();
    const r = await runWallet(["create", ...FAST, "--json"], {
      home,
      input: `${PW}\n`,
      env: { ASTRAM_NETWORK: "dev" },
    });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { address: string; path: string; network: string; coin_type: number };
    expect(out).toMatchObject({ path: "m/44'/1'/0'/0/0", network: "devnet", coin_type: 1 });
    const mnemonic = (JSON.parse(r.stdout) as { mnemonic: string }).mnemonic;
    expect(deriveAccount(mnemonic, 0, "m/44'/1'/0'/0").address).toBe(out.address);
  });

  it("mainnet stays on MetaMask's path; --coin-type 60 on testnet keeps it, with a warning", async () => {
    const main = tempHome();
    const m = await importPhrase(main);
    expect(m.stdout.toLowerCase()).toContain(MAINNET_0);
    expect(walletJson(main)["x-astram"]).toMatchObject({
      network: "mainnet",
      derivation_path: "m/44'/60'/0'/0",
    });

    const same = tempHome();
    const s = await importPhrase(same, ["--network", "test", "--coin-type", "60"]);
    expect(s.stdout.toLowerCase()).toContain(MAINNET_0);
    expect(s.stdout).toContain("warning: coin type 60 is the default of mainnet");
  });

  it("a wallet file without a recorded path still derives on coin type 60, with a one-line notice", async () => {
    const home = tempHome();
    await importPhrase(home);
    const path = join(home, ".Astram", "wallet.json");
    const old = walletJson(home);
    delete old["x-astram"].derivation_path;
    delete old["x-astram"].network;
    writeFileSync(path, JSON.stringify(old));
    const r = await runWallet(["address", "--index", "1"], { home, input: `${PW}\n` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().toLowerCase()).toBe(MAINNET_1);
    const notices = r.stderr.split("\n").filter((l) => l.startsWith("notice:"));
    expect(notices).toEqual([
      expect.stringContaining("records no derivation path: it derives on m/44'/60'/0'/0"),
    ]);
  });

  it("warns when a wallet made for testnet is used with --network main", async () => {
    const home = tempHome();
    await importPhrase(home, ["--network", "test"]);
    const r = await runWallet(["address", "--network", "main"], { home });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("warning: this wallet was made for testnet; using its keys on mainnet too");
    const quiet = await runWallet(["address"], { home });
    expect(quiet.stderr).toBe("");
  });

  it("refuses a bad --coin-type (exit 2) and a wallet file with an unknown path shape", async () => {
    const home = tempHome();
    const bad = await runWallet(["import", ...FAST, "--coin-type", "abc", "--json"], {
      home,
      input: `${HARDHAT}\n${PW}\n`,
    });
    expect(bad.code).toBe(2);
    expect(jsonError(bad.stderr).code).toBe("BAD_COIN_TYPE");
    await importPhrase(home);
    const w = walletJson(home);
    w["x-astram"].derivation_path = "m/44'/60'/0'/1";
    writeFileSync(join(home, ".Astram", "wallet.json"), JSON.stringify(w));
    const r = await runWallet(["address", "--json"], { home });
    expect(r.code).toBe(1);
    expect(jsonError(r.stderr)).toMatchObject({ code: "BAD_WALLET_FILE" });
    expect(jsonError(r.stderr).message).toContain("unsupported derivation_path");
  });
});
