import { type Hex, parseEther, parseGwei } from "viem";
import type { PrivateKeyAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addrB } from "./helpers.js";
import { CHAIN_ID, fundedAccount, walletNode } from "./rpc-helpers.js";
import { rpcCall, type TestNode } from "./service-helpers.js";

let t: TestNode;
let mine: () => void;
beforeAll(async () => {
  ({ t, mine } = await walletNode());
});
afterAll(() => t.stop());

const call = async (method: string, params: unknown[] = []) => rpcCall(t.eth, method, params);
const GAS = 40_000n;

function sign(
  account: PrivateKeyAccount,
  nonce: number,
  price: bigint,
  over: { to?: Hex; value?: bigint } = {},
) {
  return account.signTransaction({
    type: "eip1559",
    chainId: CHAIN_ID,
    nonce,
    to: over.to ?? (addrB as Hex),
    value: over.value ?? parseEther("0.001"),
    gas: GAS,
    maxFeePerGas: price,
    maxPriorityFeePerGas: price / 2n,
  });
}
const send = async (raw: Hex) => call("eth_sendRawTransaction", [raw]);
const pendingCount = async (a: PrivateKeyAccount) =>
  Number((await call("eth_getTransactionCount", [a.address, "pending"])).result);

describe("replacement by fee and queued nonces", () => {
  it("speeds up with 10% more per gas, refuses less with geth's message, and mines only the replacement", async () => {
    const account = fundedAccount(t, 3, parseEther("0.01"));
    const first = (await send(await sign(account, 0, parseGwei("20")))).result;
    expect((await send(await sign(account, 0, parseGwei("20")))).error.message).toMatch(/^already known/);
    // Same price with another value, then 9.5% more: both refused as geth refuses them.
    for (const price of [parseGwei("20"), parseGwei("21.9")]) {
      const refused = await send(await sign(account, 0, price, { value: parseEther("0.002") }));
      expect(refused.error).toEqual({
        code: -32000,
        message: expect.stringMatching(/^replacement transaction underpriced/),
      });
    }
    expect(t.node.mempool.getByEthHash(first)).toBeDefined();
    const faster = (await send(await sign(account, 0, parseGwei("22")))).result;
    expect(t.node.mempool.getByEthHash(first)).toBeUndefined();
    expect(t.node.mempool.getByEthHash(faster)).toBeDefined();
    expect(await pendingCount(account)).toBe(1);
    mine();
    expect((await call("eth_getTransactionReceipt", [faster])).result.status).toBe("0x1");
    expect((await call("eth_getTransactionReceipt", [first])).result).toBeNull();
    // The nonce slot names what holds it now (viem's replacement detection asks this).
    const slot = (await call("eth_getTransactionBySenderAndNonce", [account.address, "0x0"])).result;
    expect(slot).toMatchObject({ hash: faster, blockNumber: (await call("eth_blockNumber")).result });
  });

  it("cancels with a zero-value transfer to self, and keeps the later nonces that followed the replaced one", async () => {
    const account = fundedAccount(t, 1, parseEther("0.01"));
    const n0 = (await send(await sign(account, 0, parseGwei("20")))).result;
    const n1 = (await send(await sign(account, 1, parseGwei("20")))).result;
    // nonce 1 spends nonce 0's change: replacing 0 takes 1 out, which waits and comes back.
    expect(t.node.mempool.descendantsOf(t.node.mempool.getByEthHash(n0)!.tx.txid)).toHaveLength(1);
    const cancel = (await send(await sign(account, 0, parseGwei("22"), { to: account.address, value: 0n })))
      .result;
    expect(t.node.mempool.getByEthHash(n0)).toBeUndefined();
    const cancelEntry = t.node.mempool.getByEthHash(cancel)!;
    expect(cancelEntry.tx.outputs.map((o) => o.to)).toEqual([account.address.toLowerCase()]);
    expect(t.node.mempool.getByEthHash(n1)).toBeDefined();
    expect(await pendingCount(account)).toBe(2);
    mine();
    for (const h of [cancel, n1])
      expect((await call("eth_getTransactionReceipt", [h])).result.status).toBe("0x1");
  });

  it("queues a future nonce, promotes it when the gap fills, and bounds the queue", async () => {
    const account = fundedAccount(t, 4, parseEther("0.01"));
    const n2 = (await send(await sign(account, 2, parseGwei("20")))).result;
    const n1 = (await send(await sign(account, 1, parseGwei("20")))).result;
    expect(t.node.mempool.getByEthHash(n2)).toBeUndefined();
    // Queued, yet visible as pending (as geth shows its queue); the pending count stays at the gap.
    const shown = (await call("eth_getTransactionByHash", [n2])).result;
    expect(shown).toMatchObject({ hash: n2, nonce: "0x2", blockNumber: null, blockHash: null });
    expect(shown.from).toBe(account.address.toLowerCase());
    const bySlot = async (nonce: number) =>
      (await call("eth_getTransactionBySenderAndNonce", [account.address, `0x${nonce.toString(16)}`])).result;
    expect((await bySlot(2))?.hash).toBe(n2);
    expect(await bySlot(0)).toBeNull();
    expect(await pendingCount(account)).toBe(0);
    expect((await send(await sign(account, 1, parseGwei("20")))).error.message).toMatch(/^already known/);
    expect((await send(await sign(account, 1, parseGwei("20.5")))).error.message).toMatch(
      /^replacement transaction underpriced/,
    );
    expect((await send(await sign(account, 64, parseGwei("20")))).error.message).toMatch(/^nonce too high/);
    const n0 = (await send(await sign(account, 0, parseGwei("20")))).result;
    for (const h of [n0, n1, n2]) expect(t.node.mempool.getByEthHash(h)).toBeDefined();
    expect(await pendingCount(account)).toBe(3);
    mine();
    expect((await call("eth_getTransactionByHash", [n2])).result.blockNumber).toBe(
      (await call("eth_blockNumber")).result,
    );
    // Confirmed nonces come from the sender's history, newest first; a nonce never used is null.
    for (const [nonce, hash] of [
      [0, n0],
      [1, n1],
      [2, n2],
    ] as const)
      expect(await bySlot(nonce)).toMatchObject({ hash, nonce: `0x${nonce}`, blockHash: expect.any(String) });
    expect(await bySlot(3)).toBeNull();
    expect((await call("eth_getTransactionBySenderAndNonce", [account.address])).error.code).toBe(-32602);
    expect(Number((await call("eth_getTransactionCount", [account.address, "latest"])).result)).toBe(3);
  });
});
