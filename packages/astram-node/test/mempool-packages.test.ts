import {
  type Block,
  searchNonce,
  type Transaction,
  transactionSize,
  type Utxo,
  VerifyError,
} from "astram-core";
import { MemoryChain } from "astram-core/testing";
import { buildBlockTemplate, type Chainstate, Mempool, type MempoolLimits } from "astram-node";
import { describe, expect, it } from "vitest";
import { addrA, addrB, FEE, keyA, mineBlocks, ONE, openChain, params } from "./helpers.js";

/** A fixed clock after the test chain's blocks (which start at 1,738,800,000, 10 s apart) and before today. */
const NOW = 1_738_810_000;

function setup(blocks = 6, limits: Partial<MempoolLimits> = {}) {
  const ref = new MemoryChain(params);
  const c = openChain();
  for (const b of mineBlocks(ref, blocks)) c.chain.acceptBlock(b);
  const mempool = new Mempool(c.store, { chainId: params.chainId, limits, now: () => NOW });
  c.chain.on("update", (u) => {
    for (const b of u.connected) mempool.removeForBlock(b.transactions);
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

/** The change output (vout 1) of a transfer made by MemoryChain.spend. */
function changeOf(tx: Transaction): Utxo {
  return { txid: tx.txid, vout: 1, to: addrA, amount: tx.outputs[1]!.amount };
}

/** `length` transfers, each spending the previous one's change; fees from `feeOf(i)`. */
function chainOfSpends(ref: MemoryChain, start: Utxo, length: number, feeOf: (i: number) => bigint) {
  const txs: Transaction[] = [];
  let coin = start;
  for (let i = 0; i < length; i++) {
    const tx = ref.spend(keyA, [coin], [{ to: addrB, amount: ONE / 100n }], feeOf(i));
    txs.push(tx);
    coin = changeOf(tx);
  }
  return txs;
}

/** Mines the next template (difficulty 1 on this chain) and submits it: throws VerifyError if invalid. */
function mineTemplate(chain: Chainstate, mempool: Mempool, now = NOW): Block {
  const t = buildBlockTemplate(chain, mempool, addrB, now);
  const found = searchNonce(t.block.header)!;
  const block = { ...t.block, header: { ...t.block.header, nonce: found.nonce }, hash: found.hash };
  chain.acceptBlock(block);
  return block;
}

describe("mempool package limits (25 ancestors / 25 descendants, 101 kB each way)", () => {
  it("admits a chain of 25 pending transactions and refuses the 26th, changing nothing", async () => {
    const { ref, mempool, coins, close } = setup();
    const txs = chainOfSpends(ref, coins[0]!, 26, () => FEE);
    for (const tx of txs.slice(0, 25)) mempool.add(tx);
    const before = mempool.size;
    expect(code(() => mempool.add(txs[25]!))).toBe("too-long-mempool-chain");
    expect(mempool.size).toBe(before);
    expect(mempool.has(txs[25]!.txid)).toBe(false);
    expect(mempool.ancestorsOf(txs[24]!.txid)).toHaveLength(24);
    await close();
  });

  it("refuses a 25th descendant of one pending parent", async () => {
    const { ref, mempool, coins, close } = setup();
    // One parent with 30 outputs; each child spends one of them.
    const parent = ref.spend(
      keyA,
      [coins[0]!],
      Array.from({ length: 30 }, () => ({ to: addrA, amount: ONE / 10n })),
      FEE,
    );
    mempool.add(parent);
    const child = (vout: number) =>
      ref.spend(
        keyA,
        [{ txid: parent.txid, vout, to: addrA, amount: ONE / 10n }],
        [{ to: addrB, amount: ONE / 100n }],
        FEE,
      );
    for (let vout = 0; vout < 24; vout++) mempool.add(child(vout));
    expect(mempool.descendantsOf(parent.txid)).toHaveLength(24);
    expect(code(() => mempool.add(child(24)))).toBe("too-long-mempool-chain");
    expect(mempool.size).toBe(25);
    await close();
  });

  it("refuses a package over the byte limits", async () => {
    const { ref, mempool, coins, close } = setup(6, { maxAncestorBytes: 1200 });
    const [a, b, c] = chainOfSpends(ref, coins[0]!, 3, () => FEE);
    mempool.add(a!);
    mempool.add(b!);
    expect(mempool.get(a!.txid)!.size + mempool.get(b!.txid)!.size).toBeLessThanOrEqual(1200);
    expect(code(() => mempool.add(c!))).toBe("too-long-mempool-chain");
    await close();
  });
});

describe("block templates by package fee rate", () => {
  it("takes a poor parent with its rich child before a standalone transaction when room is short", async () => {
    const { ref, mempool, coins, close } = setup();
    const parent = ref.spend(keyA, [coins[0]!], [{ to: addrB, amount: ONE }], FEE);
    const child = ref.spend(keyA, [changeOf(parent)], [{ to: addrB, amount: ONE }], 20n * FEE);
    const standalone = ref.spend(keyA, [coins[1]!], [{ to: addrB, amount: ONE }], 5n * FEE);
    for (const tx of [parent, child, standalone]) mempool.add(tx);
    const room = mempool.get(parent.txid)!.size + mempool.get(child.txid)!.size;
    expect(mempool.selectForBlock(room).map((e) => e.tx.txid)).toEqual([parent.txid, child.txid]);
    await close();
  });

  it("a chain whose children pay more than their parents goes into one valid block", async () => {
    const { ref, mempool, coins, chain, close } = setup();
    const txs = chainOfSpends(ref, coins[0]!, 25, (i) => FEE * BigInt(i + 1));
    for (const tx of txs) mempool.add(tx);
    const block = mineTemplate(chain, mempool);
    expect(block.transactions.slice(1).map((t) => t.txid)).toEqual(txs.map((t) => t.txid));
    expect(mempool.size).toBe(0);
    await close();
  });
});

describe("eviction when full", () => {
  it("never evicts the parent of the transaction being admitted: the next template stays valid", async () => {
    const { ref, mempool, coins, chain, close } = setup(6, { maxCount: 2 });
    const parent = ref.spend(keyA, [coins[0]!], [{ to: addrB, amount: ONE }], FEE);
    const other = ref.spend(keyA, [coins[1]!], [{ to: addrB, amount: ONE }], 2n * FEE);
    mempool.add(parent);
    mempool.add(other);
    // The child pays the most; the lowest fee rate in the pool is its own parent.
    const child = ref.spend(keyA, [changeOf(parent)], [{ to: addrB, amount: ONE }], 10n * FEE);
    mempool.add(child);
    expect(mempool.has(parent.txid)).toBe(true);
    expect(mempool.has(child.txid)).toBe(true);
    expect(mempool.has(other.txid)).toBe(false);
    const block = mineTemplate(chain, mempool);
    expect(block.transactions.slice(1).map((t) => t.txid)).toEqual([parent.txid, child.txid]);
    await close();
  });

  it("evicts a transaction together with its descendants, scored by the package a child pays for", async () => {
    const { ref, mempool, coins, close } = setup(6, { maxCount: 3 });
    const parent = ref.spend(keyA, [coins[0]!], [{ to: addrB, amount: ONE }], FEE);
    const child = ref.spend(keyA, [changeOf(parent)], [{ to: addrB, amount: ONE }], 9n * FEE);
    const middle = ref.spend(keyA, [coins[1]!], [{ to: addrB, amount: ONE }], 3n * FEE);
    for (const tx of [parent, child, middle]) mempool.add(tx);
    // The parent's own rate is the lowest, but with its child it is worth 5 FEE: the middle one goes.
    mempool.add(ref.spend(keyA, [coins[2]!], [{ to: addrB, amount: ONE }], 4n * FEE));
    expect(mempool.has(middle.txid)).toBe(false);
    expect(mempool.has(parent.txid) && mempool.has(child.txid)).toBe(true);
    // Richer newcomers: first the 4 FEE one goes, then the parent (worth 5 FEE) with its child.
    mempool.add(ref.spend(keyA, [coins[3]!], [{ to: addrB, amount: ONE }], 30n * FEE));
    expect(mempool.has(parent.txid) && mempool.has(child.txid)).toBe(true);
    mempool.add(ref.spend(keyA, [coins[4]!], [{ to: addrB, amount: ONE }], 40n * FEE));
    expect(mempool.has(parent.txid) || mempool.has(child.txid)).toBe(false);
    expect(mempool.size).toBe(2);
    await close();
  });

  it("a refused newcomer evicts nothing", async () => {
    const ref = new MemoryChain(params);
    mineBlocks(ref, 6);
    const coins = ref.utxosOf(addrA);
    const cheap = ref.spend(keyA, [coins[0]!], [{ to: addrB, amount: ONE }], FEE);
    const rich = ref.spend(keyA, [coins[1]!], [{ to: addrB, amount: ONE }], 20n * FEE);
    // Pays more per byte than `cheap` and less than `rich`, and needs more room than `cheap` frees.
    const wide = ref.spend(keyA, [coins[2]!, coins[3]!], [{ to: addrB, amount: ONE }], 10n * FEE);
    expect(transactionSize(wide)).toBeGreaterThan(transactionSize(cheap));
    const { mempool, close } = setup(6, { maxBytes: transactionSize(cheap) + transactionSize(rich) });
    mempool.add(cheap);
    mempool.add(rich);
    expect(mempool.get(wide.txid)).toBeUndefined();
    expect(code(() => mempool.add(wide))).toBe("mempool-full");
    expect(mempool.has(cheap.txid) && mempool.has(rich.txid)).toBe(true);
    await close();
  });
});

describe("transactions dated after the next block", () => {
  it("refuses a transaction dated more than a minute past the clock", async () => {
    const { ref, mempool, coins, close } = setup();
    const late = ref.spend(keyA, [coins[0]!], [{ to: addrB, amount: ONE }], FEE, NOW + 61);
    expect(code(() => mempool.add(late))).toBe("tx-premature");
    expect(mempool.size).toBe(0);
    await close();
  });

  it("holds a slightly early transaction and its children out of templates until their time", async () => {
    const { ref, mempool, coins, chain, close } = setup();
    const early = ref.spend(keyA, [coins[0]!], [{ to: addrB, amount: ONE }], FEE, NOW + 30);
    const child = ref.spend(keyA, [changeOf(early)], [{ to: addrB, amount: ONE }], FEE, NOW);
    const timely = ref.spend(keyA, [coins[1]!], [{ to: addrB, amount: ONE }], FEE, NOW);
    for (const tx of [early, child, timely]) mempool.add(tx);
    const now = buildBlockTemplate(chain, mempool, addrB, NOW);
    expect(now.transactions.map((t) => t.txid)).toEqual([timely.txid]);
    const later = mineTemplate(chain, mempool, NOW + 30)
      .transactions.slice(1)
      .map((t) => t.txid);
    expect([...later].sort()).toEqual([early.txid, child.txid, timely.txid].sort());
    expect(later.indexOf(early.txid)).toBeLessThan(later.indexOf(child.txid));
    await close();
  });
});

describe("blocks and reorgs", () => {
  it("a block confirming a parent leaves its pending child in place", async () => {
    const { ref, mempool, coins, chain, close } = setup();
    const parent = ref.spend(keyA, [coins[0]!], [{ to: addrB, amount: ONE }], FEE);
    const child = ref.spend(keyA, [changeOf(parent)], [{ to: addrB, amount: ONE }], FEE);
    mempool.add(parent);
    mempool.add(child);
    chain.acceptBlock(ref.mine({ miner: addrA, transactions: [parent] }));
    expect(mempool.has(parent.txid)).toBe(false);
    expect(mempool.has(child.txid)).toBe(true);
    expect(mempool.ancestorsOf(child.txid)).toEqual([]);
    await close();
  });

  it("re-admits disconnected transactions parents first, whatever the order given", async () => {
    const { ref, mempool, coins, close } = setup();
    const txs = chainOfSpends(ref, coins[0]!, 4, () => FEE);
    expect(mempool.readmit([...txs].reverse())).toBe(4);
    expect(mempool.descendantsOf(txs[0]!.txid)).toHaveLength(3);
    await close();
  });
});
