// Switching heads: the transactions of blocks that leave the chain and are not on the new branch.
import { abandonedTransactions, Block, generateKeyPair } from "astreum";
import { afterEach, describe, expect, it } from "vitest";
import { MemoryChain, transfer } from "./consensus-helpers.js";
import { hex } from "./helpers.js";
import { closeAll, makeNode } from "./node-helpers.js";

afterEach(closeAll);

describe("abandonedTransactions", () => {
  it("returns what only the old branch carried; nothing when the new head descends from the old", async () => {
    const chain = await MemoryChain.create();
    const v = chain.validator;
    for (let i = 0; i < 3; i++) await chain.next(); // the validator earns enough to pay
    const r = generateKeyPair();
    const t1 = transfer(v, r.publicKey, 1n, 1n);
    const t2 = transfer(v, r.publicKey, 1n, 2n);
    // The old branch: one block with both transfers, off the current head, not appended.
    const old = await chain.next([t1, t2], 2, false);
    chain.add(old.atoms);
    expect(old.included.length).toBe(2);
    // The new branch: t1 only, then an empty block; it is longer and wins.
    const n1 = await chain.next([t1], 3);
    const n2 = await chain.next([], 2);
    const getBlock = async (hash: Uint8Array) => {
      try {
        return await Block.load(chain.lookup, hash);
      } catch {
        return null;
      }
    };
    const head = (b: Block) => ({ hash: b.hash(), block: b });
    const lost = await abandonedTransactions(chain.lookup, getBlock, head(old.block), head(n2.block));
    expect(lost.map(hex)).toEqual([hex(t2.hash())]);
    expect(await abandonedTransactions(chain.lookup, getBlock, head(n1.block), head(n2.block))).toEqual([]);
    // Back the other way: n1 and n2 carried t1 (kept by old) and nothing else.
    expect(await abandonedTransactions(chain.lookup, getBlock, head(n2.block), head(old.block))).toEqual([]);
    // A block on the way that cannot be loaded: nothing is guessed.
    expect(
      await abandonedTransactions(chain.lookup, async () => null, head(old.block), head(n2.block)),
    ).toEqual([]);
  });
});

describe("a node switching heads", () => {
  it("queues the transactions of abandoned blocks again (the node's wiring of abandonedTransactions)", async () => {
    const chain = await MemoryChain.create();
    const v = chain.validator;
    for (let i = 0; i < 3; i++) await chain.next();
    const t1 = transfer(v, generateKeyPair().publicKey, 1n, 1n);
    const old = await chain.next([t1], 2, false);
    chain.add(old.atoms);
    const n1 = await chain.next([], 3);
    const node = makeNode();
    await node.connect();
    await node.storeAtoms([...chain.atoms.values()]);
    // Unit isolation: the private step adopt() runs for a validating node after the head moves.
    const internals = node as unknown as {
      requeueAbandoned(previous: unknown, head: unknown): Promise<void>;
      pool: { size: number; take(): { hash(): Uint8Array }[] };
    };
    await internals.requeueAbandoned(
      { hash: old.block.hash(), block: old.block },
      { hash: n1.block.hash(), block: n1.block },
    );
    expect(internals.pool.take().map((tx) => hex(tx.hash()))).toEqual([hex(t1.hash())]);
  });
});
