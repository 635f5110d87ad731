import type { Block } from "astram-core";
import { MemoryChain } from "astram-core/testing";
import { type Hex, parseEther } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { addrA, addrB, addrC, mineBlocks, params } from "./helpers.js";
import { CHAIN_ID, fundedAccount, QUOTED_PRICE, q } from "./rpc-helpers.js";
import { type Json, mineNext, rpcCall, startTestNode, type TestNode, until } from "./service-helpers.js";

let t: TestNode;
let ref: MemoryChain;
beforeAll(async () => {
  ref = new MemoryChain(params);
  mineBlocks(ref, 3);
  t = await startTestNode({ blocks: ref.blocks.slice(1) });
});
afterAll(() => t.stop());

const call = async (method: string, params: unknown[] = []) => rpcCall(t.eth, method, params);

/** A raw WebSocket client subscribed to newHeads: every notification's header, in arrival order. */
async function subscribeHeads(): Promise<{ heads: Json[]; close: () => void }> {
  const ws = new WebSocket(t.eth.replace("http", "ws"));
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  const heads: Json[] = [];
  const subscribed = new Promise<string>((resolve) => {
    ws.on("message", (data) => {
      const msg = JSON.parse(String(data));
      if (msg.id === 1) resolve(msg.result);
      else if (msg.method === "eth_subscription") heads.push(msg.params.result);
    });
  });
  ws.send(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_subscribe", params: ["newHeads"] }));
  expect(await subscribed).toMatch(/^0x[0-9a-f]{32}$/);
  return { heads, close: () => ws.close() };
}

describe("Ethereum JSON-RPC across a reorg", () => {
  it("receipts and lookups follow the best chain; a newHeads subscriber sees the new branch", async () => {
    const { heads, close } = await subscribeHeads();
    const blockFilter = (await call("eth_newBlockFilter")).result;
    try {
      // The node mines the funding block (height 4) and a block holding an Ethereum transfer (5).
      const account = fundedAccount(t, 2, parseEther("0.01"));
      const raw = await account.signTransaction({
        type: "legacy",
        chainId: CHAIN_ID,
        nonce: 0,
        to: addrB as Hex,
        value: parseEther("0.001"),
        gas: 21_000n,
        gasPrice: QUOTED_PRICE,
      });
      const hash = (await call("eth_sendRawTransaction", [raw])).result;
      const b5 = mineNext(t.node, addrC);
      const receipt = (await call("eth_getTransactionReceipt", [hash])).result;
      expect(receipt).toMatchObject({ blockHash: `0x${b5.hash}`, blockNumber: "0x5", status: "0x1" });
      const balanceB = (await call("eth_getBalance", [addrB, "latest"])).result;
      expect(BigInt(balanceB)).toBe(parseEther("0.001"));

      // A competing branch from height 4 (the node's funding block), two blocks long, without it.
      const fork = new MemoryChain(params);
      for (let h = 1; h <= 4; h++) fork.connect(t.node.store.getBlock(t.node.chain.atHeight(h)!.hash)!);
      const side: Block[] = mineBlocks(fork, 2, addrA);
      for (const b of side) t.node.submitBlock(b, "local");
      expect(t.node.chain.tip.hash).toBe(side[1]!.hash);

      // Lookups answer the new branch: no receipt, the transfer pending again, the old block gone.
      expect((await call("eth_getTransactionReceipt", [hash])).result).toBeNull();
      const pending = (await call("eth_getTransactionByHash", [hash])).result;
      expect(pending).toMatchObject({ hash, blockHash: null, blockNumber: null });
      expect((await call("eth_getBlockByNumber", ["0x5", false])).result.hash).toBe(`0x${side[0]!.hash}`);
      expect((await call("eth_getTransactionByBlockNumberAndIndex", ["0x5", "0x1"])).result).toBeNull();
      expect((await call("eth_getBlockTransactionCountByNumber", ["0x5"])).result).toBe("0x1");
      expect((await call("eth_getBalance", [addrB, "latest"])).result).toBe("0x0");
      expect((await call("eth_getTransactionCount", [account.address, "latest"])).result).toBe("0x0");
      expect((await call("eth_getTransactionCount", [account.address, "pending"])).result).toBe("0x1");
      expect((await call("eth_blockNumber")).result).toBe("0x6");

      // Mined again on the new branch: the receipt points at its new block.
      const b7 = mineNext(t.node, addrC);
      expect((await call("eth_getTransactionReceipt", [hash])).result).toMatchObject({
        blockHash: `0x${b7.hash}`,
        blockNumber: "0x7",
      });
      expect((await call("eth_getTransactionByBlockHashAndIndex", [`0x${b7.hash}`, "0x1"])).result.hash).toBe(
        hash,
      );
      expect((await call("eth_getBalance", [addrB, "latest"])).result).toBe(q(parseEther("0.001")));

      // The subscriber saw every block that joined the best chain, the new branch after the old.
      const seen = await until(() => (heads.length >= 5 ? heads : undefined));
      expect(seen.map((h) => [h.number, h.hash])).toEqual([
        ["0x4", `0x${t.node.chain.atHeight(4)!.hash}`],
        ["0x5", `0x${b5.hash}`],
        ["0x5", `0x${side[0]!.hash}`],
        ["0x6", `0x${side[1]!.hash}`],
        ["0x7", `0x${b7.hash}`],
      ]);
      expect(seen[2].parentHash).toBe(seen[0].hash);
      // A block filter reports the same sequence of hashes.
      expect((await call("eth_getFilterChanges", [blockFilter])).result).toEqual(seen.map((h) => h.hash));
    } finally {
      close();
    }
  });
});
