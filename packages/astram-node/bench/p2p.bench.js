// Issue 6: sync of a 10,000-block chain from one peer over loopback, beside importing the same
// blocks from disk in the same run; and block propagation time across a five-node line.
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

export default async function () {
  const blocks = benchChain(10_000, 0, (m) => console.log(m));
  const root = mkdtempSync(join(tmpdir(), "astram-p2p-bench-"));
  const rows = [];
  try {
    // Reference: the same blocks imported straight from memory into an empty store, in runs of 64
    // blocks per commit (what sync gets when blocks arrive faster than they are stored).
    const seedDir = join(root, "seed");
    const store = ChainStore.open(seedDir, params.networkId);
    const chain = new Chainstate(store, params);
    chain.init();
    const t0 = performance.now();
    for (let i = 0; i < blocks.length; i += 64)
      chain.acceptBlocks(blocks.slice(i, i + 64).map((block) => ({ block })));
    const importSec = (performance.now() - t0) / 1000;
    await store.close();

    // The seeded node serves from a separate process; an empty node syncs from it.
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
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const port = await new Promise((resolve, reject) => {
      let buf = "";
      server.stdout.on("data", (d) => {
        buf += d.toString();
        const m = /"msg":"P2P listening"/.test(buf) && /"port":(\d+),"bind"/.exec(buf);
        if (m) resolve(Number(m[1]));
      });
      server.once("exit", (code) => reject(new Error(`seed node exited ${code}`)));
    });
    const fresh = await startNode(join(root, "fresh"), [`127.0.0.1:${port}`]);
    const s0 = performance.now();
    await until(() => fresh.node.chain.height === blocks.length);
    const syncSec = (performance.now() - s0) / 1000;
    await fresh.node.stop();
    server.kill("SIGTERM");
    rows.push({
      name: `sync ${blocks.length} blocks from one peer (separate process) over loopback`,
      value: blocks.length / syncSec,
      unit: "blocks/s",
      ref: {
        name: "the same blocks imported locally, 64 per commit",
        value: blocks.length / importSec,
        unit: "blocks/s",
      },
    });

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
