import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatAsrm, RAM_PER_ASRM } from "astram-core";
import { afterAll, describe, expect, it } from "vitest";
import { runWallet, tempHome } from "./helpers/process.js";

// End to end: the built wallet CLI against a real dev node (built astram-node, mining to the wallet).
const NODE_CLI = fileURLToPath(new URL("../../astram-node/dist/cli.js", import.meta.url));
const NODE_API = fileURLToPath(new URL("../../astram-node/dist/api/http-api.js", import.meta.url));
const apiAvailable = existsSync(NODE_CLI) && existsSync(NODE_API);
const PW = "correct horse battery";
const ASRM = RAM_PER_ASRM;

let node: ChildProcess | undefined;
afterAll(async () => {
  if (node && node.exitCode === null) {
    const exited = new Promise((r) => node!.once("exit", r));
    node.kill("SIGTERM");
    await exited;
  }
});

/** Starts `astram-node --network dev --mine` on ephemeral ports and resolves its HTTP API URL. */
function startDevNode(minerAddress: string, dataDir: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        NODE_CLI,
        ...["--network", "dev", "--mine", "--miner-address", minerAddress, "--threads", "1"],
        ...[
          "--http-port",
          "0",
          "--p2p-port",
          "0",
          "--rpc-port",
          "0",
          "--datadir",
          dataDir,
          "--log-level",
          "info",
        ],
      ],
      { stdio: ["ignore", "pipe", "pipe"], env: { PATH: process.env.PATH ?? "", HOME: dataDir } },
    );
    node = child;
    let buf = "";
    let err = "";
    child.stderr!.setEncoding("utf8").on("data", (d: string) => {
      err += d;
    });
    child.stdout!.setEncoding("utf8").on("data", (d: string) => {
      buf += d;
      for (const line of buf.split("\n")) {
        if (!line.includes("HTTP API and dashboard listening")) continue;
        resolve((JSON.parse(line) as { url: string }).url);
      }
      buf = buf.slice(buf.lastIndexOf("\n") + 1);
    });
    child.once("exit", (code) => reject(new Error(`astram-node exited with ${code}: ${err}`)));
  });
}

async function balanceOf(home: string, url: string, address: string): Promise<bigint> {
  const r = await runWallet(["balance", address, "--node", url, "--json"], { home });
  expect(r.code, r.stderr).toBe(0);
  return BigInt((JSON.parse(r.stdout) as { balance_ram: string }).balance_ram);
}

describe("end to end against a real dev node", () => {
  // Skipped (with this reason in its name) only when astram-node or its HTTP API is not built.
  it.skipIf(!apiAvailable)(
    "create a wallet, mine to it, send to a second wallet, see both balances after confirmation (needs astram-node dist with its HTTP API)",
    async () => {
      const home = tempHome();
      const env = { ASTRAM_WALLET_PASSWORD: PW };
      const walletB = join(home, "second-wallet.json");
      const a = await runWallet(["create", "--scrypt-n", "1024", "--json"], { home, input: `${PW}\n` });
      expect(a.code, a.stderr).toBe(0);
      const b = await runWallet(["create", "--scrypt-n", "1024", "--json", "--wallet", walletB], {
        home,
        env,
      });
      expect(b.code, b.stderr).toBe(0);
      const alice = (JSON.parse(a.stdout) as { address: string }).address;
      const bob = (JSON.parse(b.stdout) as { address: string }).address;

      const url = await startDevNode(alice, join(home, "node-data"));
      // Poll until the miner has paid the first wallet at least two block rewards.
      for (;;) {
        if ((await balanceOf(home, url, alice)) >= 16n * ASRM) break;
        await new Promise((r) => setTimeout(r, 250));
      }

      // Alice pays Bob 2.5 ASRM and waits for the block.
      const send = await runWallet(
        ["send", bob, "2.5", "--yes", "--wait", "--wait-timeout", "120", "--json", "--node", url],
        {
          home,
          env,
        },
      );
      expect(send.code, send.stderr).toBe(0);
      const sent = JSON.parse(send.stdout) as {
        txid: string;
        status: string;
        block_height: number;
        fee_ram: string;
        change_ram: string;
      };
      expect(sent.status).toBe("confirmed");
      expect(await balanceOf(home, url, bob)).toBe((25n * ASRM) / 10n);

      // The change came back to Alice as output 1 of the transaction.
      const utxos = (await (await fetch(`${url}/address/${alice}/utxos?limit=10000`)).json()) as {
        txid: string;
        vout: number;
        amount: string;
      }[];
      expect(utxos.find((u) => u.txid === sent.txid && u.vout === 1)?.amount).toBe(
        `0x${BigInt(sent.change_ram).toString(16)}`,
      );

      // Bob (who does not mine) pays 1 ASRM back: his balance is then exactly 2.5 - 1 - fee.
      const back = await runWallet(
        [
          "send",
          alice,
          "1",
          "--yes",
          "--wait",
          "--wait-timeout",
          "120",
          "--json",
          "--node",
          url,
          "--wallet",
          walletB,
        ],
        { home, env },
      );
      expect(back.code, back.stderr).toBe(0);
      const backFee = BigInt((JSON.parse(back.stdout) as { fee_ram: string }).fee_ram);
      expect(await balanceOf(home, url, bob)).toBe((25n * ASRM) / 10n - ASRM - backFee);

      // Bob's history shows both transactions, newest first.
      const h = await runWallet(["history", "--json", "--node", url, "--wallet", walletB], { home });
      const rows = (JSON.parse(h.stdout) as { transactions: { txid: string; net: string; status: string }[] })
        .transactions;
      expect(rows.map((r) => r.status)).toEqual(["confirmed", "confirmed"]);
      expect(rows[1]).toMatchObject({ txid: sent.txid, net: "2.5" });
      expect(rows[0]!.net).toBe(`-${formatAsrm(ASRM + backFee)}`);
    },
    180_000,
  );
});
