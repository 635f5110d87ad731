import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { distribution, percentile } from "../src/report/percentiles.js";

/** Fixed seed (fast-check prints it with the failing path on a failure). */
const PERCENTILE_SEED = 0x9e1;

describe("percentile (nearest rank)", () => {
  it("picks the sample value at rank ceil(p/100 × n)", () => {
    const ten = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(percentile(ten, 50)).toBe(5);
    expect(percentile(ten, 90)).toBe(9);
    expect(percentile(ten, 99)).toBe(10);
    expect(percentile(ten, 100)).toBe(10);
    expect(percentile(ten, 1)).toBe(1);
    const hundred = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(hundred, 99)).toBe(99);
  });

  it("refuses an empty sample and a p outside (0, 100]", () => {
    expect(() => percentile([], 50)).toThrow(/empty/);
    expect(() => percentile([1], 0)).toThrow(/\(0, 100\]/);
    expect(() => percentile([1], 101)).toThrow(/\(0, 100\]/);
  });

  it(`distribution sorts numerically and its figures are ordered sample members (seed ${PERCENTILE_SEED})`, () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1000, max: 100_000 }), { minLength: 1, maxLength: 300 }),
        (values) => {
          const d = distribution(values);
          expect(d).not.toBeNull();
          if (d === null) return;
          for (const figure of [d.p50, d.p90, d.p99, d.max]) expect(values).toContain(figure);
          expect(d.p50).toBeLessThanOrEqual(d.p90);
          expect(d.p90).toBeLessThanOrEqual(d.p99);
          expect(d.p99).toBeLessThanOrEqual(d.max);
          expect(d.max).toBe(Math.max(...values));
          expect(d.count).toBe(values.length);
        },
      ),
      { seed: PERCENTILE_SEED, numRuns: 200 },
    );
  });

  it("has no distribution of nothing", () => {
    expect(distribution([])).toBeNull();
    expect(distribution([10, 2, 33])).toEqual({ count: 3, mean: 15, p50: 10, p90: 33, p99: 33, max: 33 });
  });
});
