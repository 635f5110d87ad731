/** A decoded RLP item: a byte string or a list. */
export type RlpItem = Uint8Array | RlpItem[];

export class RlpError extends Error {
  override readonly name = "RlpError";
  readonly code = "BAD_RLP";
}

/** Decodes one RLP item that spans all of `bytes` (canonical length prefixes required). */
export function rlpDecode(bytes: Uint8Array): RlpItem {
  const [item, end] = decodeAt(bytes, 0);
  if (end !== bytes.length) throw new RlpError("trailing bytes after the RLP item");
  return item;
}

function readLength(bytes: Uint8Array, at: number, n: number): number {
  if (at + n > bytes.length) throw new RlpError("truncated length");
  if (bytes[at] === 0) throw new RlpError("length with a leading zero");
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + bytes[at + i]!;
  if (len < 56) throw new RlpError("long form used for a short length");
  return len;
}

function decodeAt(bytes: Uint8Array, at: number): [RlpItem, number] {
  if (at >= bytes.length) throw new RlpError("truncated item");
  const b = bytes[at]!;
  if (b < 0x80) return [bytes.subarray(at, at + 1), at + 1];
  if (b < 0xb8) {
    const len = b - 0x80;
    const end = at + 1 + len;
    if (end > bytes.length) throw new RlpError("truncated string");
    if (len === 1 && bytes[at + 1]! < 0x80) throw new RlpError("single byte not encoded as itself");
    return [bytes.subarray(at + 1, end), end];
  }
  if (b < 0xc0) {
    const n = b - 0xb7;
    const len = readLength(bytes, at + 1, n);
    const start = at + 1 + n;
    if (start + len > bytes.length) throw new RlpError("truncated string");
    return [bytes.subarray(start, start + len), start + len];
  }
  let start: number;
  let len: number;
  if (b < 0xf8) {
    start = at + 1;
    len = b - 0xc0;
  } else {
    const n = b - 0xf7;
    len = readLength(bytes, at + 1, n);
    start = at + 1 + n;
  }
  const end = start + len;
  if (end > bytes.length) throw new RlpError("truncated list");
  const items: RlpItem[] = [];
  let p = start;
  while (p < end) {
    const [item, next] = decodeAt(bytes, p);
    items.push(item);
    p = next;
  }
  if (p !== end) throw new RlpError("list length mismatch");
  return [items, end];
}
