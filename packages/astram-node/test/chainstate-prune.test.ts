import { MemoryChain } from "astram-core/testing";
import { describe, expect, it } from "vitest";
import { devChain } from "./chain-fixture.js";
import { addrB, addrC, forkAt, mineBlocks, openChain, params } from "./helpers.js";

describe("pruning dead side branches", () => {
  it("deletes branches that fork more than the reorg limit below the tip, whole, and keeps the rest", async () => {
    const main = devChain(130);
    const ref = new MemoryChain(params);
    for (const b of main) ref.connect(b);
    const c = openChain();
    for (const b of main.slice(0, 10)) c.chain.acceptBlock(b);
    // A branch forking at 5 that grows past the later floor, and one forking at 120.
    const deep = mineBlocks(forkAt(ref, 5), 3, addrB);
    for (const b of deep) expect(c.chain.acceptBlock(b).status).toBe("side-branch");
    for (const b of main.slice(10)) c.chain.acceptBlock(b);
    const recent = mineBlocks(forkAt(ref, 120), 2, addrC);
    for (const b of recent) expect(c.chain.acceptBlock(b).status).toBe("side-branch");
    expect(c.chain.height).toBe(130);

    expect(c.chain.pruneDeadBranches()).toBe(3);
    for (const b of deep) {
      expect(c.chain.hasBlock(b.hash)).toBe(false);
      expect(c.store.hasBlock(b.hash)).toBe(false);
    }
    for (const b of recent) expect(c.store.hasBlock(b.hash)).toBe(true);
    expect(c.chain.pruneDeadBranches()).toBe(0);
    await c.close();

    // The store reopens consistent: same tip, the recent branch still indexed.
    const again = openChain(c.dir);
    expect(again.chain.tip.hash).toBe(main[129]!.hash);
    expect(again.chain.hasBlock(recent[1]!.hash)).toBe(true);
    expect(again.chain.hasBlock(deep[0]!.hash)).toBe(false);
    await again.close();
  });
});
