import { addrA, addrB, astramSamples } from "./astram-samples.js";
import { type NodeFixture, startNodeFixture } from "./node-fixture.js";
import { type FuzzTarget, OracleViolation, text, tokens, utf8 } from "./target.js";

const INTERNAL_ERROR = -32603;

function hasInternalError(body: unknown): boolean {
  const list = Array.isArray(body) ? body : [body];
  return list.some((r) => (r as { error?: { code?: number } } | null)?.error?.code === INTERNAL_ERROR);
}

/** The methods with valid parameters against the recorded chain (one request each, and a batch). */
function requests(): unknown[][] {
  const s = astramSamples();
  const block = s.blocks[s.blocks.length - 1]!;
  const tx = s.transactions[0]!;
  return [
    ["web3_clientVersion", []],
    ["web3_sha3", ["0x68656c6c6f"]],
    ["net_version", []],
    ["eth_chainId", []],
    ["eth_syncing", []],
    ["eth_blockNumber", []],
    ["eth_gasPrice", []],
    ["eth_getBalance", [addrA, "latest"]],
    ["eth_getBalance", [addrB, { blockHash: `0x${block.hash}`, requireCanonical: true }]],
    ["eth_getTransactionCount", [addrA, "pending"]],
    ["eth_getCode", [addrB, "0x2"]],
    ["eth_getStorageAt", [addrB, "0x0", "latest"]],
    ["eth_call", [{ from: addrA, to: addrB, value: "0x1", data: "0x" }, "latest"]],
    ["eth_estimateGas", [{ to: addrB, value: "0x10" }]],
    ["eth_sendRawTransaction", [s.rawEth[1]]],
    ["eth_getTransactionByHash", [`0x${tx.txid}`]],
    ["eth_getTransactionReceipt", [`0x${tx.txid}`]],
    ["eth_getBlockByNumber", ["0x4", true]],
    ["eth_getBlockByHash", [`0x${block.hash}`, false]],
    ["eth_getBlockTransactionCountByNumber", ["earliest"]],
    ["eth_getBlockTransactionCountByHash", [`0x${block.hash}`]],
  ];
}

/**
 * The Ethereum JSON-RPC endpoint of a real in-process node: the input is the POST body. A
 * -32603 internal error or an HTTP 5xx means a handler threw something it did not mean to.
 */
export const jsonRpcTarget: FuzzTarget<NodeFixture> = {
  name: "json-rpc",
  description: "astram-node JSON-RPC dispatcher, parameter validators and methods (POST / via app.inject)",
  coverage: /astram-node\/(dist|src)\/rpc\//,
  maxLength: 2048,
  dictionary: [
    ...tokens(
      '"jsonrpc":"2.0"',
      '"method":',
      '"params":',
      '"id":',
      "null",
      "true",
      "[]",
      "{}",
      '"latest"',
      '"pending"',
    ),
    ...tokens(
      '"0x"',
      '"0x0"',
      '"blockHash":',
      '"requireCanonical":',
      '"blockNumber":',
      '"to":',
      '"data":',
      '"value":',
    ),
    ...requests().map(([m]) => utf8(`"${m}"`)),
  ],
  seeds() {
    const all = requests().map(([method, params], id) => ({ jsonrpc: "2.0", id, method, params }));
    return [...all.map((r) => utf8(JSON.stringify(r))), utf8(JSON.stringify(all.slice(0, 6)))];
  },
  setup: () => startNodeFixture("eth-rpc"),
  teardown: (f) => f.close(),
  async run(input, f) {
    const res = await f.app.inject({
      method: "POST",
      url: "/",
      payload: text(input),
      headers: { "content-type": "application/json" },
    });
    if (res.statusCode >= 500) throw new OracleViolation(`HTTP ${res.statusCode}: ${res.body.slice(0, 200)}`);
    if (res.statusCode === 200 && hasInternalError(res.json()))
      throw new OracleViolation(`internal error answered: ${res.body.slice(0, 200)}`);
  },
  expected: () => false,
};
