// Integers as the machine stores them: minimal-width two's-complement, big-endian byte strings
// (0 -> 00, 127 -> 7f, 128 -> 0080, -1 -> ff, -129 -> ff7f). Small values take a Number fast path;
// anything wider goes through BigInt, so width is unbounded.

/** Byte strings up to this length decode exactly into a JavaScript number. */
export const SMALL_INT_BYTES = 6;

/** True when `bytes` is the minimal signed encoding of its value (what the parser produces). */
export function isMinimalSigned(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  if (bytes.length === 1) return true;
  const b0 = bytes[0]!;
  const b1 = bytes[1]!;
  return !((b0 === 0x00 && b1 < 0x80) || (b0 === 0xff && b1 >= 0x80));
}

/** Signed value of at most SMALL_INT_BYTES bytes as a number (empty -> 0). */
export function decodeSmallSigned(bytes: Uint8Array): number {
  const len = bytes.length;
  if (len === 0) return 0;
  let v = 0;
  for (let i = 0; i < len; i++) v = v * 256 + bytes[i]!;
  if (bytes[0]! >= 0x80) v -= 2 ** (8 * len);
  return v;
}

/** Signed value of any width (empty -> 0n). */
export function decodeSigned(bytes: Uint8Array): bigint {
  if (bytes.length <= SMALL_INT_BYTES) return BigInt(decodeSmallSigned(bytes));
  const v = BigInt(`0x${toHex(bytes)}`);
  return bytes[0]! >= 0x80 ? v - (1n << BigInt(8 * bytes.length)) : v;
}

/** Unsigned big-endian value (used for display of non-minimal strings and truthiness). */
export function decodeUnsigned(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${toHex(bytes)}`);
}

/** Minimal signed encoding of a safe integer. */
export function encodeSmallSigned(n: number): Uint8Array {
  let len = 1;
  let lo = -128;
  let hi = 127;
  while (n < lo || n > hi) {
    len++;
    lo *= 256;
    hi = hi * 256 + 255;
  }
  // Beyond 6 bytes, n + 2^(8·len) is no longer exact in a double.
  if (len > SMALL_INT_BYTES) return encodeSigned(BigInt(n));
  const out = new Uint8Array(len);
  let v = n < 0 ? n + 2 ** (8 * len) : n;
  for (let i = len - 1; i >= 0; i--) {
    out[i] = v % 256;
    v = Math.floor(v / 256);
  }
  return out;
}

/** Minimal signed encoding of any integer. */
export function encodeSigned(n: bigint): Uint8Array {
  const magnitude = n < 0n ? -n - 1n : n;
  const bits = magnitude === 0n ? 0 : magnitude.toString(2).length;
  const len = Math.floor(bits / 8) + 1;
  const v = n < 0n ? n + (1n << BigInt(8 * len)) : n;
  return fromHex(v.toString(16).padStart(2 * len, "0"));
}

export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!];
  return s;
}

export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new Error(`invalid hex string: ${hex}`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
