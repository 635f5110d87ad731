import { parseEther, parseGwei } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TransactionReceipt, Web3 } from "web3";
import { ethState } from "../src/rpc/eth-state.js";
import { addrB } from "./helpers.js";
import { BASE_FEE, bumped, fundedKey, QUOTED_PRICE, walletNode } from "./rpc-helpers.js";
import { type TestNode, until } from "./service-helpers.js";

// One MetaMask-style wallet session with web3.js v4 against one dev node that mines on demand
// (mine()), so a speed-up or cancel always meets its original still pending.
let t: TestNode;
let mine: () => void;
let web3: Web3;
let wsWeb3: Web3;
beforeAll(async () => {
  ({ t, mine } = await walletNode());
  web3 = new Web3(t.eth);
  web3.setConfig({ transactionPollingInterval: 100, transactionReceiptPollingInterval: 100 });
  wsWeb3 = new Web3(t.eth.replace("http", "ws"));
});
afterAll(async () => {
  await wsWeb3.provider?.disconnect?.();
  await t.stop();
});

const inMempool = (hash: string) => until(() => t.node.mempool.getByEthHash(hash));
/** The hash web3.js reports once the node accepted the transaction (its promise waits for the receipt). */
type Sending = ReturnType<Web3["eth"]["sendTransaction"]>;
const hashOf = (sent: Sending) =>
  new Promise<string>((resolve, reject) => {
    sent.on("transactionHash", (hash) => resolve(String(hash)));
    sent.catch(reject);
  });
/** "mined", or the name of the error the original's receipt wait ended with. */
const outcome = (sent: Sending) =>
  sent.then(
    () => "mined",
    (e: unknown) => (e as Error).name,
  );

describe("a wallet session with web3.js v4 (HTTP and WebSocket providers)", () => {
  it("reads fees, estimates, sends with defaults, speeds up, cancels, fills a nonce gap and watches blocks", async () => {
    // Watch new blocks: a newHeads subscription over WebSocket, a block filter over HTTP.
    const heads: bigint[] = [];
    const subscription = await wsWeb3.eth.subscribe("newHeads");
    subscription.on("data", (h) => void heads.push(BigInt(h.number ?? -1)));
    await until(() => ethState(t.node).listenerCount("head") > 0);
    const blockFilter = await web3.requestManager.send({ method: "eth_newBlockFilter", params: [] });

    // Fees: eth_gasPrice, eth_maxPriorityFeePerGas, the block's base fee, eth_feeHistory.
    expect(await web3.eth.getGasPrice()).toBe(QUOTED_PRICE);
    expect(await web3.eth.getMaxPriorityFeePerGas()).toBe(QUOTED_PRICE - BASE_FEE);
    expect((await web3.eth.getBlock("latest")).baseFeePerGas).toBe(BASE_FEE);
    const history = await web3.eth.getFeeHistory(2, "latest", [50]);
    expect(history.baseFeePerGas).toEqual([BASE_FEE, BASE_FEE, BASE_FEE]);

    // A wallet account holding 12 outputs of 0.01 ASRM sends 0.1 ASRM: 11 inputs, more than 21,000 gas.
    const [account] = web3.eth.accounts.wallet.add(fundedKey(t, 12, parseEther("0.01")));
    const from = account!.address;
    const value = parseEther("0.1");
    const estimate = await web3.eth.estimateGas({ from, to: addrB, value });
    expect(estimate).toBeGreaterThan(21_000n);
    const balance0 = await web3.eth.getBalance(from);

    // Library defaults: no type, no fees, no gas, no nonce; the promise resolves with the receipt.
    const sending = web3.eth.sendTransaction({ from, to: addrB, value });
    const sentHash = await hashOf(sending);
    expect((await inMempool(sentHash)).tx.inputs).toHaveLength(11);
    // web3.js prices type 2 as 2 x base + its own 2.5 Gwei priority default: 14.5 Gwei per gas.
    const sentTx = await web3.eth.getTransaction(sentHash);
    expect(BigInt(sentTx.maxFeePerGas!)).toBe(2n * BASE_FEE + parseGwei("2.5"));
    // It estimates with that price, so it asks fewer gas units than the estimate at the 12 Gwei quote.
    expect(BigInt(sentTx.gas)).toBeLessThan(estimate);
    mine();
    const receipt = await sending;
    expect(receipt.status).toBe(1n);
    expect(receipt.type).toBe(2n);
    const paid = BigInt(receipt.gasUsed) * BigInt(receipt.effectiveGasPrice!);
    expect(await web3.eth.getBalance(from)).toBe(balance0 - value - paid);

    // Originals about to be replaced are sent by a web3 instance that gives up on their receipt soon
    // (web3.js has no replacement detection: it polls for the original's receipt until it times out).
    const impatient = new Web3(t.eth);
    impatient.setConfig({ transactionPollingInterval: 100, transactionPollingTimeout: 1500 });
    impatient.eth.accounts.wallet.add(account!);

    // Speed-up (nonce 1): same nonce, 10% more per gas (MetaMask's rate).
    const slowSending = impatient.eth.sendTransaction({ from, to: addrB, value: parseEther("0.001") });
    const slowGaveUp = outcome(slowSending);
    const slow = await web3.eth.getTransaction(await hashOf(slowSending));
    expect(slow.nonce).toBe(1n);
    const fastSending = web3.eth.sendTransaction({
      from,
      to: addrB,
      value: parseEther("0.001"),
      nonce: 1n,
      gas: slow.gas,
      maxFeePerGas: bumped(BigInt(slow.maxFeePerGas!)),
      maxPriorityFeePerGas: bumped(BigInt(slow.maxPriorityFeePerGas!)),
    });
    await inMempool(await hashOf(fastSending));
    expect(t.node.mempool.getByEthHash(slow.hash)).toBeUndefined();

    // Cancel another (nonce 2): 0 to self at the same nonce with 10% more per gas.
    // web3.js fills the nonce from the "latest" count by default (its defaultBlock), which a pending
    // transaction does not move: a wallet with one pending passes the "pending" count, as MetaMask
    // tracks its own (geth would refuse the collision the same way).
    const unwantedSending = impatient.eth.sendTransaction({
      from,
      to: addrB,
      value: parseEther("0.002"),
      nonce: await web3.eth.getTransactionCount(from, "pending"),
    });
    const unwantedGaveUp = outcome(unwantedSending);
    const unwanted = await web3.eth.getTransaction(await hashOf(unwantedSending));
    expect(unwanted.nonce).toBe(2n);
    const cancelSending = web3.eth.sendTransaction({
      from,
      to: from,
      value: 0n,
      nonce: 2n,
      gas: unwanted.gas,
      maxFeePerGas: bumped(BigInt(unwanted.maxFeePerGas!)),
      maxPriorityFeePerGas: bumped(BigInt(unwanted.maxPriorityFeePerGas!)),
    });
    await inMempool(await hashOf(cancelSending));
    mine();
    const [fast, cancel] = (await Promise.all([fastSending, cancelSending])) as TransactionReceipt[];
    expect(fast!.status).toBe(1n);
    expect(cancel!.status).toBe(1n);
    expect(cancel!.to).toBe(from.toLowerCase());
    expect(await slowGaveUp).toBe("TransactionPollingTimeoutError");
    expect(await unwantedGaveUp).toBe("TransactionPollingTimeoutError");
    expect(await web3.eth.getTransactionReceipt(slow.hash).catch(() => null)).toBeNull();

    // A future nonce (4) waits, visible as pending; the pending count stays at the gap (3).
    const futureSending = web3.eth.sendTransaction({
      from,
      to: addrB,
      value: parseEther("0.003"),
      nonce: 4n,
    });
    const futureHash = await hashOf(futureSending);
    const queued = await web3.eth.getTransaction(futureHash);
    expect(queued.nonce).toBe(4n);
    expect(queued.blockNumber ?? null).toBeNull();
    expect(await web3.eth.getTransactionCount(from, "pending")).toBe(3n);
    const gapSending = web3.eth.sendTransaction({
      from,
      to: addrB,
      value: parseEther("0.004"),
      nonce: await web3.eth.getTransactionCount(from, "pending"),
    });
    await inMempool(await hashOf(gapSending));
    await inMempool(futureHash);
    expect(await web3.eth.getTransactionCount(from, "pending")).toBe(5n);
    mine();
    for (const r of await Promise.all([gapSending, futureSending])) expect(r.status).toBe(1n);
    expect(await web3.eth.getTransactionCount(from, "latest")).toBe(5n);

    // Every block since the watch began reached the subscription and the filter, in order.
    const tip = BigInt(t.node.chain.height);
    await until(() => heads.includes(tip));
    expect(heads).toEqual([tip - 3n, tip - 2n, tip - 1n, tip]); // funding + three mined here
    const filtered = await web3.requestManager.send({
      method: "eth_getFilterChanges",
      params: [blockFilter],
    });
    expect(filtered).toEqual(await Promise.all(heads.map(async (n) => (await web3.eth.getBlock(n)).hash)));
    await subscription.unsubscribe();
  });
});
