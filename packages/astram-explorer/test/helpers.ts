import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addressFromPrivateKey, type Block, hexToBytes, NETWORKS, type Transaction } from "astram-core";
import { MemoryChain } from "astram-core/testing";
import { Explorer } from "astram-explorer";
import { AstramNode, createLogger, HttpApiService, loadConfig } from "astram-node";
import { afterEach } from "vitest";

export const params = NETWORKS.devnet;
export const keyA = hexToBytes("00".repeat(31) + "01");
export const keyB = hexToBytes("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
export const addrA = addressFromPrivateKey(keyA);
export const addrB = addressFromPrivateKey(keyB);
export const addrC = "0x" + "cc".repeat(20);
export const FEE = 10n ** 15n;
export const ONE = 10n ** 18n;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

export function tempDir(prefix = "astram-explorer-test-"): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

export interface TestNode {
  node: AstramNode;
  url: string;
  submit(blocks: readonly Block[]): void;
  stop(): Promise<void>;
}

/** A real devnet AstramNode (temp LMDB) with its HTTP API on an ephemeral port of 127.0.0.1. */
export async function startNode(
  opts: { blocks?: readonly Block[]; mine?: string; keep?: boolean; network?: string } = {},
): Promise<TestNode> {
  const flags: Record<string, string> = {
    NETWORK: opts.network ?? "dev",
    DATA_DIR: tempDir("astram-explorer-node-"),
    P2P_PORT: "0",
    HTTP_PORT: "0",
    ETH_RPC_PORT: "0",
    LOG_LEVEL: "silent",
    MINER_THREADS: "1",
  };
  if (opts.mine) Object.assign(flags, { MINE: "true", MINER_ADDRESS: opts.mine });
  const { settings } = loadConfig({ configFile: "/dev/null", env: {}, flags });
  const node = new AstramNode({ settings, log: createLogger("silent") });
  const http = new HttpApiService(node, { host: "127.0.0.1", port: 0 });
  node.addService(http);
  await node.start();
  const submit = (blocks: readonly Block[]) => {
    for (const b of blocks) node.submitBlock(b, "local");
  };
  submit(opts.blocks ?? []);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await node.stop();
  };
  if (!opts.keep) cleanups.push(stop);
  return { node, url: http.url, submit, stop };
}

/** An explorer (indexer + API on an ephemeral port) following `nodeUrl`, stopped after the test. */
export async function startExplorer(
  nodeUrl: string,
  opts: { db?: string; serve?: boolean; keep?: boolean; onFatal?: (e: Error) => void } = {},
): Promise<Explorer> {
  const explorer = new Explorer({
    nodeUrl,
    db: opts.db ?? join(tempDir(), "explorer.sqlite"),
    host: "127.0.0.1",
    port: 0,
    log: createLogger("silent"),
    indexer: { pollMs: 50, ...(opts.onFatal ? { onFatal: opts.onFatal } : {}) },
    serve: opts.serve ?? true,
  });
  await explorer.start();
  if (!opts.keep) cleanups.push(() => explorer.stop());
  return explorer;
}

/** Polls `fn` until it returns a truthy value (no timing assertions: the test timeout bounds it). */
export async function until<T>(fn: () => T | Promise<T>, pauseMs = 25): Promise<NonNullable<T>> {
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    await new Promise((r) => setTimeout(r, pauseMs));
  }
}

/** Waits until the explorer has indexed exactly the block `hash` as its tip. */
export async function indexedTo(explorer: Explorer, hash: string): Promise<void> {
  await until(() => explorer.indexer?.status().indexedHash === hash);
}

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field by the tests
export type Json = any;

export async function getJson(url: string): Promise<{ status: number; body: Json }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.json() };
}

/**
 * A devnet chain: A mines `blocks` blocks; from block 3 on every block carries a transfer A -> B
 * (1 ASRM) and every third block also one B -> C, so fees, change, spends and history all occur.
 */
export function chainWithTransfers(blocks: number): { ref: MemoryChain; transfers: Transaction[] } {
  const ref = new MemoryChain(params);
  const transfers: Transaction[] = [];
  for (let h = 1; h <= blocks; h++) {
    const txs: Transaction[] = [];
    if (h >= 3) {
      const coin = ref.utxosOf(addrA)[0]!;
      txs.push(ref.spend(keyA, [coin], [{ to: addrB, amount: ONE }], FEE));
      const bCoins = ref.utxosOf(addrB);
      if (h % 3 === 0 && bCoins.length > 0)
        txs.push(ref.spend(keyB, [bCoins[0]!], [{ to: addrC, amount: ONE / 4n }], FEE));
    }
    ref.mine({ miner: addrA, transactions: txs });
    transfers.push(...txs);
  }
  return { ref, transfers };
}
