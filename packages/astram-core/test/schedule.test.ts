import {
  blockReward,
  blockWork,
  cappedReward,
  cumulativeIssuance,
  formatAsrm,
  HALVING_INTERVAL,
  hexToBytes,
  MAX_SUPPLY,
  medianTimePast,
  meetsDifficulty,
  meetsDifficultyBytes,
  parseAsrm,
  RAM_PER_ASRM,
  scheduledDifficulty,
} from "astram-core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

/** Fixed fast-check seed: every run replays the same cases (fast-check prints seed and path on failure). */
const SEED = 1514230362;

describe("difficulty schedule (facts 17.8 with the spec's 30-interval window)", () => {
  const at = (height: number, parentDifficulty: number, span = 3600) =>
    scheduledDifficulty({
      height,
      parentDifficulty,
      targetSpacing: 120,
      // ts(h-1) - ts(h-31) = span
      timestampAt: (h) =>
        h === height - 1 ? 1_800_000_000 + span : h === height - 31 ? 1_800_000_000 : Number.NaN,
    });
  it("slow start", () => {
    expect([0, 19, 20, 39, 40, 99].map((h) => at(h, 9))).toEqual([1, 1, 2, 2, 3, 3]);
  });
  it("between adjustments the parent's difficulty holds", () => {
    for (const h of [100, 119, 121, 149]) expect(at(h, 3)).toBe(3);
  });
  it("at adjustment heights: 2699 s -> +1, 2700 and 5400 -> same, 5401 -> -1", () => {
    expect(at(120, 3, 2699)).toBe(4);
    expect(at(120, 3, 2700)).toBe(3);
    expect(at(120, 3, 5400)).toBe(3);
    expect(at(120, 3, 5401)).toBe(2);
    expect(at(150, 5, 100)).toBe(6);
  });
  it("clamps to [1, 10]", () => {
    expect(at(120, 10, 1)).toBe(10);
    expect(at(120, 1, 100_000)).toBe(1);
  });
  it("never moves more than 1 per block (so the seed's |delta| <= 2 holds)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 10_000 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: -10_000, max: 100_000 }),
        (h, d, span) => {
          const next = at(h, d, span);
          expect(Math.abs(next - d)).toBeLessThanOrEqual(1);
          expect(next).toBeGreaterThanOrEqual(1);
          expect(next).toBeLessThanOrEqual(10);
        },
      ),
      { seed: SEED },
    );
  });
});

describe("proof of work", () => {
  it("string and byte forms agree", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.integer({ min: 0, max: 12 }),
        (h, d) => {
          const hex = Buffer.from(h).toString("hex");
          expect(meetsDifficultyBytes(h, d)).toBe(meetsDifficulty(hex, d));
        },
      ),
      { seed: SEED },
    );
    expect(meetsDifficulty("00f" + "f".repeat(61), 2)).toBe(true);
    expect(meetsDifficulty("00f" + "f".repeat(61), 3)).toBe(false);
    expect(meetsDifficultyBytes(hexToBytes("000f" + "f".repeat(60)), 3)).toBe(true);
  });
  it("work is exactly 16^difficulty", () => {
    expect(blockWork(1)).toBe(16n);
    expect(blockWork(10)).toBe(16n ** 10n);
  });
});

describe("median-time-past", () => {
  it("odd count -> middle, even -> truncated mean of the middle two", () => {
    expect(medianTimePast([5, 1, 3])).toBe(3);
    expect(medianTimePast([1, 2, 3, 6])).toBe(2);
    expect(medianTimePast([10, 11])).toBe(10);
    expect(medianTimePast(Array.from({ length: 20 }, (_, i) => i))).toBe(5); // only the first 11 count
  });
});

describe("reward and supply", () => {
  it("8 ASRM halving every 210,000 blocks, zero from the 33rd halving", () => {
    expect(blockReward(0)).toBe(8n * RAM_PER_ASRM);
    expect(blockReward(HALVING_INTERVAL - 1)).toBe(8n * RAM_PER_ASRM);
    expect(blockReward(HALVING_INTERVAL)).toBe(4n * RAM_PER_ASRM);
    expect(blockReward(HALVING_INTERVAL * 32)).toBe((8n * RAM_PER_ASRM) >> 32n);
    expect(blockReward(HALVING_INTERVAL * 33)).toBe(0n);
  });
  it("total issuance stays about 3.36 M ASRM, under the 42 M cap", () => {
    const total = cumulativeIssuance(HALVING_INTERVAL * 40);
    expect(total).toBeLessThan(MAX_SUPPLY);
    expect(total / RAM_PER_ASRM).toBe(3_359_999n);
    expect(cappedReward(5)).toBe(blockReward(5));
  });
});

describe("exact ASRM amounts", () => {
  it("parses and formats without floating point", () => {
    expect(parseAsrm("1.5")).toBe(1_500_000_000_000_000_000n);
    expect(parseAsrm("0.000000000000000001")).toBe(1n);
    expect(formatAsrm(1n)).toBe("0.000000000000000001");
    expect(formatAsrm(8n * RAM_PER_ASRM)).toBe("8");
    expect(() => parseAsrm("1.0000000000000000001")).toThrow(TypeError);
    expect(() => parseAsrm("1e5")).toThrow(TypeError);
    expect(() => parseAsrm("-1")).toThrow(TypeError);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), (v) => {
        expect(parseAsrm(formatAsrm(v))).toBe(v);
      }),
      { seed: SEED },
    );
  });
});
