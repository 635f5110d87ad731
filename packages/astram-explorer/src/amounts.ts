import { formatAsrm, U256_MAX } from "astram-core";

/**
 * Amounts in the database: ram (1 ASRM = 10^18 ram) as zero-padded decimal text of a fixed width.
 * A U256 has at most 78 decimal digits, so every amount fits; equal-width digit strings compare as
 * text exactly as they compare as numbers, so `ORDER BY balance DESC` (the rich list) is correct in
 * SQLite and PostgreSQL (columns use the "C" collation there). Sums are never taken in SQL: the
 * indexer keeps running totals with bigint and writes them back.
 */
export const AMOUNT_WIDTH = 78;

/** bigint ram -> fixed-width database text. Throws RangeError outside 0..2^256-1. */
export function amountToDb(v: bigint): string {
  if (v < 0n || v > U256_MAX) throw new RangeError(`amount out of range for the database: ${v}`);
  return v.toString().padStart(AMOUNT_WIDTH, "0");
}

/** Database text -> bigint ram. */
export function amountFromDb(s: string): bigint {
  return BigInt(s);
}

/** The API's form of an amount: exact decimal ram without padding ("1000000000000000000"). */
export function amountToApi(v: bigint): string {
  return v.toString();
}

/** Database text -> the API's decimal ram text. */
export function dbAmountToApi(s: string): string {
  return BigInt(s).toString();
}

/** Exact ASRM decimal text ("1.5"). */
export function asrm(v: bigint): string {
  return formatAsrm(v);
}
