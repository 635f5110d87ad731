// Child process of api.bench.js: a devnet node whose address X holds 10,000 UTXOs, serving the HTTP
// API and the JSON-RPC, plus a plain fastify app with constant routes (the framework's ceiling) in
// the same process. Reports its URLs over IPC and runs until killed.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addressFromPrivateKey, hexToBytes, NETWORKS } from "astram-core";
import { MemoryChain } from "astram-core/testing";
import Fastify from "fastify";
import {
  AstramNode,
  createLogger,
  EthRpcService,
  HttpApiService,
  loadConfig,
  NodeMetrics,
} from "../dist/index.js";

const UTXOS = 10_000;
const PER_TX = 500; // plus a change output, within the 1000-output limit
const key = hexToBytes("00".repeat(31) + "01");
const miner = addressFromPrivateKey(key);
const holder = "0x" + "5a".repeat(20);

// Blocks: one coinbase per fan-out transaction, then one block paying `holder` 20 x 500 outputs.
const ref = new MemoryChain(NETWORKS.devnet);
for (let i = 0; i < UTXOS / PER_TX + 1; i++) ref.mine({ miner });
const coins = ref.utxosOf(miner);
const txs = [];
for (let i = 0; i < UTXOS / PER_TX; i++) {
  const outputs = Array.from({ length: PER_TX }, (_, j) => ({
    to: holder,
    amount: 10n ** 12n + BigInt(i * PER_TX + j),
  }));
  txs.push(ref.spend(key, [coins[i]], outputs, 2n * 10n ** 16n));
}
ref.mine({ miner, transactions: txs });

const dir = mkdtempSync(join(tmpdir(), "astram-bench-"));
const { settings } = loadConfig({
  configFile: "/dev/null",
  env: {},
  flags: { NETWORK: "dev", DATA_DIR: dir, P2P_PORT: "0", LOG_LEVEL: "silent", MINER_ADDRESS: miner },
});
const node = new AstramNode({ settings, log: createLogger("silent") });
const metrics = new NodeMetrics();
const http = new HttpApiService(node, { host: "127.0.0.1", port: 0, metrics });
const rpc = new EthRpcService(node, { host: "127.0.0.1", port: 0, metrics });
node.addService(http);
node.addService(rpc);
await node.start();
for (const b of ref.blocks.slice(1)) node.submitBlock(b, "local");
const stats = node.store.addressStats(holder);
if (stats.utxoCount !== UTXOS) throw new Error(`holder has ${stats.utxoCount} UTXOs, expected ${UTXOS}`);

const ceiling = Fastify({ logger: false });
ceiling.get("/constant", async () => ({ status: "ok" }));
ceiling.post("/constant", async () => ({ jsonrpc: "2.0", id: 1, result: "0x0" }));
await ceiling.listen({ host: "127.0.0.1", port: 0 });

process.send({
  api: http.url,
  eth: rpc.url,
  ceiling: `http://127.0.0.1:${ceiling.server.address().port}`,
  holder,
  utxos: stats.utxoCount,
  height: node.chain.height,
});
const stop = async () => {
  await ceiling.close();
  await node.stop();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("disconnect", stop);
