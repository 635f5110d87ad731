import { BincodeReader, BincodeWriter, bytesToHex, CodecError, hexToBytes } from "astram-core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

/** Fixed fast-check seed: every run replays the same cases (fast-check prints seed and path on failure). */
const SEED = 317183099;

const std = () => new BincodeWriter("standard");
const read = (hex: string) => new BincodeReader(hexToBytes(hex));

function codecError(fn: () => unknown): CodecError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CodecError);
    return e as CodecError;
  }
  throw new Error("expected a CodecError");
}

describe("varint (standard)", () => {
  it("uses the shortest form at every boundary", () => {
    expect(bytesToHex(std().u64(250).finish())).toBe("fa");
    expect(bytesToHex(std().u64(251).finish())).toBe("fbfb00");
    expect(bytesToHex(std().u64(0xffff).finish())).toBe("fbffff");
    expect(bytesToHex(std().u64(0x10000).finish())).toBe("fc00000100");
    expect(bytesToHex(std().u64(0xffffffff).finish())).toBe("fcffffffff");
    expect(bytesToHex(std().u64(0x100000000n).finish())).toBe("fd0000000001000000");
    expect(
      bytesToHex(
        std()
          .u64((1n << 64n) - 1n)
          .finish(),
      ),
    ).toBe("fdffffffffffffffff");
  });
  it("zigzags i64", () => {
    expect(bytesToHex(std().i64(0).finish())).toBe("00");
    expect(bytesToHex(std().i64(-1).finish())).toBe("01");
    expect(bytesToHex(std().i64(1).finish())).toBe("02");
    expect(
      bytesToHex(
        std()
          .i64(-(1n << 63n))
          .finish(),
      ),
    ).toBe("fdffffffffffffffff");
    expect(read("01").i64()).toBe(-1);
  });
  it("accepts non-minimal forms but rejects markers wider than the type", () => {
    expect(read("fb0500").u32()).toBe(5);
    expect(codecError(() => read("fd0100000000000000").u32()).code).toBe("INVALID_VARINT");
    expect(codecError(() => read("fc01000000").u16()).code).toBe("INVALID_VARINT");
    expect(codecError(() => read("fe" + "00".repeat(16)).u64()).code).toBe("INVALID_VARINT");
    expect(codecError(() => read("ff").u64()).code).toBe("INVALID_VARINT");
  });
  it("refuses to encode out-of-range values", () => {
    expect(() => std().u32(2 ** 32)).toThrow(RangeError);
    expect(() => std().u64(-1)).toThrow(RangeError);
    expect(() => std().u16(70000)).toThrow(RangeError);
  });
  it("rejects u64 values outside the safe range where a number is expected", () => {
    expect(codecError(() => read("fdffffffffffffffff").u64n("height")).code).toBe("OUT_OF_RANGE");
    expect(read("fdffffffffffffffff").u64()).toBe((1n << 64n) - 1n);
  });
});

describe("fixint", () => {
  it("writes full-width integers and u64 lengths", () => {
    const w = new BincodeWriter("fixint").u64(1).u32(2).i64(-1).string("a");
    expect(bytesToHex(w.finish())).toBe(
      "0100000000000000" + "02000000" + "ffffffffffffffff" + "0100000000000000" + "61",
    );
    const r = new BincodeReader(w.finish(), "fixint");
    expect([r.u64(), r.u32(), r.i64(), r.string()]).toEqual([1n, 2, -1, "a"]);
  });
});

describe("strict decoding", () => {
  it("truncation", () => {
    expect(codecError(() => read("").u8()).code).toBe("TRUNCATED");
    expect(codecError(() => read("fb00").u32()).code).toBe("TRUNCATED");
    expect(codecError(() => read("05616263").string()).code).toBe("LENGTH_TOO_LARGE");
  });
  it("huge length prefixes fail before allocating", () => {
    const e = codecError(() => read("fdffffffffffffff7f").vec((r) => r.u8(), 1));
    expect(e.code).toBe("LENGTH_TOO_LARGE");
    expect(codecError(() => read("fcffffffff00").bytes()).code).toBe("LENGTH_TOO_LARGE");
  });
  it("invalid UTF-8", () => {
    expect(codecError(() => read("02c328").string()).code).toBe("INVALID_UTF8");
  });
  it("option tags and bools", () => {
    expect(read("00").option((r) => r.u8())).toBeUndefined();
    expect(read("0107").option((r) => r.u8())).toBe(7);
    expect(codecError(() => read("02").option((r) => r.u8())).code).toBe("INVALID_OPTION_TAG");
    expect(codecError(() => read("02").bool()).code).toBe("INVALID_BOOL");
  });
  it("unknown variants", () => {
    expect(codecError(() => read("05").variant(3, "X")).code).toBe("UNKNOWN_VARIANT");
  });
  it("trailing bytes when a whole message is expected", () => {
    const r = read("0102");
    r.u8();
    expect(codecError(() => r.expectEnd("thing")).code).toBe("TRAILING_BYTES");
  });
});

describe("properties", () => {
  it("u64 round-trips under both encodings", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (v) => {
        for (const enc of ["standard", "fixint"] as const) {
          const r = new BincodeReader(new BincodeWriter(enc).u64(v).finish(), enc);
          expect(r.u64()).toBe(v);
          r.expectEnd("u64");
        }
      }),
      { seed: SEED },
    );
  });
  it("i64, strings, byte vectors and options round-trip", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
        fc.string({ unit: "grapheme" }),
        fc.uint8Array({ maxLength: 300 }),
        fc.option(fc.integer({ min: 0, max: 0xffffffff })),
        (i, s, b, o) => {
          const w = new BincodeWriter()
            .i64(i)
            .string(s)
            .bytes(b)
            .option(o, (w2, v) => w2.u32(v));
          const r = new BincodeReader(w.finish());
          expect(r.i64Big()).toBe(i);
          expect(r.string()).toBe(s);
          expect(r.bytes()).toEqual(b);
          expect(r.option((r2) => r2.u32())).toBe(o ?? undefined);
          r.expectEnd("values");
        },
      ),
      { seed: SEED },
    );
  });
  it("random bytes only ever raise CodecError", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const r = new BincodeReader(bytes);
        try {
          r.u64();
          r.string();
          r.vec((x) => x.option((y) => y.i64()), 1);
          r.expectEnd("x");
        } catch (e) {
          expect(e).toBeInstanceOf(CodecError);
        }
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });
});
