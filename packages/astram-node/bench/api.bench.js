// HTTP API and JSON-RPC throughput: requests/s and p99 latency under autocannon load on loopback for
// GET /status, GET /address/{a}/balance (an address with 10,000 UTXOs) and eth_getBalance, each
// beside a fastify route returning a constant in the same server process (the framework ceiling).
// The server runs in a child process so the load generator does not share its event loop.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

const SECONDS = Number(process.env.ASTRAM_BENCH_SECONDS ?? 3);
/** Rounds over all endpoints, interleaved so background load hits each alike; medians are reported. */
const ROUNDS = Number(process.env.ASTRAM_BENCH_ROUNDS ?? 3);
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

async function measureOnce(opts) {
  const { result: r, latencies } = await load(opts);
  const bad = r.non2xx + r.errors + r.timeouts;
  if (bad > 0) throw new Error(`${opts.url}: ${bad} failed requests`);
  return { rps: r.requests.average, p99: percentile(latencies, 99) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Warms every endpoint up, then measures them in interleaved rounds; returns medians by name. */
async function measureAll(endpoints) {
  for (const opts of Object.values(endpoints)) await load({ ...opts, duration: 1 });
  const runs = Object.fromEntries(Object.keys(endpoints).map((k) => [k, []]));
  for (let round = 0; round < ROUNDS; round++)
    for (const [name, opts] of Object.entries(endpoints)) runs[name].push(await measureOnce(opts));
  return Object.fromEntries(
    Object.entries(runs).map(([name, rs]) => [
      name,
      { rps: median(rs.map((r) => r.rps)), p99: median(rs.map((r) => r.p99)) },
    ]),
  );
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
    const ethBody = rpcBody("eth_getBalance", [info.holder, "latest"]);
    const m = await measureAll({
      constGet: { url: `${info.ceiling}/constant` },
      status: { url: `${info.api}/status` },
      balance: { url: `${info.api}/address/${info.holder}/balance` },
      constPost: { url: `${info.ceiling}/constant`, method: "POST", headers: json, body: ethBody },
      ethBalance: { url: info.eth, method: "POST", headers: json, body: ethBody },
    });
    const note = `${CONNECTIONS} connections, median of ${ROUNDS} interleaved ${SECONDS} s runs, loopback`;
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
    add("GET /status", m.status, m.constGet, "fastify GET constant");
    add(`GET /address/{a}/balance (${info.utxos} UTXOs)`, m.balance, m.constGet, "fastify GET constant");
    add("JSON-RPC eth_getBalance", m.ethBalance, m.constPost, "fastify POST constant");
    return rows;
  } finally {
    server.kill("SIGTERM");
  }
}
