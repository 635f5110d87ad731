import fc from "fast-check";
import { createPublicClient, defineChain, type Hex, parseEther, parseGwei, webSocket } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ethState } from "../src/rpc/eth-state.js";
import { addrB } from "./helpers.js";
import { CHAIN_ID, fundedAccount, walletNode } from "./rpc-helpers.js";
import { rpcCall, type TestNode, until } from "./service-helpers.js";

let t: TestNode;
let mine: () => void;
beforeAll(async () => {
  ({ t, mine } = await walletNode());
});
afterAll(() => t.stop());

const call = async (method: string, params: unknown[] = []) => rpcCall(t.eth, method, params);

describe("filters, logs and WebSocket subscriptions", () => {
  it("polls block and pending-transaction filters; log filters validate and stay empty", async () => {
    const blocks = (await call("eth_newBlockFilter")).result;
    const pending = (await call("eth_newPendingTransactionFilter")).result;
    const logs = (await call("eth_newFilter", [{ fromBlock: "0x0", address: addrB }])).result;
    const account = fundedAccount(t, 1, parseEther("0.01"));
    const raw = await account.signTransaction({
      type: "legacy",
      chainId: CHAIN_ID,
      nonce: 0,
      to: addrB as Hex,
      value: parseEther("0.001"),
      gas: 21_000n,
      gasPrice: parseGwei("12"),
    });
    const hash = (await call("eth_sendRawTransaction", [raw])).result;
    mine();
    const tip = (await call("eth_getBlockByNumber", ["latest", false])).result.hash;
    const seenBlocks = (await call("eth_getFilterChanges", [blocks])).result;
    expect(seenBlocks).toHaveLength(2); // the funding block and the one with the transfer
    expect(seenBlocks.at(-1)).toBe(tip);
    expect((await call("eth_getFilterChanges", [blocks])).result).toEqual([]);
    expect((await call("eth_getFilterChanges", [pending])).result).toContain(hash);
    expect((await call("eth_getFilterChanges", [logs])).result).toEqual([]);
    expect((await call("eth_getFilterLogs", [logs])).result).toEqual([]);
    expect((await call("eth_getLogs", [{ fromBlock: "0x0", toBlock: "latest" }])).result).toEqual([]);
    expect((await call("eth_getTransactionByBlockNumberAndIndex", ["latest", "0x1"])).result.hash).toBe(hash);
    expect((await call("eth_getTransactionByBlockHashAndIndex", [tip, "0x7"])).result).toBeNull();
    expect((await call("eth_getUncleCountByBlockHash", [tip])).result).toBe("0x0");
    expect((await call("eth_getProof", [addrB, [], "latest"])).error.code).toBe(-32000);
    expect((await call("eth_uninstallFilter", [blocks])).result).toBe(true);
    expect((await call("eth_getFilterChanges", [blocks])).error).toEqual({
      code: -32000,
      message: "filter not found",
    });
  });

  it("delivers newHeads and pending hashes over WebSocket on the HTTP port (viem webSocket transport)", async () => {
    const chain = defineChain({
      id: CHAIN_ID,
      name: "Astram devnet",
      nativeCurrency: { name: "Astram", symbol: "ASRM", decimals: 18 },
      rpcUrls: { default: { http: [t.eth] } },
    });
    const client = createPublicClient({ chain, transport: webSocket(t.eth.replace("http", "ws")) });
    try {
      expect(await client.getChainId()).toBe(CHAIN_ID);
      const heads: bigint[] = [];
      const unwatch = client.watchBlocks({ onBlock: (b) => void heads.push(b.number), emitOnBegin: false });
      const pending: string[] = [];
      const unwatchPending = client.watchPendingTransactions({
        onTransactions: (h) => void pending.push(...h),
      });
      // Both eth_subscribe calls are registered on the node before anything happens.
      const state = ethState(t.node);
      await until(() => state.listenerCount("head") > 0 && state.listenerCount("pending") > 0);
      const account = fundedAccount(t, 1, parseEther("0.01"));
      const raw = await account.signTransaction({
        type: "legacy",
        chainId: CHAIN_ID,
        nonce: 0,
        to: addrB as Hex,
        value: parseEther("0.001"),
        gas: 21_000n,
        gasPrice: parseGwei("12"),
      });
      const hash = (await call("eth_sendRawTransaction", [raw])).result;
      mine();
      const height = t.node.chain.height;
      await until(() => heads.includes(BigInt(height)) && pending.includes(hash));
      expect(heads).toEqual([BigInt(height - 1), BigInt(height)]);
      unwatch();
      unwatchPending();
    } finally {
      await client.transport.getRpcClient().then((c) => c.close());
    }
  });

  it("answers random filter objects and random params with JSON-RPC errors, never a crash (seed 1717)", async () => {
    const methods = [
      "eth_getLogs",
      "eth_newFilter",
      "eth_getFilterChanges",
      "eth_getFilterLogs",
      "eth_uninstallFilter",
      "eth_feeHistory",
      "eth_estimateGas",
      "eth_getTransactionByBlockNumberAndIndex",
      "eth_getBlockByNumber",
      "eth_sendRawTransaction",
      "eth_getTransactionCount",
      "eth_getTransactionBySenderAndNonce",
    ];
    const value = fc.oneof(fc.constantFrom("latest", "0x1", "0x", "0xzz", addrB), fc.jsonValue());
    const filter = fc.record(
      {
        fromBlock: value,
        toBlock: value,
        address: fc.oneof(value, fc.array(value)),
        topics: fc.array(fc.oneof(value, fc.array(value))),
        blockHash: value,
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...methods),
        fc.array(fc.oneof(filter, value), { maxLength: 4 }),
        async (method, params) => {
          const res = await call(method, params);
          expect(res.jsonrpc).toBe("2.0");
          if (res.error) expect([-32602, -32000]).toContain(res.error.code);
          else expect(res).toHaveProperty("result");
        },
      ),
      { seed: 1717, numRuns: 300, verbose: true },
    );
    expect((await call("eth_blockNumber")).result).toMatch(/^0x/);
  });
});
