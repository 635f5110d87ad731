import { createTransaction, VerifyError } from "astram-core";
import { MemoryChain } from "astram-core/testing";
import { ChainStore, Chainstate } from "astram-node";
import { describe, expect, it } from "vitest";
import {
  addrA,
  addrB,
  expectSameState,
  FEE,
  forkAt,
  keyA,
  mineBlocks,
  ONE,
  openChain,
  params,
} from "./helpers.js";

describe("chainstate on LMDB", () => {
  it("grows linearly and matches the reference chain, including spends", async () => {
    const ref = new MemoryChain(params);
    const c = openChain();
    for (const b of mineBlocks(ref, 4)) expect(c.chain.acceptBlock(b).status).toBe("connected");
    const tx = ref.spend(keyA, ref.utxosOf(addrA).slice(0, 2), [{ to: addrB, amount: 3n * ONE }], FEE);
    const b5 = ref.mine({ miner: addrA, transactions: [tx] });
    expect(c.chain.acceptBlock(b5).status).toBe("connected");
    expectSameState(c.store, c.chain, ref);
    expect(c.store.getTxLocation(tx.txid)).toEqual({ blockHash: b5.hash, position: 1 });
    expect(c.store.txidForEthHash(tx.ethHash.slice(2))).toBe(tx.txid);
    expect(c.store.addressHistory(addrB).map((h) => h.txid)).toEqual([tx.txid]);
    // Newest first: the spend (position 1) then the coinbase (position 0) of the same block.
    expect(c.store.addressHistory(addrA, { limit: 2 }).map((h) => h.txid)).toEqual([
      tx.txid,
      b5.transactions[0]!.txid,
    ]);
    expect(c.store.addressHistory(addrA, { offset: 1, limit: 1 })[0]!.txid).toBe(b5.transactions[0]!.txid);
    await c.close();
  });

  it("ignores blocks it already has", async () => {
    const ref = new MemoryChain(params);
    const c = openChain();
    const [b1] = mineBlocks(ref, 1);
    c.chain.acceptBlock(b1!);
    expect(c.chain.acceptBlock(b1!).status).toBe("duplicate");
    expect(c.chain.acceptBlock(ref.blocks[0]!).status).toBe("duplicate");
    expectSameState(c.store, c.chain, ref);
    await c.close();
  });

  it("keeps orphans and connects them when the parent arrives", async () => {
    const ref = new MemoryChain(params);
    const c = openChain();
    const blocks = mineBlocks(ref, 6);
    for (const b of blocks.slice(1).reverse()) expect(c.chain.acceptBlock(b).status).toBe("orphan");
    expect(c.chain.height).toBe(0);
    expect(c.chain.acceptBlock(blocks[0]!).status).toBe("connected");
    expectSameState(c.store, c.chain, ref);
    expect(c.chain.orphans.size).toBe(0);
    await c.close();
  });

  it("switches to a heavier branch: spent outputs restored, the branch's spends applied", async () => {
    const ref = new MemoryChain(params);
    const c = openChain();
    for (const b of mineBlocks(ref, 3)) c.chain.acceptBlock(b);
    const fork = forkAt(ref, 3);
    const spend = ref.spend(keyA, ref.utxosOf(addrA).slice(0, 1), [{ to: addrB, amount: ONE }], FEE);
    c.chain.acceptBlock(ref.mine({ miner: addrA, transactions: [spend] }));
    c.chain.acceptBlock(ref.mine({ miner: addrA }));
    expect(c.store.addressStats(addrB).received).toBe(ONE);
    // A competing branch from height 3, one block longer (same difficulty, so more work).
    const branch = mineBlocks(fork, 3, addrB);
    expect(c.chain.acceptBlock(branch[0]!).status).toBe("side-branch");
    expect(c.chain.acceptBlock(branch[1]!).status).toBe("side-branch"); // equal work: first seen wins
    const r = c.chain.acceptBlock(branch[2]!);
    expect(r.status).toBe("reorganized");
    expect(r.status === "reorganized" && r.disconnected).toBe(2);
    expectSameState(c.store, c.chain, fork);
    expect(c.store.getTxLocation(spend.txid)).toBeUndefined();
    await c.close();
  });

  it("refuses a reorg deeper than 100 blocks", async () => {
    const ref = new MemoryChain(params);
    const c = openChain();
    for (const b of mineBlocks(ref, 2)) c.chain.acceptBlock(b);
    const fork = forkAt(ref, 2);
    for (const b of mineBlocks(ref, 101)) c.chain.acceptBlock(b);
    const refused: number[] = [];
    c.chain.on("reorg-refused", ({ depth }) => refused.push(depth));
    for (const b of mineBlocks(fork, 102, addrB)) c.chain.acceptBlock(b);
    expect(refused).toContain(101);
    expectSameState(c.store, c.chain, ref);
    await c.close();
  }, 120_000);

  it("rejects invalid blocks with their code and changes nothing", async () => {
    const ref = new MemoryChain(params);
    const c = openChain();
    for (const b of mineBlocks(ref, 2)) c.chain.acceptBlock(b);
    const good = ref.buildBlock({ miner: addrA });
    const cases: [string, () => unknown][] = [
      ["bad-block-hash", () => c.chain.acceptBlock({ ...good, hash: "0".repeat(64) })],
      [
        "bad-merkle-root",
        () =>
          c.chain.acceptBlock({
            ...good,
            transactions: [
              createTransaction({ inputs: [], outputs: [{ to: addrA, amount: 1n }], timestamp: 1 }),
            ],
          }),
      ],
      ["bad-coinbase-amount", () => c.chain.acceptBlock(ref.buildBlock({ miner: addrA, fees: 1n }))],
      ["bad-diff", () => c.chain.acceptBlock(ref.buildBlock({ miner: addrA, difficulty: 2 }))],
    ];
    for (const [code, fn] of cases) {
      let err: unknown;
      try {
        fn();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(VerifyError);
      expect((err as VerifyError).code).toBe(code);
      expectSameState(c.store, c.chain, ref);
    }
    expect(c.chain.acceptBlock(good).status).toBe("connected");
    await c.close();
  });

  it("a block that spends an output twice is remembered invalid; its descendants are refused", async () => {
    const ref = new MemoryChain(params);
    const c = openChain();
    for (const b of mineBlocks(ref, 2)) c.chain.acceptBlock(b);
    // A side branch block with a spend of a missing output: stored, fails on activation.
    const fork = forkAt(ref, 1);
    const ghost = { txid: "ab".repeat(32), vout: 0, to: addrA, amount: 5n * ONE };
    const bad = fork.spend(keyA, [ghost], [{ to: addrB, amount: ONE }], FEE);
    const b2 = fork.mine({ miner: addrB });
    const b3 = fork.buildBlock({ miner: addrB, transactions: [bad], fees: FEE });
    c.chain.acceptBlock(b2);
    expect(() => c.chain.acceptBlock(b3)).toThrow(VerifyError);
    expectSameState(c.store, c.chain, ref);
    expect(c.chain.getEntry(b3.hash)?.status).toBe("invalid");
    expect(c.chain.tip.hash).toBe(ref.tip.hash);
    // A child of the invalid block is refused outright.
    const child = { ...b3, header: { ...b3.header, index: 4, previousHash: b3.hash } };
    expect(() => c.chain.acceptBlock(child)).toThrow(VerifyError);
    await c.close();
  });

  it("reindex rebuilds the same state from stored blocks, reporting progress", async () => {
    const ref = new MemoryChain(params);
    const c = openChain();
    for (const b of mineBlocks(ref, 3)) c.chain.acceptBlock(b);
    const tx = ref.spend(keyA, ref.utxosOf(addrA).slice(0, 2), [{ to: addrB, amount: ONE }], FEE);
    c.chain.acceptBlock(ref.mine({ miner: addrA, transactions: [tx] }));
    await c.close();
    const progress: number[] = [];
    const store = ChainStore.open(c.dir, params.networkId);
    const chain = new Chainstate(store, params, { onProgress: (_what, done) => progress.push(done) });
    chain.init();
    chain.reindex();
    expectSameState(store, chain, ref);
    expect(progress.at(-1)).toBe(5);
    await store.close();
  });

  it("state after reopening equals state before", async () => {
    const ref = new MemoryChain(params);
    const c = openChain();
    for (const b of mineBlocks(ref, 5)) c.chain.acceptBlock(b);
    const fork = forkAt(ref, 4);
    for (const b of mineBlocks(fork, 1, addrB)) c.chain.acceptBlock(b); // a side branch survives too
    await c.close();
    const again = openChain(c.dir);
    expectSameState(again.store, again.chain, ref);
    expect(again.chain.indexSize).toBe(7);
    await again.close();
  });
});
