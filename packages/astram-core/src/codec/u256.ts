import type { BincodeReader } from "./reader.js";
import type { BincodeWriter } from "./writer.js";

/** Amounts are U256 on the wire: four u64 limbs, least significant first, no length prefix. */
export const U256_MAX = (1n << 256n) - 1n;
const LIMB = (1n << 64n) - 1n;

export function writeU256(w: BincodeWriter, v: bigint): void {
  if (v < 0n || v > U256_MAX) throw new RangeError(`amount out of U256 range: ${v}`);
  // Small amounts (the common case) avoid bigint shifting.
  if (v <= LIMB) {
    w.u64(v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
    w.u8(0).u8(0).u8(0);
    return;
  }
  for (let i = 0n; i < 4n; i++) w.u64((v >> (64n * i)) & LIMB);
}

export function readU256(r: BincodeReader): bigint {
  const l0 = r.u64();
  const l1 = r.u64();
  const l2 = r.u64();
  const l3 = r.u64();
  return l0 | (l1 << 64n) | (l2 << 128n) | (l3 << 192n);
}

/** The [u64; 4] limb form the reference exposes as `amount_raw`. */
export function toLimbs(v: bigint): [bigint, bigint, bigint, bigint] {
  return [v & LIMB, (v >> 64n) & LIMB, (v >> 128n) & LIMB, (v >> 192n) & LIMB];
}
