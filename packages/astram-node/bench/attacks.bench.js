// Issue 15: GET /status latency (p50/p99) of a devnet node in its own process while peers attack it
// over P2P, each beside the idle figure measured in the same run. Attacks: decode bombs (maximal
// blocks of bogus transactions after a handshake, Blocks before one), a flood of repeated and
// undeliverable block announcements, a peer claiming height 1e12, and headers of a deep low-work
// fork. Every attacker is bounded in count and time and uses its own loopback address.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { BincodeWriter, encodeFrame, encodeP2pMessage, NETWORKS } from "astram-core";

const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const params = NETWORKS.devnet;
const SAMPLES = 200;
const SECONDS = 10;

function startNode(dir) {
  const child = spawn(
    process.execPath,
    [
      cli,
      "--network",
      "dev",
      "--datadir",
      dir,
      "--p2p-bind",
      "127.0.0.1",
      "--p2p-port",
      "0",
      "--http-port",
      "0",
    ].concat(["--rpc-port", "0", "--admin-port", "0", "--allow-private-peers", "--verify-threads", "0"]),
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  return new Promise((resolve, reject) => {
    let buf = "";
    const found = {};
    child.stdout.on("data", (d) => {
      buf += d.toString();
      for (const line of buf.split("\n")) {
        if (line.includes('"P2P listening"')) found.p2p = JSON.parse(line).port;
        if (line.includes('"HTTP API and dashboard listening"')) found.http = JSON.parse(line).url;
      }
      buf = buf.slice(buf.lastIndexOf("\n") + 1);
      if (found.p2p && found.http) resolve({ child, ...found });
    });
    child.once("exit", (code) => reject(new Error(`node exited ${code}`)));
  });
}

/** p50 and p99 of sequential GET /status: at least `SAMPLES` of them and at least `SECONDS`. */
async function statusLatency(url) {
  const ms = [];
  const end = performance.now() + SECONDS * 1000;
  for (let i = 0; i < SAMPLES * 20 && (i < SAMPLES || performance.now() < end); i++) {
    const t = performance.now();
    await (await fetch(`${url}/status`)).json();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { p50: ms[Math.floor(ms.length * 0.5)], p99: ms[Math.floor(ms.length * 0.99)] };
}

function handshake(height) {
  return encodeFrame(
    encodeP2pMessage({
      type: "Handshake",
      info: {
        protocolVersion: params.protocolVersion,
        softwareVersion: "attacker",
        supportedFeatures: ["blocks"],
        networkId: params.networkId,
        chainId: params.chainId,
        height,
        listeningPort: 0,
      },
    }),
  );
}

function bogusBlock(count, txidLength) {
  const w = new BincodeWriter("standard", 1 << 20);
  w.variant(8);
  w.u64(1).string("0".repeat(64)).string("0".repeat(64)).i64(1_738_800_001).u64(0).u32(1);
  w.u64(count);
  for (let i = 0; i < count; i++) w.string("a".repeat(txidLength)).string("").u64(0).u64(0).i64(0);
  w.string("0".repeat(64));
  return encodeFrame(w.finish());
}

/** Opens connections from 127.0.<a>.<b> in turn, each running `attack(socket)`, until stopped. */
function attacker(port, subnet, attack) {
  let stop = false;
  let n = 0;
  const loop = async () => {
    while (!stop && n < 5000) {
      // Spread over /16 groups so the per-subnet connection limits do not stop the attacker.
      const ip = `127.${64 + (n % 128)}.${subnet}.${(n >> 7) + 1}`;
      n++;
      await new Promise((resolve) => {
        const s = connect({ host: "127.0.0.1", port, localAddress: ip });
        const done = () => resolve(undefined);
        s.on("error", done);
        s.on("close", done);
        s.once("connect", () => attack(s));
        setTimeout(() => s.destroy(), 2000).unref();
      });
    }
  };
  const running = loop();
  return async () => {
    stop = true;
    await running;
    return n;
  };
}

export default async function () {
  const dir = mkdtempSync(join(tmpdir(), "astram-attack-bench-"));
  const node = await startNode(dir);
  const rows = [];
  try {
    const idle = await statusLatency(node.http);
    const bomb = bogusBlock(60_000, 64);
    const inv = (i) =>
      encodeFrame(
        encodeP2pMessage({ type: "Inv", objectType: 2, hashes: [new Uint8Array(32).fill(i & 255)] }),
      );
    const attacks = [
      [
        "maximal bogus blocks (60,000 txs, 4 MB) after a handshake",
        70,
        (s) => s.write(Buffer.concat([handshake(1), bomb])),
      ],
      ["Blocks before the handshake", 71, (s) => s.write(bogusBlock(2000, 0))],
      [
        "repeated and undeliverable block announcements",
        72,
        (s) => {
          s.write(handshake(1));
          for (let i = 0; i < 200; i++) s.write(inv(i % 20));
        },
      ],
      ["a peer claiming height 1e12 (held open)", 73, (s) => s.write(handshake(1_000_000_000_000))],
    ];
    for (const [name, subnet, attack] of attacks) {
      const stop = attacker(node.p2p, subnet, attack);
      const during = await statusLatency(node.http);
      const connections = await stop();
      rows.push({
        name: `GET /status p99 during: ${name} (${connections} attacking connections)`,
        value: during.p99,
        unit: "ms",
        ref: { name: "idle p99", value: idle.p99, unit: "ms" },
        note: `p50 ${during.p50.toFixed(1)} ms vs idle ${idle.p50.toFixed(1)} ms`,
      });
    }
  } finally {
    node.child.kill("SIGTERM");
    await new Promise((r) => node.child.once("exit", r));
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
