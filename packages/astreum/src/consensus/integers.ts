// The two integer encodings of consensus objects (facts §4.1). Both are unsigned and minimal:
// 0 -> 00, n > 0 -> the fewest bytes, absent -> empty; decoding empty gives 0.
//  - little-endian: Transaction, Account and treasury-record fields;
//  - big-endian: Block and Receipt fields.
import { ConsensusDecodeError } from "./errors.js";

/** Minimal unsigned big-endian bytes of n (0 -> 00); null -> empty. */
export function encodeBE(n: bigint | number | null): Uint8Array {
  if (n === null) return new Uint8Array(0);
  const v = BigInt(n);
  if (v < 0n) throw new RangeError(`cannot encode a negative integer: ${v}`);
  if (v === 0n) return Uint8Array.of(0);
  let hex = v.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return Uint8Array.from(Buffer.from(hex, "hex"));
}

/** Minimal unsigned little-endian bytes of n (0 -> 00); null -> empty. */
export function encodeLE(n: bigint | number | null): Uint8Array {
  return encodeBE(n).reverse();
}

export function decodeBE(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  return BigInt(`0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("hex")}`);
}

export function decodeLE(bytes: Uint8Array): bigint {
  return decodeBE(Uint8Array.from(bytes).reverse());
}

/** A decoded value that must fit a JavaScript number (heights, timestamps, chain ids). */
export function toSafeNumber(v: bigint, field: string): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ConsensusDecodeError(`${field} ${v} is out of range`);
  return Number(v);
}
