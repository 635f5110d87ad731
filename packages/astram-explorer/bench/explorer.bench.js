// Issue 8: the explorer's indexing rate over a 2,000-block devnet chain carrying ~100,000 signed
// transactions, beside the node's own import of the same chain in the same run, and the p99 latency
// of the address page's API calls beside a constant route of the same server.
// ASTRAM_EXPLORER_BENCH_PG=postgres://… also measures indexing into that (empty) PostgreSQL database.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { benchChain } from "../../astram-node/bench/build-chain.js";
import {
  AstramNode,
  HttpApiService,
  loadConfig,
  createLogger as nodeLogger,
} from "../../astram-node/dist/index.js";
import { createLogger, Explorer } from "../dist/index.js";

const sink = "0x" + "5a".repeat(20);

async function startNode(dir) {
  const { settings } = loadConfig({
    configFile: "/dev/null",
    env: {},
    flags: {
      NETWORK: "dev",
      DATA_DIR: dir,
      P2P_PORT: "0",
      HTTP_PORT: "0",
      ETH_RPC_PORT: "0",
      LOG_LEVEL: "silent",
    },
  });
  const node = new AstramNode({ settings, log: nodeLogger("silent") });
  const http = new HttpApiService(node, { host: "127.0.0.1", port: 0 });
  node.addService(http);
  await node.start();
  return { node, url: http.url };
}

async function indexAll(nodeUrl, db, tipHash) {
  const explorer = new Explorer({
    nodeUrl,
    db,
    host: "127.0.0.1",
    port: 0,
    log: createLogger("silent"),
    indexer: { pollMs: 20 },
  });
  const t0 = performance.now();
  await explorer.start();
  while (explorer.indexer.status().indexedHash !== tipHash) await new Promise((r) => setTimeout(r, 10));
  return { explorer, seconds: (performance.now() - t0) / 1000 };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Latencies (ms) of `rounds` sequential runs of fn after a warm-up. */
async function latencies(fn, rounds) {
  for (let i = 0; i < 50; i++) await fn(i);
  const out = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b);
}

async function get(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

export default async function () {
  const blocks = benchChain(2000, 50, (m) => console.log(m));
  const txCount = blocks.reduce((s, b) => s + b.transactions.length, 0);
  const miner = blocks[0].transactions[0].outputs[0].to;
  const dir = mkdtempSync(join(tmpdir(), "astram-explorer-bench-"));
  const rows = [];
  let node;
  try {
    node = await startNode(join(dir, "node"));
    const t0 = performance.now();
    // The node's fastest import path: runs of 64 blocks per commit, as sync delivers them.
    for (let i = 0; i < blocks.length; i += 64)
      node.node.submitBlocks(blocks.slice(i, i + 64).map((block) => ({ block, source: "local" })));
    const nodeSeconds = (performance.now() - t0) / 1000;
    const tip = blocks[blocks.length - 1].hash;
    if (node.node.chain.tip.hash !== tip) throw new Error("the node did not import the whole chain");

    const { explorer, seconds } = await indexAll(node.url, join(dir, "explorer.sqlite"), tip);
    rows.push({
      name: `index ${blocks.length} blocks (SQLite, over the node's HTTP API)`,
      value: blocks.length / seconds,
      unit: "blocks/s",
      ref: { name: "the node importing them", value: blocks.length / nodeSeconds, unit: "blocks/s" },
    });
    rows.push({
      name: `index ${txCount} transactions (SQLite)`,
      value: txCount / seconds,
      unit: "tx/s",
      ref: { name: "the node importing them", value: txCount / nodeSeconds, unit: "tx/s" },
      note: `${seconds.toFixed(1)} s vs ${nodeSeconds.toFixed(1)} s`,
    });

    // The address page: GET /api/address/:a and /api/address/:a/history?page=1 in parallel, for the
    // two addresses with ~100,000 history entries each (the miner and the transfers' sink).
    const base = explorer.url;
    const addresses = [miner, sink];
    const page = await latencies(
      (i) =>
        Promise.all([
          get(`${base}/api/address/${addresses[i % 2]}`),
          get(`${base}/api/address/${addresses[i % 2]}/history?page=1&limit=25`),
        ]),
      2000,
    );
    const constant = await latencies(() => get(`${base}/api/health`), 2000);
    const detail = await get(`${base}/api/address/${sink}`);
    rows.push({
      name: "address page API p99 (balance + history page 1, addresses with ~100k txs)",
      value: percentile(page, 99),
      unit: "ms",
      ref: { name: "p99 of GET /api/health on the same server", value: percentile(constant, 99), unit: "ms" },
      note: `p50 ${percentile(page, 50).toFixed(2)} ms; sink has ${detail.tx_count} txs`,
    });
    const deep = await latencies(
      (i) => get(`${base}/api/address/${sink}/history?page=${1000 + (i % 100)}&limit=25`),
      200,
    );
    rows.push({
      name: "address history page ~1000 p99 (offset 25,000)",
      value: percentile(deep, 99),
      unit: "ms",
      ref: { name: "history page 1 p99", value: percentile(page, 99), unit: "ms" },
    });
    await explorer.stop();

    const pgUrl = process.env.ASTRAM_EXPLORER_BENCH_PG;
    if (pgUrl) {
      const pg = await indexAll(node.url, pgUrl, tip);
      rows.push({
        name: `index ${txCount} transactions (PostgreSQL)`,
        value: txCount / pg.seconds,
        unit: "tx/s",
        ref: { name: "the node importing them", value: txCount / nodeSeconds, unit: "tx/s" },
      });
      await pg.explorer.stop();
    }
  } finally {
    await node?.node.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
