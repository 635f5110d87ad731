// On-disk layout of the cold tier (facts §2.3), every name and byte format in one place.
//
//   <cold_storage_path>/
//     level_0/<ID>.bin         one atom per file: its serialization (facts §1.4); <ID> is the atom
//                              id in 64 uppercase hex digits
//     level_0/<ID>.<rand>.tmp  a level-0 write in progress (renamed to <ID>.bin when complete)
//     level_<n>/<k>_index      n ≥ 1, k = 0, 1, 2, … (file number): the index of one collated file:
//                              count as a 64-byte big-endian integer, then per atom, sorted by id,
//                              id(32) ‖ position(64-byte BE) ‖ size(64-byte BE) — 160 bytes
//     level_<n>/<k>_data       the atoms' serializations concatenated in index order
//     level_<n>/<k>_index.tmp, <k>_data.tmp
//                              a collation or merge in progress
//
// Level 0 is collated into a new level-1 file once its bytes exceed the base size (KB 1e3, MB 1e6,
// GB 1e9); level n (all its files) is merged into one new level-(n+1) file once it holds more than
// base × 10^n bytes. Lookups read level 0, then levels 1, 2, … and within a level the highest file
// number first.
import { join } from "node:path";

export const LEVEL0 = "level_0";
export const INDEX_HEADER_BYTES = 64;
export const INDEX_ENTRY_BYTES = 160;
/** Width of the big-endian integers of the index (count, position, size). */
export const INDEX_INT_BYTES = 64;

export const COLD_STORAGE_SCALES = { KB: 1_000, MB: 1_000_000, GB: 1_000_000_000 } as const;
export type ColdStorageScale = keyof typeof COLD_STORAGE_SCALES;

export function levelDir(root: string, level: number): string {
  return join(root, `level_${level}`);
}

export function level0FileName(key: string): string {
  return `${key.toUpperCase()}.bin`;
}

/** The id key (lowercase hex) of a level-0 file name, or null for any other name. */
export function parseLevel0FileName(name: string): string | null {
  const m = /^([0-9A-Fa-f]{64})\.bin$/.exec(name);
  return m === null ? null : m[1]!.toLowerCase();
}

export function level0TempName(key: string): string {
  return `${key.toUpperCase()}.${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp`;
}

export function indexFileName(num: number): string {
  return `${num}_index`;
}

export function dataFileName(num: number): string {
  return `${num}_data`;
}

/** `{ num, kind }` of a level file name (`<k>_index` / `<k>_data`), or null. */
export function parseLevelFileName(name: string): { num: number; kind: "index" | "data" } | null {
  const m = /^(\d{1,15})_(index|data)$/.exec(name);
  if (m === null) return null;
  return { num: Number(m[1]), kind: m[2] as "index" | "data" };
}

export function isTempName(name: string): boolean {
  return name.endsWith(".tmp");
}
