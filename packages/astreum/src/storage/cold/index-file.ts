// The index of one collated cold file (layout.ts): decoded into flat arrays and searched by binary
// search. Memory: 48 bytes per atom (id, position, size).
import { INDEX_ENTRY_BYTES, INDEX_HEADER_BYTES, INDEX_INT_BYTES } from "./layout.js";

/** Raised when index bytes are malformed (wrong length, integers out of range, unsorted ids). */
export class ColdIndexError extends Error {
  readonly code = "COLD_INDEX_INVALID";
  constructor(detail: string) {
    super(`invalid cold storage index: ${detail}`);
    this.name = "ColdIndexError";
  }
}

export class IndexTable {
  constructor(
    /** count × 32 bytes of ids, ascending. */
    readonly ids: Buffer,
    readonly positions: Float64Array,
    readonly sizes: Float64Array,
  ) {}

  get count(): number {
    return this.positions.length;
  }

  /** Entry number of `id`, or -1. */
  find(id: Uint8Array): number {
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.ids.compare(id, 0, 32, mid * 32, mid * 32 + 32);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  id(i: number): Buffer {
    return this.ids.subarray(i * 32, i * 32 + 32);
  }

  /** Bytes the data file must hold for every entry to be readable. */
  dataEnd(): number {
    let end = 0;
    for (let i = 0; i < this.count; i++) end = Math.max(end, this.positions[i]! + this.sizes[i]!);
    return end;
  }

  static decode(buf: Uint8Array): IndexTable {
    if (buf.length < INDEX_HEADER_BYTES) throw new ColdIndexError(`${buf.length} bytes, no header`);
    const count = readBigEndian(buf, 0);
    if (buf.length !== INDEX_HEADER_BYTES + count * INDEX_ENTRY_BYTES)
      throw new ColdIndexError(`${buf.length} bytes for ${count} entries`);
    const ids = Buffer.alloc(count * 32);
    const positions = new Float64Array(count);
    const sizes = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const o = INDEX_HEADER_BYTES + i * INDEX_ENTRY_BYTES;
      ids.set(buf.subarray(o, o + 32), i * 32);
      positions[i] = readBigEndian(buf, o + 32);
      sizes[i] = readBigEndian(buf, o + 32 + INDEX_INT_BYTES);
      if (i > 0 && ids.compare(ids, i * 32, i * 32 + 32, (i - 1) * 32, i * 32) >= 0)
        throw new ColdIndexError(`entry ${i} is not in ascending id order`);
    }
    return new IndexTable(ids, positions, sizes);
  }

  /** Index bytes for entries given in ascending id order. */
  static encode(entries: readonly { id: Uint8Array; position: number; size: number }[]): Buffer {
    const out = Buffer.alloc(INDEX_HEADER_BYTES + entries.length * INDEX_ENTRY_BYTES);
    writeBigEndian(out, 0, entries.length);
    entries.forEach((e, i) => {
      const o = INDEX_HEADER_BYTES + i * INDEX_ENTRY_BYTES;
      out.set(e.id, o);
      writeBigEndian(out, o + 32, e.position);
      writeBigEndian(out, o + 32 + INDEX_INT_BYTES, e.size);
    });
    return out;
  }
}

/** A 64-byte big-endian unsigned integer that must fit in a safe JavaScript integer. */
function readBigEndian(buf: Uint8Array, offset: number): number {
  for (let i = 0; i < INDEX_INT_BYTES - 8; i++)
    if (buf[offset + i] !== 0) throw new ColdIndexError(`integer at byte ${offset} is too large`);
  const view = new DataView(buf.buffer, buf.byteOffset + offset + INDEX_INT_BYTES - 8, 8);
  const v = view.getBigUint64(0);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ColdIndexError(`integer at byte ${offset} is too large`);
  return Number(v);
}

function writeBigEndian(buf: Buffer, offset: number, value: number): void {
  buf.writeBigUInt64BE(BigInt(value), offset + INDEX_INT_BYTES - 8);
}
