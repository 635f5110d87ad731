// HTTP API and JSON-RPC throughput: requests/s and p99 latency under autocannon load on loopback for
// GET /status, GET /address/{a}/balance (an address with 10,000 UTXOs) and eth_getBalance, each
// beside a fastify route returning a constant in the same server process (the framework ceiling).
// The server runs in a child process so the load generator does not share its event loop.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

const SECONDS = Number(process.env.ASTRAM_BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.ASTRAM_BENCH_CONNECTIONS ?? 10);

/** Runs autocannon; latencies come from its per-response event (autocannon's own histogram keeps whole ms). */
function load(opts) {
  const latencies = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon({ connections: CONNECTIONS, duration: SECONDS, ...opts }, (err, result) =>
      err ? reject(err) : resolve({ result, latencies }),
    );
    instance.on("response", (_client, _status, _bytes, ms) => latencies.push(ms));
  });
}

function percentile(values, p) {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measure(opts) {
  await load({ ...opts, duration: 1 }); // warm-up (JIT, connections)
  const { result: r, latencies } = await load(opts);
  const bad = r.non2xx + r.errors + r.timeouts;
  if (bad > 0) throw new Error(`${opts.url}: ${bad} failed requests`);
  return { rps: r.requests.average, p99: percentile(latencies, 99) };
}

export default async function () {
  const server = fork(fileURLToPath(new URL("./api-server.js", import.meta.url)), [], { stdio: "inherit" });
  const info = await new Promise((resolve, reject) => {
    server.once("message", resolve);
    server.once("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  try {
    const rpcBody = (method, params) => JSON.stringify({ jsonrpc: "2.0", id: 1, method, params });
    const json = { "content-type": "application/json" };
    const constGet = await measure({ url: `${info.ceiling}/constant` });
    const constPost = await measure({
      url: `${info.ceiling}/constant`,
      method: "POST",
      headers: json,
      body: rpcBody("eth_getBalance", [info.holder, "latest"]),
    });
    const status = await measure({ url: `${info.api}/status` });
    const balance = await measure({ url: `${info.api}/address/${info.holder}/balance` });
    const ethBalance = await measure({
      url: info.eth,
      method: "POST",
      headers: json,
      body: rpcBody("eth_getBalance", [info.holder, "latest"]),
    });
    const note = `${CONNECTIONS} connections, ${SECONDS} s, loopback`;
    const rows = [];
    const add = (name, m, ref, refName) => {
      rows.push({
        name: `${name} throughput`,
        value: m.rps,
        unit: "req/s",
        ref: { name: refName, value: ref.rps, unit: "req/s" },
        note,
      });
      rows.push({
        name: `${name} p99 latency`,
        value: m.p99,
        unit: "ms",
        ref: { name: refName, value: ref.p99, unit: "ms" },
      });
    };
    add("GET /status", status, constGet, "fastify GET constant");
    add(`GET /address/{a}/balance (${info.utxos} UTXOs)`, balance, constGet, "fastify GET constant");
    add("JSON-RPC eth_getBalance", ethBalance, constPost, "fastify POST constant");
    return rows;
  } finally {
    server.kill("SIGTERM");
  }
}
