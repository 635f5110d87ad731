import { CodecError } from "./errors.js";
import type { IntEncoding } from "./writer.js";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Strict, total bincode 2 decoder. Every read checks bounds first; lengths are checked against the
 * bytes that remain before anything is allocated, so a hostile length prefix cannot cause a huge
 * allocation. The only error it throws is CodecError.
 */
export class BincodeReader {
  private pos = 0;
  private readonly buf: Uint8Array;
  private readonly view: DataView;

  constructor(
    input: Uint8Array,
    readonly encoding: IntEncoding = "standard",
  ) {
    // A plain Uint8Array view even when given a Buffer, so decoded byte fields are plain too.
    this.buf = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    this.view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  }

  get offset(): number {
    return this.pos;
  }
  get remaining(): number {
    return this.buf.length - this.pos;
  }

  fail(code: ConstructorParameters<typeof CodecError>[0], message: string): never {
    throw new CodecError(code, message, this.pos);
  }

  /** For decoding a whole message: anything left over is an error. */
  expectEnd(what: string): void {
    if (this.pos !== this.buf.length)
      this.fail("TRAILING_BYTES", `${this.remaining} trailing bytes after ${what}`);
  }

  private need(n: number, what: string): void {
    if (this.buf.length - this.pos < n) this.fail("TRUNCATED", `unexpected end of input reading ${what}`);
  }

  u8(): number {
    this.need(1, "u8");
    return this.buf[this.pos++]!;
  }

  bool(): boolean {
    const b = this.u8();
    if (b > 1) {
      this.pos--;
      this.fail("INVALID_BOOL", `invalid bool byte ${b}`);
    }
    return b === 1;
  }

  raw(n: number): Uint8Array {
    this.need(n, `${n} raw bytes`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Unsigned integer as a bigint; varint markers wider than the target are rejected. */
  private unsignedBig(bits: 16 | 32 | 64): bigint {
    if (this.encoding === "fixint") {
      this.need(bits / 8, `u${bits}`);
      let v: bigint;
      if (bits === 16) v = BigInt(this.view.getUint16(this.pos, true));
      else if (bits === 32) v = BigInt(this.view.getUint32(this.pos, true));
      else v = this.view.getBigUint64(this.pos, true);
      this.pos += bits / 8;
      return v;
    }
    this.need(1, `u${bits}`);
    const first = this.buf[this.pos]!;
    if (first < 251) {
      this.pos++;
      return BigInt(first);
    }
    const width = first === 0xfb ? 16 : first === 0xfc ? 32 : first === 0xfd ? 64 : first === 0xfe ? 128 : 0;
    if (width === 0) this.fail("INVALID_VARINT", `invalid varint marker 0x${first.toString(16)}`);
    if (width > bits)
      this.fail("INVALID_VARINT", `varint marker 0x${first.toString(16)} too wide for u${bits}`);
    this.pos++;
    this.need(width / 8, `u${bits} varint body`);
    let v: bigint;
    if (width === 16) v = BigInt(this.view.getUint16(this.pos, true));
    else if (width === 32) v = BigInt(this.view.getUint32(this.pos, true));
    else v = this.view.getBigUint64(this.pos, true);
    this.pos += width / 8;
    return v;
  }

  private unsignedNumber(bits: 16 | 32 | 64, what: string): number {
    const start = this.pos;
    // Fast path for the common one-byte varint.
    if (this.encoding === "standard" && this.pos < this.buf.length && this.buf[this.pos]! < 251) {
      return this.buf[this.pos++]!;
    }
    const v = this.unsignedBig(bits);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
      this.pos = start;
      this.fail("OUT_OF_RANGE", `${what} ${v} exceeds 2^53-1`);
    }
    return Number(v);
  }

  u16(): number {
    return this.unsignedNumber(16, "u16");
  }
  u32(): number {
    return this.unsignedNumber(32, "u32");
  }
  /** u64 that must fit a JavaScript safe integer (heights, counts, chain ids). */
  u64n(what = "u64"): number {
    return this.unsignedNumber(64, what);
  }
  /** Full-range u64 as a bigint (nonces, amount limbs). */
  u64(): bigint {
    return this.unsignedBig(64);
  }

  i64Big(): bigint {
    if (this.encoding === "fixint") {
      this.need(8, "i64");
      const v = this.view.getBigInt64(this.pos, true);
      this.pos += 8;
      return v;
    }
    const z = this.unsignedBig(64);
    return z & 1n ? -((z + 1n) >> 1n) : z >> 1n;
  }

  /** i64 that must fit a safe integer (timestamps). */
  i64(what = "i64"): number {
    const start = this.pos;
    const v = this.i64Big();
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
      this.pos = start;
      this.fail("OUT_OF_RANGE", `${what} ${v} outside the safe integer range`);
    }
    return Number(v);
  }

  /**
   * A length prefix, bounded by the bytes left times the minimum element size, and by `max` when
   * given (checked before anything is allocated).
   */
  len(minElementSize: number, what: string, max = Number.MAX_SAFE_INTEGER): number {
    const start = this.pos;
    // Lengths below 251 are one byte; larger ones go through the exact bigint path.
    const first = this.encoding === "standard" ? this.buf[this.pos] : undefined;
    let n: number;
    if (first !== undefined && first < 251) {
      this.pos++;
      n = first;
    } else {
      const big = this.unsignedBig(64);
      n = big > BigInt(Number.MAX_SAFE_INTEGER) ? Number.POSITIVE_INFINITY : Number(big);
    }
    if (minElementSize > 0 && n * minElementSize > this.remaining) {
      this.pos = start;
      this.fail("LENGTH_TOO_LARGE", `${what} length ${n} exceeds the ${this.remaining} bytes left`);
    }
    if (n > max) {
      this.pos = start;
      this.fail("LENGTH_TOO_LARGE", `${what} length ${n} exceeds the limit of ${max}`);
    }
    return n;
  }

  variant(count: number, what: string): number {
    const start = this.pos;
    const v = this.unsignedBig(32);
    if (v >= BigInt(count)) {
      this.pos = start;
      this.fail("UNKNOWN_VARIANT", `unknown ${what} variant ${v}`);
    }
    return Number(v);
  }

  bytes(what = "bytes"): Uint8Array {
    const n = this.len(1, what);
    return new Uint8Array(this.raw(n));
  }

  /** A UTF-8 string; `maxBytes` bounds its length before anything is read. */
  string(what = "string", maxBytes?: number): string {
    const n = this.len(1, what, maxBytes);
    const start = this.pos;
    const raw = this.raw(n);
    try {
      return utf8.decode(raw);
    } catch {
      this.pos = start;
      return this.fail("INVALID_UTF8", `${what} is not valid UTF-8`);
    }
  }

  option<T>(read: (r: this) => T, what = "option"): T | undefined {
    const tag = this.u8();
    if (tag === 0) return undefined;
    if (tag === 1) return read(this);
    this.pos--;
    return this.fail("INVALID_OPTION_TAG", `invalid ${what} tag ${tag}`);
  }

  vec<T>(read: (r: this) => T, minElementSize: number, what = "vec", max?: number): T[] {
    const n = this.len(minElementSize, what, max);
    const out: T[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = read(this);
    return out;
  }
}
