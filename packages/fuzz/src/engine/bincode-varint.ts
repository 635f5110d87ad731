/**
 * The bincode 2 "standard" varint, as the mutator writes it: values below 251 in one byte, then a
 * marker (0xfb u16, 0xfc u32, 0xfd u64) and the little-endian body. The marker may be wider than
 * needed on purpose, to reach the decoders' padded-varint paths.
 */
export function encodeVarint(value: bigint, width: 8 | 16 | 32 | 64): number[] {
  if (width === 8) return [Number(value & 0xffn)];
  const marker = width === 16 ? 0xfb : width === 32 ? 0xfc : 0xfd;
  const out = [marker];
  for (let i = 0; i < width / 8; i++) out.push(Number((value >> BigInt(8 * i)) & 0xffn));
  return out;
}

/** The smallest width that holds `value` (what an honest encoder writes). */
export function minimalVarintWidth(value: bigint): 8 | 16 | 32 | 64 {
  if (value < 251n) return 8;
  if (value <= 0xffffn) return 16;
  if (value <= 0xffff_ffffn) return 32;
  return 64;
}
