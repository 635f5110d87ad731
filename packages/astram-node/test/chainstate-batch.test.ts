import { VerifyError } from "astram-core";
import { MemoryChain } from "astram-core/testing";
import type { ChainUpdate } from "astram-node";
import { describe, expect, it } from "vitest";
import { addrA, expectSameState, mineBlocks, openChain, params } from "./helpers.js";

describe("accepting a run of blocks in one commit", () => {
  it("an invalid block rolls back alone: the blocks before and after it stand, also after reopening", async () => {
    const ref = new MemoryChain(params);
    const c = openChain();
    const [b1, b2] = mineBlocks(ref, 2);
    const bad = ref.buildBlock({ miner: addrA, fees: 1n }); // claims fees nobody paid
    const [b3, b4] = mineBlocks(ref, 2);
    const outcomes = c.chain.acceptBlocks([b1!, b2!, bad, b3!, b4!, b4!]);
    expect(outcomes.map((o) => (o instanceof VerifyError ? o.code : o.status))).toEqual([
      "connected",
      "connected",
      "bad-coinbase-amount",
      "connected",
      "connected",
      "duplicate",
    ]);
    expectSameState(c.store, c.chain, ref);
    await c.close();
    const again = openChain(c.dir);
    expectSameState(again.store, again.chain, ref);
    expect(again.chain.getEntry(bad.hash)?.status).toBe("invalid");
    await again.close();
  });

  it("listeners hear of each block in order, once the whole run is committed", async () => {
    const ref = new MemoryChain(params);
    const c = openChain();
    const blocks = mineBlocks(ref, 4);
    const heard: { height: number; heightThen: number }[] = [];
    c.chain.on("update", (u: ChainUpdate) =>
      heard.push({ height: u.tip.height, heightThen: c.chain.height }),
    );
    c.chain.acceptBlocks(blocks);
    expect(heard).toEqual([1, 2, 3, 4].map((height) => ({ height, heightThen: 4 })));
    await c.close();
  });

  it("a failed commit changes nothing: memory is reloaded from the store and nobody hears of the run", async () => {
    const ref = new MemoryChain(params);
    const c = openChain();
    c.chain.acceptBlocks(mineBlocks(ref, 2));
    const before = c.chain.tip.hash;
    const more = mineBlocks(ref, 3);
    const real = c.store.transaction.bind(c.store);
    let depth = 0;
    c.store.transaction = <T>(fn: () => T): T => {
      if (depth > 0) return real(fn);
      depth++;
      try {
        return real(() => {
          fn();
          throw new Error("disk full");
        });
      } finally {
        depth--;
      }
    };
    const heard: ChainUpdate[] = [];
    c.chain.on("update", (u: ChainUpdate) => heard.push(u));
    expect(() => c.chain.acceptBlocks(more)).toThrow("disk full");
    expect(heard).toEqual([]);
    expect(c.chain.tip.hash).toBe(before);
    expect(c.chain.height).toBe(2);
    expect(c.store.getTipHash()).toBe(before);
    c.store.transaction = real;
    expect(c.chain.acceptBlocks(more).map((o) => !(o instanceof VerifyError) && o.status)).toEqual([
      "connected",
      "connected",
      "connected",
    ]);
    expect(heard.map((u) => u.tip.height)).toEqual([3, 4, 5]);
    await c.close();
  });
});
