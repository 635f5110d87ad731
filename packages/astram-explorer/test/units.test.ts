import { BincodeWriter, encodeBlock, encodeTransaction, U256_MAX, writeBlock } from "astram-core";
import {
  AMOUNT_WIDTH,
  amountFromDb,
  amountToDb,
  averageBlockTime,
  chartSeries,
  decodeBlockList,
  estimateHashrate,
} from "astram-explorer";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chainWithTransfers } from "./helpers.js";

/** Fixed fast-check seed: every run replays the same cases (fast-check prints seed and path on failure). */
const SEED = 848823475;

describe("database amounts", () => {
  it("round-trip every U256 exactly and order as text exactly as numbers", () => {
    const u256 = fc.bigInt({ min: 0n, max: U256_MAX });
    fc.assert(
      fc.property(u256, u256, (a, b) => {
        const ta = amountToDb(a);
        const tb = amountToDb(b);
        expect(ta).toHaveLength(AMOUNT_WIDTH);
        expect(amountFromDb(ta)).toBe(a);
        expect(Math.sign(ta.localeCompare(tb, "en"))).toBe(a < b ? -1 : a > b ? 1 : 0);
        expect(ta < tb).toBe(a < b);
      }),
      { seed: SEED },
    );
    expect(amountToDb(U256_MAX)).toBe(U256_MAX.toString());
    expect(() => amountToDb(-1n)).toThrow(RangeError);
    expect(() => amountToDb(U256_MAX + 1n)).toThrow(RangeError);
  });
});

describe("chain statistics", () => {
  const blocks = [
    { height: 10, timestamp: 1000, difficulty: 2 },
    { height: 11, timestamp: 1010, difficulty: 2 },
    { height: 12, timestamp: 1030, difficulty: 3 },
    { height: 13, timestamp: 1040, difficulty: 3 },
  ];
  it("average block time and hashrate come from timestamps and Σ 16^difficulty", () => {
    expect(averageBlockTime(blocks)).toBe(40 / 3);
    expect(estimateHashrate(blocks)).toBe((256 + 4096 + 4096) / 40);
    expect(averageBlockTime(blocks.slice(0, 1))).toBeNull();
    expect(estimateHashrate([blocks[0]!, { ...blocks[1]!, timestamp: 1000 }])).toBeNull();
  });
  it("chart buckets cover every block after the first once", () => {
    const series = chartSeries(blocks, 2);
    expect(series).toEqual([
      { height: 12, timestamp: 1030, block_time: 15, difficulty: 2.5, hashrate: (256 + 4096) / 30 },
      { height: 13, timestamp: 1040, block_time: 10, difficulty: 3, hashrate: 4096 / 10 },
    ]);
    expect(chartSeries(blocks, 100)).toHaveLength(3);
    expect(chartSeries(blocks.slice(0, 1), 10)).toEqual([]);
  });
});

describe("node block lists", () => {
  it("decode with each block's and transaction's encoded size", () => {
    const { ref } = chainWithTransfers(5);
    const w = new BincodeWriter("standard", 1024).u64(ref.blocks.length);
    for (const b of ref.blocks) writeBlock(w, b);
    const decoded = decodeBlockList(w.finish());
    expect(decoded.map((d) => d.block.hash)).toEqual(ref.blocks.map((b) => b.hash));
    for (const [i, d] of decoded.entries()) {
      expect(d.size).toBe(encodeBlock(ref.blocks[i]!).length);
      expect(d.txSizes).toEqual(ref.blocks[i]!.transactions.map((t) => encodeTransaction(t).length));
    }
    expect(() => decodeBlockList(new Uint8Array([1]))).toThrow();
  });
});
