import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { decodeTransaction, formatAsrm, minFee, RAM_PER_ASRM, transactionSize, walletFee } from "astram-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { jsonError, type RunResult, runWallet, tempHome } from "./helpers/process.js";
import { StubNode } from "./helpers/stub-node.js";

// The built CLI as a real process against a stub of the node's HTTP API (isolated; the end-to-end
// test against a real dev node is e2e.test.ts).
const HARDHAT = "test test test test test test test test test test test junk";
const KEY0 = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const ME = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
const BOB = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
const BOB_CS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const PW = "password123";
const ASRM = RAM_PER_ASRM;

let stub: StubNode;
let home: string;
let url: string;

const wallet = (
  args: string[],
  opts: { input?: string; env?: Record<string, string> } = {},
): Promise<RunResult> => runWallet([...args, "--node", url], { home, ...opts });

beforeEach(async () => {
  stub = new StubNode();
  url = await stub.start();
  home = tempHome();
  const r = await runWallet(["import", "--scrypt-n", "1024"], { home, input: `${HARDHAT}\n${PW}\n` });
  expect(r.code, r.stderr).toBe(0);
});
afterEach(() => stub.stop());

describe("astram-wallet CLI against a node API stub", () => {
  it("balance: exact amounts beyond 2^53, human and --json, of any address", async () => {
    stub.credit(ME, 12_345_678_901_234_567_891n);
    const r = await wallet(["balance"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe("12.345678901234567891 ASRM  (0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266)");
    const j = await wallet(["balance", "--json"]);
    expect(JSON.parse(j.stdout)).toEqual({
      address: ME,
      balance: "12.345678901234567891",
      balance_ram: "12345678901234567891",
    });
    const other = await wallet(["balance", BOB_CS, "--json"]);
    expect(JSON.parse(other.stdout)).toMatchObject({ address: BOB, balance: "0" });
  });

  it("send: confirmation prompt over stdin, exact fee, the node accepts it; 'n' sends nothing", async () => {
    stub.credit(ME, 8n * ASRM);
    const cancelled = await wallet(["send", BOB_CS, "1.5"], { input: `${PW}\nn\n` });
    expect(cancelled.code).toBe(1);
    expect(cancelled.stderr).toContain(`Send 1.5 ASRM to ${BOB_CS}`);
    expect(cancelled.stderr).toContain("Send it? [y/N]");
    // Mainnet (the default network) shares Ethereum's chain id 1: said once, before the prompt.
    expect(cancelled.stderr.split("Send it?")[0]).toContain("warning: Astram mainnet's chain id is 1");
    expect(cancelled.stderr).toContain("nothing was sent");
    expect(stub.submitted).toHaveLength(0);

    const r = await wallet(["send", BOB_CS, "1.5", "--json"], { input: `${PW}\ny\n` });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(stub.submitted).toHaveLength(1);
    const tx = stub.submitted[0]!;
    const size = transactionSize(tx);
    expect(out).toMatchObject({
      txid: tx.txid,
      eth_hash: tx.ethHash,
      from: ME,
      to: BOB,
      amount: "1.5",
      amount_ram: "1500000000000000000",
      fee_ram: walletFee(size).toString(),
      fee_rate_gwei_per_byte: "300",
      size,
      status: "submitted",
    });
    expect(size).toBe(576);
    expect(tx.outputs).toEqual([
      { to: BOB, amount: (15n * ASRM) / 10n },
      { to: ME, amount: 8n * ASRM - (15n * ASRM) / 10n - walletFee(576) },
    ]);
    expect(r.stdout + r.stderr).not.toContain(KEY0);
    stub.mine();
    expect(stub.balanceOf(BOB)).toBe((15n * ASRM) / 10n);
  });

  it("send --yes with ASTRAM_WALLET_PASSWORD and --fee-rate; --wait reports the block", async () => {
    stub.credit(ME, 8n * ASRM);
    stub.autoMineMs = 200;
    const r = await wallet(["send", BOB, "2", "--yes", "--fee-rate", "200", "--wait"], {
      env: { ASTRAM_WALLET_PASSWORD: PW },
    });
    expect(r.code, r.stderr).toBe(0);
    const tx = stub.submitted[0]!;
    expect(8n * ASRM - 2n * ASRM - tx.outputs[1]!.amount).toBe(minFee(transactionSize(tx)));
    expect(r.stdout).toContain(`Confirmed: 2 ASRM to ${BOB_CS} in block ${stub.height}`);
    expect(r.stdout).toContain(`txid     ${tx.txid}`);
  });

  it("--dry-run signs and prints the raw transaction without submitting", async () => {
    stub.credit(ME, ASRM);
    const r = await wallet(["send", BOB, "0.25", "--dry-run", "--json"], {
      env: { ASTRAM_WALLET_PASSWORD: PW },
    });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.status).toBe("not sent (dry run)");
    expect(decodeTransaction(Buffer.from(out.raw_hex, "hex")).txid).toBe(out.txid);
    expect(stub.submitted).toHaveLength(0);
  });

  it("insufficient funds names the amounts; the password is not even asked when the balance is short", async () => {
    stub.credit(ME, ASRM);
    const short = await wallet(["send", BOB, "2", "--yes", "--json"]);
    expect(short.code).toBe(1);
    expect(jsonError(short.stderr)).toMatchObject({
      code: "INSUFFICIENT_FUNDS",
      available_ram: ASRM.toString(),
    });
    expect(jsonError(short.stderr).message).toContain("sending 2 ASRM plus the fee, but 1 ASRM is spendable");
    const feeShort = await wallet(["send", BOB, "1", "--yes"], { input: `${PW}\n` });
    expect(feeShort.code).toBe(1);
    expect(feeShort.stderr).toMatch(/needs 1\.0002\d+ ASRM including the fee, but 1 ASRM is spendable/);
  });

  it("a second send does not reuse coins a pending send spends (node's pending_spent, mempool, or local journal)", async () => {
    stub.credit(ME, 10n * ASRM);
    stub.credit(ME, 10n * ASRM);
    const env = { ASTRAM_WALLET_PASSWORD: PW };
    for (const [reportPendingSpent, mempool] of [
      [true, true],
      [false, true],
      [false, false],
    ] as const) {
      stub.reportPendingSpent = reportPendingSpent;
      stub.mempool = mempool;
      const first = await wallet(["send", BOB, "1", "--yes"], { env });
      expect(first.code, first.stderr).toBe(0);
      const second = await wallet(["send", BOB, "1", "--yes"], { env });
      expect(second.code, second.stderr).toBe(0); // the stub rejects double spends with a 400
      const [a, b] = stub.pending;
      expect(a!.inputs[0]).not.toEqual(b!.inputs[0]);
      stub.mine();
    }
    const journal = join(home, ".Astram", "wallet.pending.json");
    expect(JSON.parse(readFileSync(journal, "utf8")).length).toBeGreaterThan(0);
  });

  it("the node's rejection reason is shown", async () => {
    stub.credit(ME, 2n * ASRM);
    // Only the journal knows about the first send: the node neither marks nor lists pending spends.
    stub.reportPendingSpent = false;
    stub.mempool = false;
    const env = { ASTRAM_WALLET_PASSWORD: PW };
    expect((await wallet(["send", BOB, "1", "--yes"], { env })).code).toBe(0);
    const second = await wallet(["send", BOB, "0.5", "--yes", "--json"], { env, input: "" });
    // The only coin is held by the pending send: refused locally, nothing submitted.
    expect(jsonError(second.stderr).code).toBe("INSUFFICIENT_FUNDS");
    expect(jsonError(second.stderr).message).toContain("held by pending transactions");
    // With the journal gone, the node's own double-spend refusal comes back verbatim.
    const fs = await import("node:fs");
    fs.unlinkSync(join(home, ".Astram", "wallet.pending.json"));
    const third = await wallet(["send", BOB, "0.5", "--yes"], { env });
    expect(third.code).toBe(1);
    expect(third.stderr).toContain("the node rejected the transaction: Double-spend");
  });

  it("history lists pending and confirmed transactions with amounts; falls back to /info without the route", async () => {
    stub.credit(ME, 8n * ASRM);
    const env = { ASTRAM_WALLET_PASSWORD: PW };
    expect((await wallet(["send", BOB, "1", "--yes"], { env })).code).toBe(0);
    const pending = await wallet(["history", "--json"]);
    const p = JSON.parse(pending.stdout);
    expect(p.transactions[0]).toMatchObject({ status: "pending", height: null });
    stub.mine();
    const h = await wallet(["history", "--json"]);
    expect(h.code, h.stderr).toBe(0);
    const tx = stub.submitted[0]!;
    expect(JSON.parse(h.stdout).transactions[0]).toMatchObject({
      txid: tx.txid,
      status: "confirmed",
      height: stub.height,
      received: formatAsrm(tx.outputs[1]!.amount),
      sent: "8",
      net: `-${formatAsrm(8n * ASRM - tx.outputs[1]!.amount)}`,
    });
    const human = await wallet(["history"]);
    expect(human.stdout).toContain(`#${stub.height}`);
    expect(human.stdout).toContain(tx.txid);
    const bob = await wallet(["history", BOB]);
    expect(bob.stdout).toContain("+1 ASRM");
    stub.history = false;
    const fallback = await wallet(["history", "--json"]);
    expect(JSON.parse(fallback.stdout)).toMatchObject({ history_available: false, info: { address: ME } });
  });

  it("an unreachable node is 'cannot reach node at URL', exit 1, for every node command", async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const dead = `http://127.0.0.1:${port}`;
    for (const args of [["balance"], ["history"], ["send", BOB, "1", "--yes"]]) {
      const r = await runWallet([...args, "--node", dead], { home, env: { ASTRAM_WALLET_PASSWORD: PW } });
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr).toContain(`cannot reach node at ${dead} (ECONNREFUSED)`);
    }
    const j = await runWallet(["balance", "--json"], { home, env: { ASTRAM_NODE_RPC_URL: dead } });
    expect(jsonError(j.stderr).code).toBe("NODE_UNREACHABLE");
  });
});
