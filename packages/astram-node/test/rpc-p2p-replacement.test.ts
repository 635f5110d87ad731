import { MemoryChain } from "astram-core/testing";
import {
  AstramNode,
  createLogger,
  EthRpcService,
  loadConfig,
  type MempoolEntry,
  NodeMetrics,
  P2pService,
} from "astram-node";
import { type Hex, parseEther, parseGwei } from "viem";
import type { PrivateKeyAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addrB, addrC, mineBlocks, params, tempDir } from "./helpers.js";
import { CHAIN_ID, fundedAccount } from "./rpc-helpers.js";
import { mineNext, rpcCall, until } from "./service-helpers.js";

/** A devnet node on loopback with P2P and the JSON-RPC, dialling `peers`. */
interface RpcPeer {
  node: AstramNode;
  p2p: P2pService;
  eth: string;
}

async function startRpcPeer(peers: string[] = []): Promise<RpcPeer> {
  const { settings } = loadConfig({
    configFile: "/dev/null",
    env: {},
    flags: {
      NETWORK: "dev",
      DATA_DIR: tempDir("astram-rpc-p2p-"),
      P2P_BIND_ADDR: "127.0.0.1",
      P2P_PORT: "0",
      BOOTSTRAP_PEERS: peers.join(","),
      ALLOW_PRIVATE_PEERS: "true",
      DNS_SERVER_URL: "",
      DNS_REGISTER: "false",
      LOG_LEVEL: "silent",
    },
  });
  const node = new AstramNode({ settings, log: createLogger("silent") });
  const p2p = new P2pService(node, { autoConnect: true });
  const rpc = new EthRpcService(node, { host: "127.0.0.1", port: 0, metrics: new NodeMetrics() });
  node.addService(p2p);
  node.addService(rpc);
  await node.start();
  return { node, p2p, eth: rpc.url };
}

let a: RpcPeer;
let b: RpcPeer;
beforeAll(async () => {
  a = await startRpcPeer();
  b = await startRpcPeer([`127.0.0.1:${a.p2p.port}`]);
  const ref = new MemoryChain(params);
  for (const block of mineBlocks(ref, 3)) a.node.submitBlock(block, "local");
  await until(() => b.node.chain.height === 3);
});
afterAll(async () => {
  await b.node.stop();
  await a.node.stop();
});

const sign = (
  account: PrivateKeyAccount,
  nonce: number,
  price: bigint,
  over: { to?: Hex; value?: bigint } = {},
) =>
  account.signTransaction({
    type: "eip1559",
    chainId: CHAIN_ID,
    nonce,
    to: over.to ?? (addrB as Hex),
    value: over.value ?? parseEther("0.001"),
    gas: 40_000n,
    maxFeePerGas: price,
    maxPriorityFeePerGas: price / 2n,
  });
const send = async (peer: RpcPeer, raw: Hex): Promise<string> => {
  const res = await rpcCall(peer.eth, "eth_sendRawTransaction", [raw]);
  expect(res.error).toBeUndefined();
  return res.result;
};
const pendingAt = (peer: RpcPeer, hash: string): MempoolEntry | undefined =>
  peer.node.mempool.getByEthHash(hash);

describe("replacement by fee across two peers", () => {
  it("a speed-up sent to one node replaces the original in the relaying peer's mempool, and a cancel sent there comes back", async () => {
    const account = fundedAccount(a, 2, parseEther("0.01"));
    await until(() => b.node.chain.tip.hash === a.node.chain.tip.hash);

    // The original, sent to A, reaches B.
    const original = await send(a, await sign(account, 0, parseGwei("20")));
    await until(() => pendingAt(b, original));
    const originalTxid = pendingAt(b, original)!.tx.txid;

    // The speed-up, sent to A: B drops the original and holds the replacement.
    const faster = await send(a, await sign(account, 0, parseGwei("22")));
    expect(pendingAt(a, original)).toBeUndefined();
    await until(() => pendingAt(b, faster));
    expect(pendingAt(b, original)).toBeUndefined();
    expect(b.node.mempool.has(originalTxid)).toBe(false);
    expect(b.node.mempool.size).toBe(1);

    // A cancel (0 to self, 10% more again) sent to B replaces the speed-up at A too.
    const cancel = await send(
      b,
      await sign(account, 0, parseGwei("24.2"), { to: account.address, value: 0n }),
    );
    await until(() => pendingAt(a, cancel));
    expect(pendingAt(a, faster)).toBeUndefined();
    expect(a.node.mempool.size).toBe(1);

    // A mines it; both nodes agree on the cancel's receipt and forget the others.
    mineNext(a.node, addrC);
    await until(() => b.node.chain.tip.hash === a.node.chain.tip.hash && b.node.mempool.size === 0);
    for (const peer of [a, b]) {
      expect((await rpcCall(peer.eth, "eth_getTransactionReceipt", [cancel])).result.status).toBe("0x1");
      for (const gone of [original, faster])
        expect((await rpcCall(peer.eth, "eth_getTransactionReceipt", [gone])).result).toBeNull();
    }
  });
});
