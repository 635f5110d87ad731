import { bytesToHex, hexToBytes } from "astram-core";
import { MemoryChain } from "astram-core/testing";
import { type Hex, keccak256, parseEther, parseGwei } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { addrA, addrB, addrC, FEE, keyA, mineBlocks, ONE, params } from "./helpers.js";
import { mineNext, request, rpcCall, startTestNode, type TestNode } from "./service-helpers.js";

const CHAIN_ID = params.chainId;
const accountA = privateKeyToAccount(`0x${bytesToHex(keyA)}`);
const q = (v: bigint | number) => "0x" + v.toString(16);

async function node(blocks = 3): Promise<{ t: TestNode; ref: MemoryChain }> {
  const ref = new MemoryChain(params);
  mineBlocks(ref, blocks);
  return { t: await startTestNode({ blocks: ref.blocks.slice(1) }), ref };
}

/** A signed legacy transfer from A (viem signs it, as a wallet would). */
function legacy(
  over: { nonce?: number; to?: Hex; value?: bigint; gasPrice?: bigint; gas?: bigint; chainId?: number } = {},
) {
  return accountA.signTransaction({
    type: "legacy",
    chainId: over.chainId ?? CHAIN_ID,
    nonce: over.nonce ?? 0,
    to: over.to ?? (addrB as Hex),
    value: over.value ?? ONE,
    gas: over.gas ?? 21_000n,
    gasPrice: over.gasPrice ?? parseGwei("50"),
  });
}

describe("Ethereum JSON-RPC: chain and state", () => {
  it("answers the methods wallets call on a custom network", async () => {
    const { t, ref } = await node();
    try {
      const call = async (method: string, params: unknown[] = []) =>
        (await rpcCall(t.eth, method, params)).result;
      expect(await call("eth_chainId")).toBe("0x539");
      expect(await call("net_version")).toBe("1337");
      expect(await call("eth_blockNumber")).toBe("0x3");
      expect(await call("eth_gasPrice")).toBe(q(parseGwei("12")));
      expect(await call("eth_maxPriorityFeePerGas")).toBe(q(parseGwei("6")));
      // addrA's largest output alone pays 1 ram: one input, whose minimum fee 21,000 gas covers.
      expect(await call("eth_estimateGas", [{ from: addrA, to: addrB, value: "0x1" }])).toBe("0x5208");
      expect(await call("eth_getCode", [addrB, "latest"])).toBe("0x");
      expect(await call("eth_call", [{ to: addrB, data: "0x" }, "latest"])).toBe("0x");
      expect(await call("eth_accounts")).toEqual([]);
      expect(await call("web3_clientVersion")).toMatch(/^Astram\/v0\.1\.0\//);
      expect(await call("eth_getBalance", [addrA, "latest"])).toBe(q(ref.balanceOf(addrA)));
      expect(await call("eth_getBalance", [addrA.toUpperCase().replace("0X", "0x"), "latest"])).toBe(
        q(ref.balanceOf(addrA)),
      );
      expect(await call("eth_getBalance", [addrA, "0x1"])).toBe(q(8n * ONE));
      expect(await call("eth_getBalance", [addrA, "earliest"])).toBe("0x0");
      expect(await call("eth_getBalance", [addrB])).toBe("0x0");
      expect(await call("eth_getTransactionCount", [addrA, "latest"])).toBe("0x0");
      expect(await call("eth_getTransactionCount", [addrA, "pending"])).toBe("0x0");

      const est = await rpcCall(t.eth, "eth_estimateGas", [{ to: addrB, data: "0xa9059cbb" }]);
      expect(est.error).toMatchObject({ code: -32000 });
      const future = await rpcCall(t.eth, "eth_getBalance", [addrA, "0x10"]);
      expect(future.error).toEqual({ code: -32000, message: "header not found" });
    } finally {
      await t.stop();
    }
  });

  it("returns full block objects by number and hash, with the constant baseFeePerGas", async () => {
    const { t, ref } = await node();
    try {
      const byNumber = (await rpcCall(t.eth, "eth_getBlockByNumber", ["0x2", false])).result;
      const byHash = (await rpcCall(t.eth, "eth_getBlockByHash", [`0x${ref.blocks[2]!.hash}`, false])).result;
      expect(byHash).toEqual(byNumber);
      const coinbase = ref.blocks[2]!.transactions[0]!;
      expect(byNumber).toMatchObject({
        number: "0x2",
        hash: `0x${ref.blocks[2]!.hash}`,
        parentHash: `0x${ref.blocks[1]!.hash}`,
        timestamp: q(ref.blocks[2]!.header.timestamp),
        miner: addrA,
        gasUsed: "0x0",
        gasLimit: "0x1fffffffffffff",
        transactions: [coinbase.ethHash],
        uncles: [],
      });
      expect(byNumber.baseFeePerGas).toBe(q(parseGwei("6")));
      const latest = (await rpcCall(t.eth, "eth_getBlockByNumber", ["latest", true])).result;
      expect(latest.number).toBe("0x3");
      expect(latest.transactions[0]).toMatchObject({
        hash: ref.tip.transactions[0]!.ethHash,
        blockNumber: "0x3",
        transactionIndex: "0x0",
        from: "0x0000000000000000000000000000000000000000",
        to: addrA,
        value: q(8n * ONE),
      });
      expect((await rpcCall(t.eth, "eth_getBlockByNumber", ["earliest", false])).result.number).toBe("0x0");
      expect((await rpcCall(t.eth, "eth_getBlockByNumber", ["0x99", false])).result).toBeNull();
      expect((await rpcCall(t.eth, "eth_getBlockByHash", [`0x${"00".repeat(32)}`, false])).result).toBeNull();
      const bad = await rpcCall(t.eth, "eth_getBlockByNumber", ["next", false]);
      expect(bad.error.code).toBe(-32602);
      expect((await rpcCall(t.eth, "eth_getBlockTransactionCountByNumber", ["0x1"])).result).toBe("0x1");
    } finally {
      await t.stop();
    }
  });
});

describe("Ethereum JSON-RPC: protocol", () => {
  it("handles batches, notifications and the standard error codes", async () => {
    const { t } = await node(1);
    try {
      const post = (body: string) =>
        fetch(t.eth, { method: "POST", headers: { "content-type": "application/json" }, body });
      const batch = await (
        await post(
          JSON.stringify([
            { jsonrpc: "2.0", id: 1, method: "eth_chainId" },
            { jsonrpc: "2.0", id: "two", method: "eth_blockNumber", params: [] },
            { jsonrpc: "2.0", method: "eth_chainId" },
            { jsonrpc: "2.0", id: 3, method: "eth_nope" },
            { jsonrpc: "2.0", id: 4, method: "eth_getBalance", params: ["0x12"] },
            { jsonrpc: "1.0", id: 5, method: "eth_chainId" },
            42,
          ]),
        )
      ).json();
      expect(batch).toEqual([
        { jsonrpc: "2.0", id: 1, result: "0x539" },
        { jsonrpc: "2.0", id: "two", result: "0x1" },
        {
          jsonrpc: "2.0",
          id: 3,
          error: { code: -32601, message: "the method eth_nope does not exist/is not available" },
        },
        { jsonrpc: "2.0", id: 4, error: { code: -32602, message: "address: expected a 20-byte address" } },
        { jsonrpc: "2.0", id: 5, error: { code: -32600, message: 'invalid request: jsonrpc must be "2.0"' } },
        { jsonrpc: "2.0", id: null, error: { code: -32600, message: "invalid request: expected an object" } },
      ]);
      const parse = await (await post("{not json")).json();
      expect(parse.error.code).toBe(-32700);
      expect(parse.id).toBeNull();
      expect((await (await post("[]")).json()).error.code).toBe(-32600);
      const notification = await post(JSON.stringify({ jsonrpc: "2.0", method: "eth_chainId" }));
      expect(notification.status).toBe(204);
      const wrongCount = await rpcCall(t.eth, "eth_chainId", ["extra"]);
      expect(wrongCount.error).toEqual({ code: -32602, message: "expected 0 parameters, got 1" });
      // Any content type is read as JSON (some wallets send text/plain).
      const plain = await fetch(t.eth, {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 9, method: "net_version" }),
      });
      expect(await plain.json()).toEqual({ jsonrpc: "2.0", id: 9, result: "1337" });
    } finally {
      await t.stop();
    }
  });

  it("answers CORS preflights and allows any origin", async () => {
    const { t } = await node(1);
    try {
      const pre = await fetch(t.eth, {
        method: "OPTIONS",
        headers: {
          origin: "chrome-extension://metamask",
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type",
        },
      });
      expect(pre.status).toBe(204);
      expect(pre.headers.get("access-control-allow-origin")).toBe("*");
      expect(pre.headers.get("access-control-allow-methods")).toMatch(/POST/);
      expect(pre.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("content-type");
      const res = await fetch(t.eth, {
        method: "POST",
        headers: { origin: "https://dapp.example", "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId" }),
      });
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
    } finally {
      await t.stop();
    }
  });
});

describe("Ethereum JSON-RPC: eth_sendRawTransaction", () => {
  it("admits a legacy transfer, returns keccak256(raw), and answers lookups before and after mining", async () => {
    const { t } = await node();
    try {
      const raw = await legacy({ value: 2n * ONE });
      const sent = await rpcCall(t.eth, "eth_sendRawTransaction", [raw]);
      expect(sent.result).toBe(keccak256(raw));
      const hash = sent.result as string;
      const entry = t.node.mempool.getByEthHash(hash)!;
      expect(entry.ethSender).toBe(addrA);
      expect(entry.tx.outputs[0]).toEqual({ to: addrB, amount: 2n * ONE });
      expect(entry.fee).toBe(21_000n * parseGwei("50"));

      const pending = (await rpcCall(t.eth, "eth_getTransactionByHash", [hash])).result;
      expect(pending).toMatchObject({
        hash,
        from: addrA,
        to: addrB,
        value: q(2n * ONE),
        nonce: "0x0",
        gas: "0x5208",
        gasPrice: q(parseGwei("50")),
        blockHash: null,
        blockNumber: null,
        type: "0x0",
        chainId: "0x539",
      });
      expect((await rpcCall(t.eth, "eth_getTransactionReceipt", [hash])).result).toBeNull();
      expect((await rpcCall(t.eth, "eth_getTransactionCount", [addrA, "pending"])).result).toBe("0x1");
      expect((await rpcCall(t.eth, "eth_getTransactionCount", [addrA, "latest"])).result).toBe("0x0");
      // The HTTP API finds it by the same hash.
      expect((await request(`${t.api}/tx/${hash}`)).body.status).toBe("pending");

      const block = mineNext(t.node, addrC);
      const receipt = (await rpcCall(t.eth, "eth_getTransactionReceipt", [hash])).result;
      expect(receipt).toMatchObject({
        transactionHash: hash,
        status: "0x1",
        blockHash: `0x${block.hash}`,
        blockNumber: "0x4",
        transactionIndex: "0x1",
        from: addrA,
        to: addrB,
        gasUsed: "0x5208",
        cumulativeGasUsed: "0x5208",
        effectiveGasPrice: q(parseGwei("50")),
        contractAddress: null,
        logs: [],
      });
      const mined = (await rpcCall(t.eth, "eth_getTransactionByHash", [hash])).result;
      expect(mined).toMatchObject({ blockNumber: "0x4", transactionIndex: "0x1", from: addrA });
      // Our own eth_hash and the txid find the same transaction.
      const tx = block.transactions[1]!;
      expect((await rpcCall(t.eth, "eth_getTransactionReceipt", [tx.ethHash])).result.transactionHash).toBe(
        hash,
      );
      expect((await rpcCall(t.eth, "eth_getTransactionByHash", [`0x${tx.txid}`])).result.hash).toBe(hash);
      const blockObj = (await rpcCall(t.eth, "eth_getBlockByNumber", ["0x4", false])).result;
      expect(blockObj.transactions).toEqual([block.transactions[0]!.ethHash, hash]);
      expect(blockObj.gasUsed).toBe("0x5208");
      expect((await rpcCall(t.eth, "eth_getTransactionCount", [addrA, "latest"])).result).toBe("0x1");
      expect((await rpcCall(t.eth, "eth_getTransactionCount", [addrA, "0x3"])).result).toBe("0x0");
      expect((await rpcCall(t.eth, "eth_getBalance", [addrB, "latest"])).result).toBe(q(2n * ONE));
      expect((await rpcCall(t.eth, "eth_getBalance", [addrB, "0x3"])).result).toBe("0x0");

      // The same signed transaction is never applied twice.
      const replay = await rpcCall(t.eth, "eth_sendRawTransaction", [raw]);
      expect(replay.error.code).toBe(-32000);
      expect(replay.error.message).toMatch(/^nonce too low/);
      expect(t.node.mempool.size).toBe(0);
    } finally {
      await t.stop();
    }
  });

  it("admits EIP-1559 transfers, charging gasLimit x maxFeePerGas", async () => {
    const { t } = await node();
    try {
      const raw = await accountA.signTransaction({
        type: "eip1559",
        chainId: CHAIN_ID,
        nonce: 0,
        to: addrB as Hex,
        value: parseEther("0.5"),
        gas: 30_000n,
        maxFeePerGas: parseGwei("40"),
        maxPriorityFeePerGas: parseGwei("2"),
      });
      expect(raw.startsWith("0x02")).toBe(true);
      const hash = (await rpcCall(t.eth, "eth_sendRawTransaction", [raw])).result;
      expect(hash).toBe(keccak256(raw));
      expect(t.node.mempool.getByEthHash(hash)!.fee).toBe(30_000n * parseGwei("40"));
      mineNext(t.node, addrC);
      const tx = (await rpcCall(t.eth, "eth_getTransactionByHash", [hash])).result;
      expect(tx).toMatchObject({
        type: "0x2",
        maxFeePerGas: q(parseGwei("40")),
        maxPriorityFeePerGas: q(parseGwei("2")),
        gasPrice: q(parseGwei("40")),
        gas: q(30_000),
        value: q(parseEther("0.5")),
      });
      const receipt = (await rpcCall(t.eth, "eth_getTransactionReceipt", [hash])).result;
      expect(BigInt(receipt.gasUsed) * BigInt(receipt.effectiveGasPrice)).toBe(30_000n * parseGwei("40"));
      expect(receipt.type).toBe("0x2");
    } finally {
      await t.stop();
    }
  });

  it("spends pending change for the next nonce and includes both in order", async () => {
    const { t, ref } = await node();
    try {
      // A fresh account holding a single 1 ASRM output.
      const key = generatePrivateKey();
      const fresh = privateKeyToAccount(key);
      const fund = ref.spend(
        keyA,
        [ref.utxosOf(addrA)[0]!],
        [{ to: fresh.address.toLowerCase(), amount: ONE }],
        FEE,
      );
      t.node.submitTransaction(fund, "local");
      mineNext(t.node, addrC);
      const send = (nonce: number) =>
        fresh.signTransaction({
          type: "legacy",
          chainId: CHAIN_ID,
          nonce,
          to: addrB as Hex,
          value: parseEther("0.1"),
          gas: 21_000n,
          gasPrice: parseGwei("50"),
        });
      const h0 = (await rpcCall(t.eth, "eth_sendRawTransaction", [await send(0)])).result;
      const h1 = (await rpcCall(t.eth, "eth_sendRawTransaction", [await send(1)])).result;
      expect(h0).toMatch(/^0x[0-9a-f]{64}$/);
      expect(h1).toMatch(/^0x[0-9a-f]{64}$/);
      const e1 = t.node.mempool.getByEthHash(h1)!;
      expect(e1.tx.inputs[0]!.txid).toBe(t.node.mempool.getByEthHash(h0)!.tx.txid);
      const block = mineNext(t.node, addrC);
      expect(block.transactions.slice(1).map((tx) => tx.txid)).toEqual([
        t.node.store.txidForEthHash(h0.slice(2)),
        t.node.store.txidForEthHash(h1.slice(2)),
      ]);
      const fee = 21_000n * parseGwei("50");
      expect(BigInt((await rpcCall(t.eth, "eth_getBalance", [fresh.address])).result)).toBe(
        ONE - 2n * (parseEther("0.1") + fee),
      );
      expect((await rpcCall(t.eth, "eth_getTransactionCount", [fresh.address, "latest"])).result).toBe("0x2");
    } finally {
      await t.stop();
    }
  });

  it("refuses what the spec forbids with clear errors and changes nothing", async () => {
    const { t } = await node();
    try {
      const err = async (raw: unknown) => (await rpcCall(t.eth, "eth_sendRawTransaction", [raw])).error;
      expect(await err(await legacy({ chainId: 1 }))).toMatchObject({
        code: -32000,
        message: expect.stringMatching(/^invalid chain id for signer/),
      });
      // Beyond the 64 future nonces that may wait for their gap to fill.
      expect(await err(await legacy({ nonce: 64 }))).toMatchObject({
        code: -32000,
        message: expect.stringMatching(/^nonce too high/),
      });
      expect(await err(await legacy({ value: 1000n * ONE }))).toMatchObject({
        code: -32000,
        message: expect.stringMatching(/^insufficient funds for gas \* price \+ value/),
      });
      const cheap = await err(await legacy({ gasPrice: parseGwei("1") }));
      expect(cheap.code).toBe(-32000);
      expect(cheap.message).toMatch(/^transaction underpriced: .* use a gas price of at least \d+ wei$/);
      const needed = BigInt(/at least (\d+) wei/.exec(cheap.message)![1]!);
      expect(await err(await legacy({ gasPrice: needed - 1n }))).toMatchObject({ code: -32000 });
      expect(await err(await legacy({ gas: 20_000n, gasPrice: parseGwei("100") }))).toMatchObject({
        message: expect.stringMatching(/^intrinsic gas too low/),
      });
      const withData = await accountA.signTransaction({
        type: "legacy",
        chainId: CHAIN_ID,
        nonce: 0,
        to: addrB as Hex,
        value: ONE,
        gas: 50_000n,
        gasPrice: parseGwei("50"),
        data: "0xa9059cbb",
      });
      expect((await err(withData)).code).toBe(-32000);
      const creation = await accountA.signTransaction({
        type: "legacy",
        chainId: CHAIN_ID,
        nonce: 0,
        value: 0n,
        gas: 60_000n,
        gasPrice: parseGwei("50"),
        data: "0x6000",
      });
      expect((await err(creation)).message).toMatch(/contract creation/);
      // Pre-EIP-155 (no chain id): replayable on any chain, refused.
      const pre155 = await accountA.signTransaction({
        type: "legacy",
        nonce: 0,
        to: addrB as Hex,
        value: ONE,
        gas: 21_000n,
        gasPrice: parseGwei("50"),
      });
      expect((await err(pre155)).code).toBe(-32000);
      expect((await err("0x1234")).code).toBe(-32602);
      expect((await err("not hex")).code).toBe(-32602);
      expect((await err(12)).code).toBe(-32602);
      // A tampered signature recovers another sender, who owns nothing.
      const good = hexToBytes(await legacy());
      good[good.length - 5]! ^= 1;
      expect((await err(`0x${bytesToHex(good)}`)).code).toBe(-32000);
      expect(t.node.mempool.size).toBe(0);
      // A valid one still goes through afterwards.
      expect((await rpcCall(t.eth, "eth_sendRawTransaction", [await legacy()])).result).toMatch(/^0x/);
      // Pending nonce 0 is taken: the same price is not a replacement (10% more per gas is).
      expect(await err(await legacy({ value: 3n * ONE }))).toMatchObject({
        message: expect.stringMatching(/^replacement transaction underpriced/),
      });
      expect(await err(await legacy())).toMatchObject({ message: expect.stringMatching(/^already known/) });
    } finally {
      await t.stop();
    }
  });
});
