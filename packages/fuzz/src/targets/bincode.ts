import { BincodeReader, BincodeWriter, CodecError } from "astram-core";
import { sameValue } from "./round-trip.js";
import { type FuzzTarget, OracleViolation } from "./target.js";

/** The reads a program may make; one opcode byte each. */
const OPS = [
  "u8",
  "bool",
  "u16",
  "u32",
  "u64",
  "u64n",
  "i64",
  "bytes",
  "string",
  "option",
  "vec",
  "variant",
  "len",
  "raw4",
] as const;
type Op = (typeof OPS)[number];

function read(r: BincodeReader, op: Op): unknown {
  switch (op) {
    case "u8":
      return r.u8();
    case "bool":
      return r.bool();
    case "u16":
      return r.u16();
    case "u32":
      return r.u32();
    case "u64":
      return r.u64();
    case "u64n":
      return r.u64n();
    case "i64":
      return r.i64Big();
    case "bytes":
      return r.bytes();
    case "string":
      return r.string("s", 64);
    case "option":
      return r.option((r2) => r2.u32());
    case "vec":
      return r.vec((r2) => r2.u16(), 1, "v", 100);
    case "variant":
      return r.variant(5, "e");
    case "len":
      return r.len(4, "l", 1000);
    case "raw4":
      return r.raw(4);
  }
}

function write(w: BincodeWriter, op: Op, v: unknown): void {
  switch (op) {
    case "u8":
      w.u8(v as number);
      return;
    case "bool":
      w.bool(v as boolean);
      return;
    case "u16":
      w.u16(v as number);
      return;
    case "u32":
      w.u32(v as number);
      return;
    case "u64":
    case "u64n":
      w.u64(v as bigint | number);
      return;
    case "i64":
      w.i64(v as bigint);
      return;
    case "bytes":
      w.bytes(v as Uint8Array);
      return;
    case "string":
      w.string(v as string);
      return;
    case "option":
      w.option(v as number | undefined, (w2, x) => w2.u32(x));
      return;
    case "vec":
      w.vec(v as number[], (w2, x) => w2.u16(x));
      return;
    case "variant":
      w.variant(v as number);
      return;
    case "len":
      w.len(v as number);
      return;
    case "raw4":
      w.raw(v as Uint8Array);
      return;
  }
}

/**
 * The bincode primitives. Input: header byte (bit 7: fixint, low 4 bits: op count - 1), one opcode
 * byte per read, then the data they read. Only CodecError may come out, and whatever was read must
 * read back the same after writing it again.
 */
export const bincodeTarget: FuzzTarget = {
  name: "bincode",
  description: "astram-core BincodeReader primitives (varints, lengths, strings, options, vecs) + re-encode",
  coverage: /astram-core\/(dist|src)\/codec\//,
  maxLength: 512,
  dictionary: [
    [0xfb],
    [0xfc],
    [0xfd],
    [0xfe],
    [0xff],
    [0xfb, 0xff, 0xff],
    [0xfd, 0, 0, 0, 0, 0, 0, 0x20, 0],
  ].map((b) => Uint8Array.from(b)),
  seeds() {
    const std = new BincodeWriter("standard")
      .u8(7)
      .bool(true)
      .u16(300)
      .u32(70_000)
      .u64(2n ** 60n)
      .u64(12)
      .i64(-5n)
      .bytes(Uint8Array.of(1, 2))
      .finish();
    const fix = new BincodeWriter("fixint")
      .u32(9)
      .string("dev")
      .option(4, (w, x) => w.u32(x))
      .vec([1, 2], (w, x) => w.u16(x))
      .variant(3)
      .finish();
    return [Uint8Array.of(7, 0, 1, 2, 3, 4, 5, 6, 7, ...std), Uint8Array.of(0x84, 3, 8, 9, 10, 11, ...fix)];
  },
  run(input) {
    if (input.length === 0) return;
    const encoding = input[0]! & 0x80 ? "fixint" : "standard";
    const count = (input[0]! & 0x0f) + 1;
    const ops = Array.from(input.subarray(1, 1 + count), (b) => OPS[b % OPS.length]!);
    const data = input.subarray(1 + count);
    const r = new BincodeReader(data, encoding);
    const values = ops.map((op) => read(r, op));
    const w = new BincodeWriter(encoding);
    for (const [i, op] of ops.entries()) write(w, op, values[i]);
    const again = new BincodeReader(w.finish(), encoding);
    const back = ops.map((op) => read(again, op));
    again.expectEnd("re-encoded values");
    if (!sameValue(values, back)) throw new OracleViolation("bincode values differ after write + read");
  },
  expected: (e) => e instanceof CodecError,
};
