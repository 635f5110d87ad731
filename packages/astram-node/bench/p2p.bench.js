// Issue 6: sync from one peer over loopback (10,000 empty blocks; 2,000 blocks of 50 signed txs),
// beside importing the same blocks locally in the same run; and block propagation time across a
// five-node line.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { AstramNode, ChainStore, Chainstate, createLogger, loadConfig, P2pService } from "../dist/index.js";
import { benchChain, mineOn, params } from "./build-chain.js";

const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

function settingsFor(dir, peers = []) {
  return loadConfig({
    configFile: "/dev/null",
    env: {},
    flags: {
      NETWORK: "dev",
      DATA_DIR: dir,
      P2P_BIND_ADDR: "127.0.0.1",
      P2P_PORT: "0",
      BOOTSTRAP_PEERS: peers.join(","),
      ALLOW_PRIVATE_PEERS: "true",
      LOG_LEVEL: "silent",
    },
  }).settings;
}

async function startNode(dir, peers) {
  const settings = settingsFor(dir, peers);
  const node = new AstramNode({ settings, log: createLogger("silent") });
  const p2p = new P2pService(node);
  node.addService(p2p);
  await node.start();
  return { node, p2p };
}

async function until(fn, timeoutMs = 600_000) {
  const end = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > end) throw new Error("timeout");
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Imports `blocks` locally into an empty store (the reference), then has a node in another process
 * serve them to an empty node over loopback; returns both rates (blocks/s).
 */
async function syncRun(root, name, blocks) {
  const seedDir = join(root, `${name}-seed`);
  const store = ChainStore.open(seedDir, params.networkId);
  const chain = new Chainstate(store, params);
  chain.init();
  const t0 = performance.now();
  for (let i = 0; i < blocks.length; i += 64) chain.acceptBlocks(blocks.slice(i, i + 64));
  const importSec = (performance.now() - t0) / 1000;
  await store.close();

  const server = spawn(
    process.execPath,
    [
      cli,
      "--network",
      "dev",
      "--datadir",
      seedDir,
      "--p2p-bind",
      "127.0.0.1",
      "--p2p-port",
      "0",
      "--http-port",
      "0",
      "--rpc-port",
      "0",
      "--allow-private-peers",
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  try {
    const port = await new Promise((resolve, reject) => {
      let buf = "";
      server.stdout.on("data", (d) => {
        buf += d.toString();
        const m = /"msg":"P2P listening"/.test(buf) && /"port":(\d+),"bind"/.exec(buf);
        if (m) resolve(Number(m[1]));
      });
      server.once("exit", (code) => reject(new Error(`seed node exited ${code}`)));
    });
    const fresh = await startNode(join(root, `${name}-fresh`), [`127.0.0.1:${port}`]);
    const s0 = performance.now();
    await until(() => fresh.node.chain.height === blocks.length);
    const syncSec = (performance.now() - s0) / 1000;
    await fresh.node.stop();
    return { sync: blocks.length / syncSec, local: blocks.length / importSec };
  } finally {
    server.kill("SIGTERM");
  }
}

export default async function () {
  const root = mkdtempSync(join(tmpdir(), "astram-p2p-bench-"));
  const rows = [];
  try {
    for (const [name, count, txs] of [
      ["empty", 10_000, 0],
      ["signed", 2_000, 50],
    ]) {
      const blocks = benchChain(count, txs, (m) => console.log(m));
      const r = await syncRun(root, name, blocks);
      rows.push({
        name: `sync ${count} blocks${txs > 0 ? ` of ${txs} signed txs` : ""} from one peer (separate process) over loopback`,
        value: r.sync,
        unit: "blocks/s",
        ref: { name: "the same blocks imported locally, 64 per commit", value: r.local, unit: "blocks/s" },
      });
    }

    // Propagation across a five-node line (one process): time from submit at one end to the tip at the other.
    const line = [];
    for (let i = 0; i < 5; i++) {
      line.push(await startNode(join(root, `line${i}`), i > 0 ? [`127.0.0.1:${line[i - 1].p2p.port}`] : []));
    }
    await until(() => line[2].p2p.peerCount === 2 && line[4].p2p.peerCount === 1, 30_000);
    const times = [];
    let parent = { header: line[0].node.chain.tip.header, hash: line[0].node.chain.tip.hash };
    for (let h = 1; h <= 10; h++) {
      const b = mineOn(parent, h, [], 0n, line[0].node.chain.nextDifficulty());
      const start = performance.now();
      line[0].node.submitBlock(b, "local");
      await until(() => line[4].node.chain.tip.hash === b.hash, 30_000);
      times.push(performance.now() - start);
      parent = b;
    }
    for (const n of line) await n.node.stop();
    times.sort((a, b) => a - b);
    rows.push({
      name: "block propagation across 4 hops (median of 10; the seed allows 10 announcements per minute)",
      value: times[5],
      unit: "ms",
      note: `min ${times[0].toFixed(1)} ms, max ${times[9].toFixed(1)} ms`,
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return rows;
}
