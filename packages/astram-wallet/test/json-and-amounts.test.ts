import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JsonSyntaxError, parseAmountValue, parseJsonBigint } from "../src/index.js";

/** Fixed fast-check seed: every run replays the same cases (fast-check prints seed and path on failure). */
const SEED = 2041723233;

describe("bigint-safe JSON (amount_raw limbs exceed 2^53)", () => {
  it("keeps integers beyond 2^53 exact and parses the rest like JSON.parse", () => {
    expect(parseJsonBigint('{"amount_raw":[18446744073709551615,1,0,0]}')).toEqual({
      amount_raw: [18446744073709551615n, 1, 0, 0],
    });
    expect(parseJsonBigint("9007199254740993")).toBe(9007199254740993n);
    expect(parseJsonBigint("-9007199254740993")).toBe(-9007199254740993n);
    expect(parseJsonBigint("9007199254740991")).toBe(9007199254740991);
    expect(parseJsonBigint('[1.5e3, "a\\u00e9\\n", true, false, null, {}]')).toEqual([
      1500,
      "a\u00e9\n",
      true,
      false,
      null,
      {},
    ]);
  });

  it("never pollutes prototypes", () => {
    const v = parseJsonBigint('{"__proto__":{"polluted":1}}') as Record<string, unknown>;
    expect(Object.hasOwn(v, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("agrees with JSON.parse on any JSON value (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v);
        const ours = parseJsonBigint(text);
        const replaced = JSON.parse(JSON.stringify(ours, (_k, x) => (typeof x === "bigint" ? Number(x) : x)));
        expect(replaced).toEqual(JSON.parse(text));
      }),
      { seed: SEED },
    );
  });

  it("garbage text raises JsonSyntaxError only (property)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        let native: unknown;
        let nativeOk = true;
        try {
          native = JSON.parse(s);
        } catch {
          nativeOk = false;
        }
        try {
          const ours = parseJsonBigint(s);
          expect(nativeOk).toBe(true);
          if (typeof ours !== "bigint") expect(ours).toEqual(native);
        } catch (e) {
          expect(e).toBeInstanceOf(JsonSyntaxError);
          expect(nativeOk).toBe(false);
        }
      }),
      { seed: SEED, numRuns: 500 },
    );
    expect(() => parseJsonBigint("[".repeat(100_000))).toThrow(JsonSyntaxError);
  });
});

describe("amounts in node JSON, read liberally", () => {
  it("accepts hex, decimal strings, integers and limbs", () => {
    const eight = 8_000_000_000_000_000_000n;
    expect(parseAmountValue("0x6f05b59d3b200000")).toBe(eight);
    expect(parseAmountValue("8000000000000000000")).toBe(eight);
    expect(parseAmountValue(eight)).toBe(eight);
    expect(parseAmountValue(12345)).toBe(12345n);
    expect(parseAmountValue([eight, 0, 0, 0])).toBe(eight);
    expect(parseAmountValue([0, 1, 0, 0])).toBe(1n << 64n);
    expect(parseAmountValue(["0x1", "2", 0, 0])).toBe(1n + (2n << 64n));
  });

  it("refuses negatives, fractions, oversized limbs and other shapes", () => {
    for (const bad of [
      -1,
      1.5,
      "1.5",
      "-5",
      "",
      "0x",
      [1, 2, 3],
      [1n << 64n, 0, 0, 0],
      { amount: 1 },
      null,
      true,
      2 ** 60,
    ]) {
      expect(
        parseAmountValue(bad as never),
        JSON.stringify(bad, (_k, v) => (typeof v === "bigint" ? `${v}n` : v)),
      ).toBeUndefined();
    }
  });

  it("limbs round-trip any U256 (property)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }), (v) => {
        const mask = (1n << 64n) - 1n;
        const limbs = [0, 1, 2, 3].map((k) => (v >> BigInt(64 * k)) & mask);
        expect(parseAmountValue(limbs)).toBe(v);
        expect(parseAmountValue(`0x${v.toString(16)}`)).toBe(v);
      }),
      { seed: SEED },
    );
  });
});
