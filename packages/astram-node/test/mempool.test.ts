import { MAX_TX_SIZE, minFee, signTransaction, transactionSize, VerifyError } from "astram-core";
import { MemoryChain } from "astram-core/testing";
import { buildBlockTemplate, Mempool } from "astram-node";
import { describe, expect, it } from "vitest";
import { addrA, addrB, addrC, FEE, forkAt, keyA, mineBlocks, ONE, openChain, params } from "./helpers.js";

function setup(blocks = 4, limits = {}) {
  const ref = new MemoryChain(params);
  const c = openChain();
  for (const b of mineBlocks(ref, blocks)) c.chain.acceptBlock(b);
  const mempool = new Mempool(c.store, { chainId: params.chainId, limits });
  c.chain.on("update", (u) => {
    for (const b of u.connected) mempool.removeForBlock(b.transactions);
    mempool.readmit(u.disconnected.flatMap((b) => b.transactions.slice(1)));
  });
  return { ref, ...c, mempool, coins: ref.utxosOf(addrA) };
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(VerifyError);
    return (e as VerifyError).code;
  }
  throw new Error("expected a VerifyError");
}

describe("mempool admission", () => {
  it("admits a valid transfer and reports its fee", async () => {
    const { ref, mempool, coins, close } = setup();
    const tx = ref.spend(keyA, [coins[0]!], [{ to: addrB, amount: ONE }], FEE);
    const e = mempool.add(tx);
    expect(e.fee).toBe(FEE);
    expect(mempool.has(tx.txid)).toBe(true);
    expect(code(() => mempool.add(tx))).toBe("txn-already-in-mempool");
    await close();
  });

  it("rejects a double spend against the mempool and against the chain", async () => {
    const { ref, mempool, coins, chain, close } = setup();
    mempool.add(ref.spend(keyA, [coins[0]!], [{ to: addrB, amount: ONE }], FEE));
    expect(code(() => mempool.add(ref.spend(keyA, [coins[0]!], [{ to: addrC, amount: ONE }], FEE)))).toBe(
      "txn-mempool-conflict",
    );
    const confirmed = ref.spend(keyA, [coins[1]!], [{ to: addrB, amount: ONE }], FEE);
    chain.acceptBlock(ref.mine({ miner: addrA, transactions: [confirmed] }));
    expect(
      code(() => mempool.add(ref.spend(keyA, [coins[1]!], [{ to: addrC, amount: 2n * ONE }], FEE))),
    ).toBe("missing-or-spent-input");
    await close();
  });

  it("rejects low fees, dust, oversize and bad signatures", async () => {
    const { ref, mempool, coins, close } = setup();
    const probe = ref.spend(keyA, [coins[0]!], [{ to: addrB, amount: ONE }], FEE);
    const low = ref.spend(
      keyA,
      [coins[0]!],
      [{ to: addrB, amount: ONE }],
      minFee(transactionSize(probe)) - 1n,
    );
    expect(code(() => mempool.add(low))).toBe("fee-too-low");
    expect(code(() => mempool.add(ref.spend(keyA, [coins[0]!], [{ to: addrB, amount: 10n }], FEE)))).toBe(
      "dust-output",
    );
    const outs = Array.from({ length: 999 }, () => ({ to: addrB, amount: 10n ** 12n }));
    const big = signTransaction(
      { inputs: [{ txid: coins[0]!.txid, vout: 0 }], outputs: outs, timestamp: 1 },
      keyA,
    );
    const huge = {
      ...big,
      inputs: big.inputs.map((i) => ({ ...i, pubkey: i.pubkey + "00".repeat(MAX_TX_SIZE) })),
    };
    expect(code(() => mempool.add(huge))).toBe("tx-too-large");
    const forged = { ...probe, inputs: probe.inputs.map((i) => ({ ...i, signature: "00".repeat(64) })) };
    expect(code(() => mempool.add(forged))).toBe("bad-signature");
    expect(mempool.size).toBe(0);
    await close();
  });

  it("admits chains of pending transactions and evicts descendants with their parent", async () => {
    const { ref, mempool, coins, close } = setup();
    const parent = ref.spend(keyA, [coins[0]!], [{ to: addrA, amount: 5n * ONE }], FEE);
    mempool.add(parent);
    const child = ref.spend(
      keyA,
      [{ txid: parent.txid, vout: 0, to: addrA, amount: 5n * ONE }],
      [{ to: addrB, amount: ONE }],
      FEE,
    );
    mempool.add(child);
    expect(mempool.size).toBe(2);
    expect(
      mempool
        .remove(parent.txid)
        .map((e) => e.tx.txid)
        .sort(),
    ).toEqual([parent.txid, child.txid].sort());
    await close();
  });

  it("when full, evicts the lowest fee rate first and refuses lower payers", async () => {
    const { ref, mempool, coins, close } = setup(5, { maxCount: 2 });
    const t1 = ref.spend(keyA, [coins[0]!], [{ to: addrB, amount: ONE }], FEE);
    const t2 = ref.spend(keyA, [coins[1]!], [{ to: addrB, amount: ONE }], 2n * FEE);
    const t3 = ref.spend(keyA, [coins[2]!], [{ to: addrB, amount: ONE }], 3n * FEE);
    const cheap = ref.spend(keyA, [coins[3]!], [{ to: addrB, amount: ONE }], FEE / 2n);
    mempool.add(t1);
    mempool.add(t2);
    mempool.add(t3);
    expect(mempool.has(t1.txid)).toBe(false);
    expect(mempool.has(t2.txid) && mempool.has(t3.txid)).toBe(true);
    expect(code(() => mempool.add(cheap))).toBe("mempool-full");
    await close();
  });

  it("removes confirmed and conflicting transactions when a block connects, and re-admits after a reorg", async () => {
    const { ref, mempool, coins, chain, close } = setup();
    const fork = forkAt(ref, 4);
    const t1 = ref.spend(keyA, [coins[0]!], [{ to: addrB, amount: ONE }], FEE);
    const t2 = ref.spend(keyA, [coins[1]!], [{ to: addrB, amount: ONE }], FEE);
    mempool.add(t1);
    mempool.add(t2);
    // A block confirms t1 and spends t2's input differently: both leave the mempool.
    const conflict = ref.spend(keyA, [coins[1]!], [{ to: addrC, amount: ONE }], FEE);
    chain.acceptBlock(ref.mine({ miner: addrA, transactions: [t1, conflict] }));
    expect(mempool.size).toBe(0);
    // A heavier branch without that block: t1 and the conflicting spend return to the mempool.
    for (const b of mineBlocks(fork, 2, addrB)) chain.acceptBlock(b);
    expect(chain.tip.hash).toBe(fork.tip.hash);
    expect(mempool.has(t1.txid)).toBe(true);
    expect(mempool.has(conflict.txid)).toBe(true);
    await close();
  });

  it("block templates take the best fee rates, parents first, and pay reward + fees", async () => {
    const { ref, mempool, coins, chain, close } = setup();
    const low = ref.spend(keyA, [coins[0]!], [{ to: addrB, amount: ONE }], FEE);
    const high = ref.spend(keyA, [coins[1]!], [{ to: addrB, amount: ONE }], 5n * FEE);
    const child = ref.spend(
      keyA,
      [{ txid: low.txid, vout: 1, to: addrA, amount: low.outputs[1]!.amount }],
      [{ to: addrC, amount: ONE }],
      9n * FEE,
    );
    for (const t of [low, high, child]) mempool.add(t);
    const t = buildBlockTemplate(chain, mempool, addrA, ref.tip.header.timestamp + 10);
    // The child pays the most but waits for its parent.
    expect(t.transactions.map((x) => x.txid)).toEqual([high.txid, low.txid, child.txid]);
    expect(t.fees).toBe(15n * FEE);
    expect(t.block.transactions[0]!.outputs[0]!.amount).toBe(8n * ONE + 15n * FEE);
    await close();
  });
});
