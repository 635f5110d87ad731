// Child process of rpc.bench.js: a devnet node serving the JSON-RPC (HTTP and WebSocket on one port)
// whose chain funds SENDERS accounts with one output each (for eth_sendRawTransaction) and one
// account with 12 outputs of 0.01 ASRM (for eth_estimateGas: an 11-input transfer), plus a plain
// fastify app answering a constant POST in the same process (the framework's ceiling).
// Mines one block on the IPC message "mine" and reports when it was submitted and when it joined
// the chain (epoch milliseconds, sub-millisecond: comparable with the parent's clock).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { addressFromPrivateKey, hexToBytes, NETWORKS, searchNonce } from "astram-core";
import { MemoryChain } from "astram-core/testing";
import Fastify from "fastify";
import {
  AstramNode,
  buildBlockTemplate,
  createLogger,
  EthRpcService,
  loadConfig,
  NodeMetrics,
} from "../dist/index.js";
import { benchKey, SENDER_FUNDS, SENDERS } from "./rpc-accounts.js";

const ONE = 10n ** 18n;
const minerKey = hexToBytes("00".repeat(31) + "01");
const miner = addressFromPrivateKey(minerKey);

const ref = new MemoryChain(NETWORKS.devnet);
for (let i = 0; i < 4; i++) ref.mine({ miner });
const many = addressFromPrivateKey(hexToBytes(benchKey(SENDERS).slice(2)));
const outputs = [
  ...Array.from({ length: SENDERS }, (_, i) => ({
    to: addressFromPrivateKey(hexToBytes(benchKey(i).slice(2))),
    amount: SENDER_FUNDS,
  })),
  ...Array.from({ length: 12 }, () => ({ to: many, amount: ONE / 100n })),
];
ref.mine({ miner, transactions: [ref.spend(minerKey, ref.utxosOf(miner).slice(0, 3), outputs, ONE / 100n)] });

const dir = mkdtempSync(join(tmpdir(), "astram-rpc-bench-"));
const { settings } = loadConfig({
  configFile: "/dev/null",
  env: {},
  flags: { NETWORK: "dev", DATA_DIR: dir, P2P_PORT: "0", LOG_LEVEL: "silent", MINER_ADDRESS: miner },
});
const node = new AstramNode({ settings, log: createLogger("silent") });
const rpc = new EthRpcService(node, { host: "127.0.0.1", port: 0, metrics: new NodeMetrics() });
node.addService(rpc);
await node.start();
for (const b of ref.blocks.slice(1)) node.submitBlock(b, "local");

const ceiling = Fastify({ logger: false });
ceiling.post("/constant", async () => ({ jsonrpc: "2.0", id: 1, result: "0x0" }));
await ceiling.listen({ host: "127.0.0.1", port: 0 });

const epochMs = () => performance.timeOrigin + performance.now();
process.on("message", (msg) => {
  if (msg === "mine") {
    const t = buildBlockTemplate(node.chain, node.mempool, miner, node.now());
    const found = searchNonce(t.block.header);
    const block = {
      header: { ...t.block.header, nonce: found.nonce },
      transactions: t.block.transactions,
      hash: found.hash,
    };
    let connectedAt = 0;
    node.chain.prependOnceListener("update", () => {
      connectedAt = epochMs();
    });
    const submittedAt = epochMs();
    node.submitBlock(block, "local");
    process.send({
      mined: block.hash,
      height: node.chain.height,
      submittedAt,
      connectedAt,
      txs: block.transactions.length,
    });
  } else if (msg === "mempool") {
    process.send({ mempool: node.mempool.size });
  }
});
process.send({
  eth: rpc.url,
  ceiling: `http://127.0.0.1:${ceiling.server.address().port}`,
  many,
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
