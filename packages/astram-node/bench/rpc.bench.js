// Ethereum JSON-RPC under load, each figure beside a reference from the same run:
// - newHeads delivery to 100 WebSocket subscribers (submit of a block -> notification received by
//   each subscriber) beside the block's arrival on the chain (submit -> joined the best chain);
// - eth_estimateGas of an 11-input transfer, requests/s beside a fastify POST route answering a
//   constant in the same server process;
// - eth_sendRawTransaction of distinct signed transfers (120 senders x 5 nonces), accepted/s beside
//   the same constant route, and beside the rate at which this process recovers a transfer's sender
//   (astram-core parseEthTransfer: secp256k1 public-key recovery, which every transfer needs twice:
//   once at the endpoint, once when the mempool verifies the UTXO transaction that carries it).
// The node runs in a child process (rpc-server.js) so the load generator does not share its event
// loop. Every phase is bounded in count and time.
import { fork } from "node:child_process";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseEthTransfer } from "astram-core";
import autocannon from "autocannon";
import { privateKeyToAccount } from "viem/accounts";
import { WebSocket } from "ws";
import { opsPerSecond } from "../../../bench/lib.js";
import { benchKey, NONCES, SENDERS } from "./rpc-accounts.js";

const SECONDS = Number(process.env.ASTRAM_BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.ASTRAM_BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.ASTRAM_BENCH_CONNECTIONS ?? 10);
const SUBSCRIBERS = 100;
const BLOCKS = Number(process.env.ASTRAM_BENCH_BLOCKS ?? 20);
const WAIT_MS = 20_000;
const CHAIN_ID = 1337;

const epochMs = () => performance.timeOrigin + performance.now();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (xs, p) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const rpcBody = (method, params) => JSON.stringify({ jsonrpc: "2.0", id: 1, method, params });
const json = { "content-type": "application/json" };

/** Resolves with the next IPC message `pick` accepts, or fails after WAIT_MS. */
function nextMessage(child, pick) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error("bench server did not answer")), WAIT_MS);
    const onMessage = (m) => pick(m) && done(undefined, m);
    const onExit = (code) => done(new Error(`bench server exited with ${code}`));
    const done = (err, m) => {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
      err ? reject(err) : resolve(m);
    };
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

/** autocannon for SECONDS, or for `amount` requests when given. */
function load(opts) {
  const all = {
    connections: CONNECTIONS,
    ...(opts.amount === undefined ? { duration: SECONDS } : {}),
    ...opts,
  };
  return new Promise((resolve, reject) => {
    autocannon(all, (err, r) => (err ? reject(err) : resolve(r)));
  });
}

/** 100 WebSocket clients subscribed to newHeads; `arrivals` gets the epoch ms of every notification by block hash. */
async function subscribers(url) {
  const arrivals = new Map();
  const sockets = await Promise.all(
    Array.from({ length: SUBSCRIBERS }, async () => {
      const ws = new WebSocket(url);
      await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
      const subscribed = new Promise((resolve) =>
        ws.on("message", (data) => {
          const at = epochMs();
          const msg = JSON.parse(String(data));
          if (msg.id === 1) return resolve();
          const hash = msg.params?.result?.hash?.slice(2);
          if (!hash) return;
          const list = arrivals.get(hash) ?? [];
          list.push(at);
          arrivals.set(hash, list);
        }),
      );
      ws.send(rpcBody("eth_subscribe", ["newHeads"]));
      await subscribed;
      return ws;
    }),
  );
  return {
    arrivals,
    close: () => {
      for (const ws of sockets) ws.terminate();
    },
  };
}

async function measureNewHeads(server, info) {
  const subs = await subscribers(info.eth.replace("http", "ws"));
  const toLast = [];
  const all = [];
  const arrival = [];
  try {
    for (let i = 0; i < BLOCKS; i++) {
      const reply = nextMessage(server, (m) => m.mined);
      server.send("mine");
      const m = await reply;
      const deadline = Date.now() + WAIT_MS;
      while ((subs.arrivals.get(m.mined)?.length ?? 0) < SUBSCRIBERS) {
        if (Date.now() > deadline)
          throw new Error(`newHeads of block ${m.height} did not reach every subscriber`);
        await new Promise((r) => setTimeout(r, 2));
      }
      const times = subs.arrivals.get(m.mined).map((at) => at - m.submittedAt);
      all.push(...times);
      toLast.push(Math.max(...times));
      arrival.push(m.connectedAt - m.submittedAt);
    }
  } finally {
    subs.close();
  }
  return { toLast: median(toLast), p99: percentile(all, 99), all: median(all), arrival: median(arrival) };
}

/** SENDERS x NONCES transfers, signed here; ordered nonce-major so each sender's nonces arrive in order. */
async function signedTransfers() {
  const accounts = Array.from({ length: SENDERS }, (_, i) => privateKeyToAccount(benchKey(i)));
  const bodies = [];
  for (let nonce = 0; nonce < NONCES; nonce++)
    for (const account of accounts) {
      const raw = await account.signTransaction({
        type: "eip1559",
        chainId: CHAIN_ID,
        nonce,
        to: "0x000000000000000000000000000000000000beef",
        value: 10n ** 12n,
        gas: 30_000n,
        maxFeePerGas: 18n * 10n ** 9n,
        maxPriorityFeePerGas: 6n * 10n ** 9n,
      });
      bodies.push(rpcBody("eth_sendRawTransaction", [raw]));
    }
  return bodies;
}

async function measureSendRaw(server, info, bodies) {
  let next = 0;
  const refused = [];
  const start = performance.now();
  await load({
    url: info.eth,
    method: "POST",
    headers: json,
    amount: bodies.length,
    requests: [
      {
        setupRequest: (req) => ({ ...req, body: bodies[next++] }),
        onResponse: (_status, body) => {
          const res = JSON.parse(body);
          if (res.error) refused.push(res.error.message);
        },
      },
    ],
  });
  const seconds = (performance.now() - start) / 1000;
  if (refused.length > 0) throw new Error(`${refused.length} transfers refused, first: ${refused[0]}`);
  const reply = nextMessage(server, (m) => m.mempool !== undefined);
  server.send("mempool");
  const { mempool } = await reply;
  if (mempool !== bodies.length) throw new Error(`mempool holds ${mempool}, expected ${bodies.length}`);
  return bodies.length / seconds;
}

export default async function () {
  const server = fork(fileURLToPath(new URL("./rpc-server.js", import.meta.url)), [], { stdio: "inherit" });
  try {
    const info = await nextMessage(server, (m) => m.eth);
    const heads = await measureNewHeads(server, info);

    const estimateBody = rpcBody("eth_estimateGas", [
      { from: info.many, to: "0x000000000000000000000000000000000000beef", value: "0x16345785d8a0000" },
    ]);
    const check = await (await fetch(info.eth, { method: "POST", headers: json, body: estimateBody })).json();
    if (!check.result || BigInt(check.result) <= 21_000n)
      throw new Error(`unexpected estimate ${JSON.stringify(check)}`);
    const constant = { url: `${info.ceiling}/constant`, method: "POST", headers: json, body: estimateBody };
    const estimate = { url: info.eth, method: "POST", headers: json, body: estimateBody };
    for (const opts of [constant, estimate]) await load({ ...opts, duration: 1 });
    const runs = { constant: [], estimate: [] };
    for (let round = 0; round < ROUNDS; round++) {
      runs.constant.push((await load(constant)).requests.average);
      runs.estimate.push((await load(estimate)).requests.average);
    }
    const constantRps = median(runs.constant);

    const bodies = await signedTransfers();
    const sendRate = await measureSendRaw(server, info, bodies);
    const raws = bodies.slice(0, 50).map((b) => JSON.parse(b).params[0]);
    let k = 0;
    const recoveries = opsPerSecond(() => parseEthTransfer(raws[k++ % raws.length], CHAIN_ID), {
      minMs: 2000,
    });

    const ref = { name: "fastify POST constant", value: constantRps, unit: "req/s" };
    const arrival = { name: "block arrival (submit -> on the best chain)", value: heads.arrival, unit: "ms" };
    return [
      {
        name: `newHeads to ${SUBSCRIBERS} WebSocket subscribers, last one (median of ${BLOCKS} blocks)`,
        value: heads.toLast,
        unit: "ms",
        ref: arrival,
        note: "latency from the block's submission; subscribers in the bench process, node in a child",
      },
      { name: "newHeads delivery, median of all deliveries", value: heads.all, unit: "ms", ref: arrival },
      { name: "newHeads delivery, p99 of all deliveries", value: heads.p99, unit: "ms", ref: arrival },
      {
        name: "eth_estimateGas, 11-input transfer",
        value: median(runs.estimate),
        unit: "req/s",
        ref,
        note: `${CONNECTIONS} connections, median of ${ROUNDS} interleaved ${SECONDS} s runs, loopback`,
      },
      {
        name: `eth_sendRawTransaction, ${bodies.length} distinct transfers (${SENDERS} senders x ${NONCES} nonces)`,
        value: sendRate,
        unit: "tx/s",
        ref,
        note: "every one accepted into the mempool (checked)",
      },
      {
        name: "eth_sendRawTransaction beside sender recovery",
        value: sendRate,
        unit: "tx/s",
        ref: { name: "parseEthTransfer (secp256k1 recovery), one thread", value: recoveries, unit: "/s" },
        note: "the node recovers each transfer twice: about 0.5 when recovery dominates",
      },
    ];
  } finally {
    server.kill("SIGTERM");
  }
}
