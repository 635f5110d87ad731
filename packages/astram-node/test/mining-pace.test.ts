import { MemoryChain } from "astram-core/testing";
import { Mempool, Miner } from "astram-node";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { activeMiners, PACE_WINDOW, pacedHashrate } from "../src/mining/pace.js";
import { addrA, addrB, addrC, mineBlocks, type OpenChain, openChain, params } from "./helpers.js";

const SEED = 14_2024;
const TARGET = 10;
const DIFFICULTY = 5;

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `n` paced miners on one chain, on a simulated clock: each hashes at the rate the rule gives it on
 * the current tip, so its time to a block is exponential with mean 16^d / rate; the first finder
 * extends the chain and everyone starts on the new tip (block finding is memoryless, so drawing anew
 * per block is exact). Returns the mean interval after a warm-up of one window.
 */
function meanInterval(n: number, blocks: number, seed: number, rule = activeMiners): number {
  const random = prng(seed);
  const miners = Array.from({ length: n }, (_, i) => `0x${String(i).padStart(40, "0")}`);
  const producers: string[] = [];
  let total = 0;
  for (let b = 0; b < blocks + PACE_WINDOW; b++) {
    const recent = producers.slice(-PACE_WINDOW);
    let first = Number.POSITIVE_INFINITY;
    let winner = miners[0]!;
    for (const m of miners) {
      const blocksPerSecond = pacedHashrate(DIFFICULTY, TARGET, rule(recent, m)) / 16 ** DIFFICULTY;
      const t = -Math.log(1 - random()) / blocksPerSecond;
      if (t < first) [first, winner] = [t, m];
    }
    producers.push(winner);
    if (b >= PACE_WINDOW) total += first;
  }
  return total / blocks;
}

describe(`devnet pacing against the chain (seeded simulation, fast-check seed ${SEED})`, () => {
  it("keeps the mean block interval within 20% of the target for 1, 2 and 4 paced miners", () => {
    const worst = new Map<number, number>();
    fc.assert(
      fc.property(fc.constantFrom(1, 2, 4), fc.integer(), (n, seed) => {
        const mean = meanInterval(n, 2000, seed);
        const off = Math.abs(mean - TARGET) / TARGET;
        worst.set(n, Math.max(worst.get(n) ?? 0, off));
        expect(off).toBeLessThanOrEqual(0.2);
      }),
      { seed: SEED, numRuns: 30 },
    );
    console.log(
      `paced miners: worst deviation of the mean interval from ${TARGET} s over 2,000 blocks: ` +
        [...worst].map(([n, off]) => `${n} miner(s) ${(off * 100).toFixed(1)}%`).join(", "),
    );
  });

  it("each miner pacing only itself would not: 2 and 4 miners make blocks 2x and 4x too fast", () => {
    const alone = () => 1;
    expect(meanInterval(2, 2000, SEED, alone)).toBeLessThan(0.6 * TARGET);
    expect(meanInterval(4, 2000, SEED, alone)).toBeLessThan(0.3 * TARGET);
  });

  it("counts distinct recent producers and the miner itself", () => {
    expect(activeMiners([], addrA)).toBe(1);
    expect(activeMiners([addrA, addrA, addrA], addrA)).toBe(1);
    expect(activeMiners([addrA, addrC, addrA], addrB)).toBe(3);
    expect(pacedHashrate(3, 10, 4)).toBe(4096 / 40);
  });
});

const running: { miner: Miner; c: OpenChain }[] = [];
afterEach(async () => {
  for (const { miner, c } of running.splice(0)) {
    await miner.stop();
    await c.close();
  }
});

async function pacedMinerOn(producers: readonly string[], self: string) {
  const ref = new MemoryChain(params);
  const c = openChain();
  for (const p of producers) for (const b of mineBlocks(ref, 1, p)) c.chain.acceptBlock(b);
  const mempool = new Mempool(c.store, { chainId: params.chainId });
  // A pace of a day: no block is found while the test looks at the rate.
  const miner = new Miner({ chain: c.chain, mempool, minerAddress: self, threads: 1, pace: 86_400 });
  running.push({ miner, c });
  await miner.start();
  while (!miner.pace) await new Promise((r) => setTimeout(r, 20));
  return { miner, c, ref };
}

describe("a paced Miner", () => {
  it("divides its hashrate by the miners seen in the last 20 blocks", async () => {
    const addrD = `0x${"dd".repeat(20)}`;
    // An old producer (addrC) beyond the window, then addrA and addrD within it.
    const producers = [addrC, ...Array.from({ length: PACE_WINDOW - 1 }, () => addrA), addrD];
    const { miner, c } = await pacedMinerOn(producers, addrB);
    const difficulty = c.chain.nextDifficulty();
    expect(miner.pace).toEqual({ miners: 3, hashrate: 16 ** difficulty / (86_400 * 3) });
  });

  it("alone on its chain keeps the single-miner rate 16^d / pace", async () => {
    const { miner, c } = await pacedMinerOn(
      Array.from({ length: 5 }, () => addrB),
      addrB,
    );
    expect(miner.pace).toEqual({ miners: 1, hashrate: 16 ** c.chain.nextDifficulty() / 86_400 });
  });
});
