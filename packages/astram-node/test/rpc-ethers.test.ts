import { type Block, isError, JsonRpcProvider, parseEther, Wallet, WebSocketProvider } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ethState } from "../src/rpc/eth-state.js";
import { addrB } from "./helpers.js";
import { BASE_FEE, bumped, CHAIN_ID, fundedKey, QUOTED_PRICE, walletNode } from "./rpc-helpers.js";
import { type TestNode, until } from "./service-helpers.js";

// One MetaMask-style wallet session with ethers v6 against one dev node that mines on demand
// (mine()), so a speed-up or cancel always meets its original still pending.
let t: TestNode;
let mine: () => void;
let http: JsonRpcProvider;
let ws: WebSocketProvider;
beforeAll(async () => {
  ({ t, mine } = await walletNode());
  // cacheTimeout -1: no 250 ms reuse of an identical request (a balance read right after a block).
  http = new JsonRpcProvider(t.eth, CHAIN_ID, {
    staticNetwork: true,
    pollingInterval: 100,
    cacheTimeout: -1,
  });
  ws = new WebSocketProvider(t.eth.replace("http", "ws"), CHAIN_ID);
});
afterAll(async () => {
  http.destroy();
  await ws.destroy();
  await t.stop();
});

const inMempool = (hash: string) => until(() => t.node.mempool.getByEthHash(hash));

describe("a wallet session with ethers v6 (JsonRpcProvider and WebSocketProvider)", () => {
  it("reads fees, estimates, sends with defaults, speeds up, cancels, fills a nonce gap and watches blocks", async () => {
    // Watch new blocks two ways before anything happens: a newHeads subscription over WebSocket and
    // a block filter polled over HTTP.
    const heads: number[] = [];
    await ws.on("block", (n: number) => void heads.push(n));
    await until(() => ethState(t.node).listenerCount("head") > 0);
    const blockFilter: string = await http.send("eth_newBlockFilter", []);
    const pendingSeen: string[] = [];
    await http.on("pending", (hash: string) => void pendingSeen.push(hash));

    // Fees: eth_gasPrice, the block's base fee and eth_maxPriorityFeePerGas, as ethers combines them.
    const fees = await http.getFeeData();
    expect(fees.gasPrice).toBe(QUOTED_PRICE);
    expect(fees.maxPriorityFeePerGas).toBe(QUOTED_PRICE - BASE_FEE);
    expect(fees.maxFeePerGas).toBe(2n * BASE_FEE + (QUOTED_PRICE - BASE_FEE));

    // An account holding 12 outputs of 0.01 ASRM sends 0.1 ASRM: 11 inputs, so more than 21,000 gas.
    const wallet = new Wallet(fundedKey(t, 12, parseEther("0.01")), http);
    const value = parseEther("0.1");
    const estimate = await wallet.estimateGas({ to: addrB, value });
    expect(estimate).toBeGreaterThan(21_000n);
    const balance0 = await http.getBalance(wallet.address);

    // Library defaults: no type, no fees, no gas, no nonce.
    const sent = await wallet.sendTransaction({ to: addrB, value });
    expect(sent.type).toBe(2);
    expect(sent.nonce).toBe(0);
    expect(sent.gasLimit).toBe(estimate);
    expect(sent.maxFeePerGas).toBe(fees.maxFeePerGas); // 18 Gwei: 2 x base + priority
    expect((await inMempool(sent.hash)).tx.inputs).toHaveLength(11);
    const waiting = sent.wait();
    mine();
    const receipt = (await waiting)!;
    expect(receipt.status).toBe(1);
    expect(receipt.hash).toBe(sent.hash);
    expect(await http.getBalance(addrB, receipt.blockNumber)).toBeGreaterThanOrEqual(value);
    expect(await http.getBalance(wallet.address)).toBe(balance0 - value - receipt.gasUsed * receipt.gasPrice);

    // Speed-up: same nonce, 10% more per gas (MetaMask's rate). ethers reports the original replaced.
    const slow = await wallet.sendTransaction({ to: addrB, value: parseEther("0.001") });
    expect(slow.nonce).toBe(1);
    const fast = await wallet.sendTransaction({
      to: addrB,
      value: parseEther("0.001"),
      nonce: slow.nonce,
      gasLimit: slow.gasLimit,
      maxFeePerGas: bumped(slow.maxFeePerGas!),
      maxPriorityFeePerGas: bumped(slow.maxPriorityFeePerGas!),
    });
    expect(t.node.mempool.getByEthHash(slow.hash)).toBeUndefined();
    await inMempool(fast.hash);

    // Cancel another: nonce 2 sent, then 0 to self at the same nonce with 10% more per gas.
    const unwanted = await wallet.sendTransaction({ to: addrB, value: parseEther("0.002") });
    expect(unwanted.nonce).toBe(2);
    const cancel = await wallet.sendTransaction({
      to: wallet.address,
      value: 0n,
      nonce: unwanted.nonce,
      gasLimit: unwanted.gasLimit,
      maxFeePerGas: bumped(unwanted.maxFeePerGas!),
      maxPriorityFeePerGas: bumped(unwanted.maxPriorityFeePerGas!),
    });
    await inMempool(cancel.hash);
    const slowWait = slow.wait().catch((e: unknown) => e);
    const unwantedWait = unwanted.wait().catch((e: unknown) => e);
    mine();
    for (const [original, reason, replacement] of [
      [await slowWait, "repriced", fast.hash],
      [await unwantedWait, "cancelled", cancel.hash],
    ] as const) {
      expect(isError(original, "TRANSACTION_REPLACED")).toBe(true);
      if (!isError(original, "TRANSACTION_REPLACED")) continue;
      expect(original.reason).toBe(reason);
      expect(original.replacement.hash).toBe(replacement);
      expect(original.receipt.status).toBe(1);
    }
    expect(await http.getTransactionReceipt(slow.hash)).toBeNull();
    expect(await http.getTransactionReceipt(unwanted.hash)).toBeNull();

    // A future nonce (4) waits, visible as pending; the pending count stays at the gap (3) as geth's.
    const future = await wallet.sendTransaction({ to: addrB, value: parseEther("0.003"), nonce: 4 });
    const queued = await http.getTransaction(future.hash);
    expect(queued?.nonce).toBe(4);
    expect(queued?.blockNumber).toBeNull();
    expect(await http.getTransactionCount(wallet.address, "pending")).toBe(3);
    const gap = await wallet.sendTransaction({ to: addrB, value: parseEther("0.004") });
    expect(gap.nonce).toBe(3);
    await inMempool(future.hash);
    expect(await http.getTransactionCount(wallet.address, "pending")).toBe(5);
    const both = Promise.all([gap.wait(), future.wait()]);
    mine();
    for (const r of await both) expect(r?.status).toBe(1);
    expect(await http.getTransactionCount(wallet.address, "latest")).toBe(5);

    // Every block mined since the watch began reached the subscription and the filter, in order.
    const tip = t.node.chain.height;
    const expected = Array.from({ length: 4 }, (_, i) => tip - 3 + i); // funding + three mined here
    await until(() => heads.includes(tip));
    expect(heads).toEqual(expected);
    const hashes: string[] = await http.send("eth_getFilterChanges", [blockFilter]);
    expect(hashes).toEqual(
      await Promise.all(expected.map(async (n) => ((await http.getBlock(n)) as Block).hash)),
    );
    await until(() => pendingSeen.includes(future.hash));
    for (const h of [sent.hash, fast.hash, cancel.hash, gap.hash]) expect(pendingSeen).toContain(h);
  });
});
