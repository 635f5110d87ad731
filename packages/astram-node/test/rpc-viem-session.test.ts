import {
  type Chain,
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hash,
  type Hex,
  http,
  parseEther,
  type ReplacementReason,
  webSocket,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ethState } from "../src/rpc/eth-state.js";
import { addrB as recipient } from "./helpers.js";
import { BASE_FEE, bumped, CHAIN_ID, fundedKey, QUOTED_PRICE, walletNode } from "./rpc-helpers.js";
import { type TestNode, until } from "./service-helpers.js";

// One MetaMask-style wallet session with viem over HTTP and WebSocket against one dev node that
// mines on demand (mine()), so a speed-up or cancel always meets its original still pending.
let t: TestNode;
let mine: () => void;
let chain: Chain;
beforeAll(async () => {
  ({ t, mine } = await walletNode());
  chain = defineChain({
    id: CHAIN_ID,
    name: "Astram devnet",
    nativeCurrency: { name: "Astram", symbol: "ASRM", decimals: 18 },
    rpcUrls: { default: { http: [t.eth], webSocket: [t.eth.replace("http", "ws")] } },
  });
});
afterAll(() => t.stop());

const addrB = recipient as Hex;
const inMempool = (hash: string) => until(() => t.node.mempool.getByEthHash(hash));

describe("a wallet session with viem (http and webSocket transports)", () => {
  it("reads fees, estimates, sends with defaults, speeds up, cancels, fills a nonce gap and watches blocks", async () => {
    const wsTransport = webSocket(t.eth.replace("http", "ws"));
    const client = createPublicClient({ chain, transport: http(t.eth), pollingInterval: 100 });
    const wsClient = createPublicClient({ chain, transport: wsTransport });
    const account = privateKeyToAccount(fundedKey(t, 12, parseEther("0.01")));
    const wallet = createWalletClient({ account, chain, transport: http(t.eth) });
    const wsWallet = createWalletClient({ account, chain, transport: wsTransport });
    try {
      // Watch new blocks two ways: a newHeads subscription over WebSocket, a block filter over HTTP.
      const heads: bigint[] = [];
      const unwatch = wsClient.watchBlocks({ onBlock: (b) => void heads.push(b.number) });
      await until(() => ethState(t.node).listenerCount("head") > 0);
      const blockFilter = await client.createBlockFilter();
      const pendingFilter = await client.createPendingTransactionFilter();

      // Fees as viem reads them: the block's base fee plus eth_maxPriorityFeePerGas.
      expect(await client.getGasPrice()).toBe(QUOTED_PRICE);
      const fees = await client.estimateFeesPerGas();
      expect(fees.maxPriorityFeePerGas).toBe(QUOTED_PRICE - BASE_FEE);
      expect(fees.maxFeePerGas).toBe((BASE_FEE * 12n) / 10n + (QUOTED_PRICE - BASE_FEE));
      const history = await client.getFeeHistory({ blockCount: 2, rewardPercentiles: [50] });
      expect(history.baseFeePerGas).toEqual([BASE_FEE, BASE_FEE, BASE_FEE]);

      // 12 outputs of 0.01 ASRM pay 0.1 ASRM: 11 inputs, so more than 21,000 gas.
      const value = parseEther("0.1");
      const estimate = await client.estimateGas({ account, to: addrB, value });
      expect(estimate).toBeGreaterThan(21_000n);
      const balance0 = await client.getBalance({ address: account.address });

      // Library defaults: no type, no fees, no gas, no nonce.
      const sent = await wallet.sendTransaction({ to: addrB, value });
      expect((await inMempool(sent)).tx.inputs).toHaveLength(11);
      const sentTx = await client.getTransaction({ hash: sent });
      expect(sentTx.maxFeePerGas).toBe(fees.maxFeePerGas); // 13.2 Gwei: 1.2 x base + priority
      expect(sentTx.gas).toBe(estimate);
      const waiting = client.waitForTransactionReceipt({ hash: sent });
      mine();
      const receipt = await waiting;
      expect(receipt.status).toBe("success");
      expect(receipt.type).toBe("eip1559");
      const paid = receipt.gasUsed * receipt.effectiveGasPrice;
      expect(await client.getBalance({ address: account.address })).toBe(balance0 - value - paid);

      // Speed-up: same nonce, 10% more per gas (MetaMask's rate). viem reports the original replaced.
      const slow = await wallet.sendTransaction({ to: addrB, value: parseEther("0.001") });
      const slowTx = await client.getTransaction({ hash: slow });
      expect(slowTx.nonce).toBe(1);
      const fast = await wallet.sendTransaction({
        to: addrB,
        value: parseEther("0.001"),
        nonce: 1,
        gas: slowTx.gas,
        maxFeePerGas: bumped(slowTx.maxFeePerGas!),
        maxPriorityFeePerGas: bumped(slowTx.maxPriorityFeePerGas!),
      });
      expect(t.node.mempool.getByEthHash(slow)).toBeUndefined();

      // Cancel another (nonce 2): 0 to self at the same nonce with 10% more per gas, over WebSocket.
      const unwanted = await wallet.sendTransaction({ to: addrB, value: parseEther("0.002") });
      const unwantedTx = await client.getTransaction({ hash: unwanted });
      expect(unwantedTx.nonce).toBe(2);
      const cancel = await wsWallet.sendTransaction({
        to: account.address,
        value: 0n,
        nonce: 2,
        gas: unwantedTx.gas,
        maxFeePerGas: bumped(unwantedTx.maxFeePerGas!),
        maxPriorityFeePerGas: bumped(unwantedTx.maxPriorityFeePerGas!),
      });
      await inMempool(cancel);
      const replacements: { reason: ReplacementReason; hash: Hash }[] = [];
      // The node no longer knows a replaced transaction, so the wallet names the nonce slot it watches
      // (viem then asks eth_getTransactionBySenderAndNonce, else scans new blocks).
      const watch = (hash: Hash, sent: typeof slowTx) =>
        client.waitForTransactionReceipt({
          hash,
          replacement: {
            from: account.address,
            nonce: sent.nonce,
            to: sent.to,
            value: sent.value,
            input: "0x",
          },
          onReplaced: (r) => void replacements.push({ reason: r.reason, hash: r.transaction.hash }),
        });
      const both = Promise.all([watch(slow, slowTx), watch(unwanted, unwantedTx)]);
      mine();
      const [fastReceipt, cancelReceipt] = await both;
      expect(fastReceipt.transactionHash).toBe(fast);
      expect(cancelReceipt.transactionHash).toBe(cancel);
      expect(replacements).toHaveLength(2);
      expect(replacements).toEqual(
        expect.arrayContaining([
          { reason: "repriced", hash: fast },
          { reason: "cancelled", hash: cancel },
        ]),
      );
      expect(await client.getTransactionReceipt({ hash: slow }).catch(() => null)).toBeNull();

      // A future nonce (4) waits, visible as pending; the pending count stays at the gap (3).
      const future = await wsWallet.sendTransaction({ to: addrB, value: parseEther("0.003"), nonce: 4 });
      expect(await wsClient.getTransaction({ hash: future })).toMatchObject({ nonce: 4, blockNumber: null });
      expect(await client.getTransactionCount({ address: account.address, blockTag: "pending" })).toBe(3);
      const gap = await wallet.sendTransaction({ to: addrB, value: parseEther("0.004") });
      await inMempool(future);
      expect(await client.getTransactionCount({ address: account.address, blockTag: "pending" })).toBe(5);
      const mined = Promise.all([gap, future].map((hash) => client.waitForTransactionReceipt({ hash })));
      mine();
      for (const r of await mined) expect(r.status).toBe("success");
      expect(await client.getTransactionCount({ address: account.address })).toBe(5);

      // Every block since the watch began reached the subscription and the filter, in order.
      const tip = BigInt(t.node.chain.height);
      await until(() => heads.includes(tip));
      expect(heads).toEqual([tip - 2n, tip - 1n, tip]);
      const filtered = await client.getFilterChanges({ filter: blockFilter });
      expect(filtered).toEqual(
        await Promise.all(heads.map(async (n) => (await client.getBlock({ blockNumber: n })).hash)),
      );
      const pending = await client.getFilterChanges({ filter: pendingFilter });
      for (const h of [sent, fast, cancel, gap, future]) expect(pending).toContain(h);
      unwatch();
    } finally {
      await wsClient.transport.getRpcClient().then((c) => c.close());
    }
  });
});
