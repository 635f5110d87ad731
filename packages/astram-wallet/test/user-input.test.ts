import { formatAsrm, MIN_OUTPUT_VALUE, RAM_PER_ASRM, toChecksumAddress } from "astram-core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BadAddressError,
  BadAmountError,
  BadFeeRateError,
  formatFeeRate,
  parseFeeRate,
  parseRecipient,
  parseSendAmount,
} from "../src/index.js";

/** Fixed fast-check seed: every run replays the same cases (fast-check prints seed and path on failure). */
const SEED = 665992595;

describe("amounts are exact decimals (no floating point)", () => {
  it("parses ASRM text to ram exactly", () => {
    expect(parseSendAmount("1")).toBe(RAM_PER_ASRM);
    expect(parseSendAmount("1.5")).toBe(1_500_000_000_000_000_000n);
    expect(parseSendAmount("0.1")).toBe(100_000_000_000_000_000n); // 0.1 is not a binary fraction
    expect(parseSendAmount("0.000001")).toBe(MIN_OUTPUT_VALUE);
    expect(parseSendAmount("123456789.123456789012345678")).toBe(123456789123456789012345678n);
    expect(parseSendAmount("9007199254740993")).toBe(9007199254740993n * RAM_PER_ASRM); // 2^53 + 1
  });

  it("refuses dust, zero, negatives, too many decimals and garbage", () => {
    for (const bad of [
      "0",
      "0.0000009",
      "-1",
      "1.0000000000000000001",
      "1e3",
      "abc",
      "",
      "1,5",
      "0x10",
      ". ",
      "NaN",
      "Infinity",
    ]) {
      expect(() => parseSendAmount(bad), bad).toThrow(BadAmountError);
    }
  });

  it("format(parse(x)) is the canonical form of x, and parse(format(v)) = v (property)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: MIN_OUTPUT_VALUE, max: 10n ** 30n }), (v) => {
        expect(parseSendAmount(formatAsrm(v))).toBe(v);
      }),
      { seed: SEED },
    );
    fc.assert(
      fc.property(fc.nat({ max: 10 ** 9 }), fc.stringMatching(/^\d{0,18}$/), (whole, frac) => {
        const text = frac === "" ? String(whole) : `${whole}.${frac}`;
        let v: bigint;
        try {
          v = parseSendAmount(text);
        } catch (e) {
          expect(e).toBeInstanceOf(BadAmountError);
          return;
        }
        expect(v).toBe(BigInt(whole) * RAM_PER_ASRM + BigInt(frac.padEnd(18, "0")));
      }),
      { seed: SEED },
    );
  });

  it("any string parses or throws BadAmountError (property)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        try {
          expect(parseSendAmount(s)).toBeGreaterThanOrEqual(MIN_OUTPUT_VALUE);
        } catch (e) {
          expect(e).toBeInstanceOf(BadAmountError);
        }
      }),
      { seed: SEED },
    );
  });
});

describe("fee rate (Gwei per byte)", () => {
  it("parses decimals exactly and refuses rates the node would reject", () => {
    expect(parseFeeRate("300")).toBe(300_000_000_000n);
    expect(parseFeeRate("200")).toBe(200_000_000_000n);
    expect(parseFeeRate("250.000000001")).toBe(250_000_000_001n);
    expect(formatFeeRate(250_000_000_001n)).toBe("250.000000001");
    expect(formatFeeRate(300_000_000_000n)).toBe("300");
    for (const bad of ["199.999999999", "0", "-300", "abc", "300.0000000001", "1000001", ""]) {
      expect(() => parseFeeRate(bad), bad).toThrow(BadFeeRateError);
    }
  });
});

describe("recipient addresses", () => {
  const lower = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
  it("accepts lowercase, uppercase and correct EIP-55; returns lowercase", () => {
    expect(parseRecipient(lower)).toBe(lower);
    expect(parseRecipient(`0x${lower.slice(2).toUpperCase()}`)).toBe(lower);
    expect(parseRecipient(toChecksumAddress(lower))).toBe(lower);
  });
  it("refuses a wrong checksum and malformed text", () => {
    const cs = toChecksumAddress(lower);
    const wrong = cs.replace("C", "c");
    expect(() => parseRecipient(wrong)).toThrow(/checksum/);
    for (const bad of [
      "",
      "0x",
      lower.slice(0, 41),
      `${lower}00`,
      lower.replace("0x", ""),
      "0xzz97970c51812dc3a010c7d01b50e0d17dc79c8",
    ]) {
      expect(() => parseRecipient(bad), bad).toThrow(BadAddressError);
    }
  });
});
