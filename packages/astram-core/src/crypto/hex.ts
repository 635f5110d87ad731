/** Hex helpers. Astram writes lowercase hex without a prefix unless a format says otherwise. */

export function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

/** Decodes hex (either case, optional 0x); throws TypeError on anything else. */
export function hexToBytes(hex: string): Uint8Array {
  const s = hex.startsWith("0x") || hex.startsWith("0X") ? hex.slice(2) : hex;
  if (s.length % 2 !== 0) throw new TypeError("hex string has an odd length");
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = nibble(s.charCodeAt(2 * i));
    const lo = nibble(s.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) throw new TypeError(`invalid hex character near position ${2 * i}`);
    out[i] = (hi << 4) | lo;
  }
  return out;
}

const LOWER_HEX = /^[0-9a-f]*$/;

/** True for lowercase hex of exactly `chars` characters (no prefix). */
export function isLowerHex(s: string, chars?: number): boolean {
  return (chars === undefined ? s.length % 2 === 0 : s.length === chars) && LOWER_HEX.test(s);
}

/** A 32-byte hash as Astram writes it: 64 lowercase hex characters. */
export function isHash64(s: string): boolean {
  return s.length === 64 && LOWER_HEX.test(s);
}

export function bigintToHex(v: bigint): string {
  return "0x" + v.toString(16);
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
