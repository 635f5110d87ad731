/**
 * bincode 2 encoder. "standard" writes integers as varints (value < 251 in one byte, else a
 * 0xFB/0xFC/0xFD marker and 2/4/8 little-endian bytes), "fixint" writes them at their full width;
 * both are little-endian. Encoders always emit the shortest varint because txids hash these bytes.
 */
export type IntEncoding = "standard" | "fixint";

const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;
const utf8 = new TextEncoder();

export class BincodeWriter {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;

  constructor(
    readonly encoding: IntEncoding = "standard",
    initialSize = 256,
  ) {
    this.buf = new Uint8Array(initialSize);
    this.view = new DataView(this.buf.buffer);
  }

  get length(): number {
    return this.pos;
  }

  /** The bytes written so far (a copy, safe to keep). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new RangeError(`u8 out of range: ${v}`);
    this.ensure(1);
    this.buf[this.pos++] = v;
    return this;
  }

  bool(v: boolean): this {
    return this.u8(v ? 1 : 0);
  }

  raw(bytes: Uint8Array): this {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
    return this;
  }

  /** Unsigned varint (standard) or fixed-width (fixint) integer of `bits` width. */
  private unsigned(v: number | bigint, bits: 16 | 32 | 64): this {
    const max = bits === 64 ? U64_MAX : (1n << BigInt(bits)) - 1n;
    if (typeof v === "number") {
      if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`u${bits} out of range: ${v}`);
      if (bits < 64 && v > Number(max)) throw new RangeError(`u${bits} out of range: ${v}`);
    } else if (v < 0n || v > max) {
      throw new RangeError(`u${bits} out of range: ${v}`);
    }
    if (this.encoding === "fixint") return this.fixedUnsigned(v, bits);
    if (typeof v === "bigint" && v <= 0xffffffffn) v = Number(v);
    if (typeof v === "number" && v < 251) {
      this.ensure(1);
      this.buf[this.pos++] = v;
    } else if (v < 0x10000) {
      this.ensure(3);
      this.buf[this.pos++] = 0xfb;
      this.view.setUint16(this.pos, Number(v), true);
      this.pos += 2;
    } else if (v < 0x100000000) {
      this.ensure(5);
      this.buf[this.pos++] = 0xfc;
      this.view.setUint32(this.pos, Number(v), true);
      this.pos += 4;
    } else {
      this.ensure(9);
      this.buf[this.pos++] = 0xfd;
      this.view.setBigUint64(this.pos, BigInt(v), true);
      this.pos += 8;
    }
    return this;
  }

  private fixedUnsigned(v: number | bigint, bits: 16 | 32 | 64): this {
    this.ensure(bits / 8);
    if (bits === 16) this.view.setUint16(this.pos, Number(v), true);
    else if (bits === 32) this.view.setUint32(this.pos, Number(v), true);
    else this.view.setBigUint64(this.pos, BigInt(v), true);
    this.pos += bits / 8;
    return this;
  }

  u16(v: number): this {
    return this.unsigned(v, 16);
  }
  u32(v: number): this {
    return this.unsigned(v, 32);
  }
  u64(v: number | bigint): this {
    return this.unsigned(v, 64);
  }

  /** i64: zigzag + varint under standard, two's complement under fixint. */
  i64(v: number | bigint): this {
    const b = BigInt(v);
    if (b < I64_MIN || b > I64_MAX) throw new RangeError(`i64 out of range: ${v}`);
    if (this.encoding === "fixint") {
      this.ensure(8);
      this.view.setBigInt64(this.pos, b, true);
      this.pos += 8;
      return this;
    }
    const zigzag = b >= 0n ? b << 1n : (-b << 1n) - 1n;
    return this.unsigned(zigzag <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(zigzag) : zigzag, 64);
  }

  /** Collection length or enum variant index (u64 / u32 in bincode). */
  len(n: number): this {
    return this.u64(n);
  }
  variant(index: number): this {
    return this.u32(index);
  }

  bytes(v: Uint8Array): this {
    this.len(v.length);
    return this.raw(v);
  }

  string(s: string): this {
    // Hashes, addresses and hex signatures are ASCII: write them without an intermediate buffer.
    const n = s.length;
    let ascii = true;
    for (let i = 0; i < n; i++) {
      if (s.charCodeAt(i) > 0x7f) {
        ascii = false;
        break;
      }
    }
    if (!ascii) {
      const encoded = utf8.encode(s);
      this.len(encoded.length);
      return this.raw(encoded);
    }
    this.len(n);
    this.ensure(n);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) buf[p++] = s.charCodeAt(i);
    this.pos = p;
    return this;
  }

  option<T>(v: T | undefined | null, write: (w: this, value: T) => void): this {
    if (v === undefined || v === null) return this.u8(0);
    this.u8(1);
    write(this, v);
    return this;
  }

  vec<T>(items: readonly T[], write: (w: this, item: T) => void): this {
    this.len(items.length);
    for (const item of items) write(this, item);
    return this;
  }
}
