import { U256_MAX } from "astram-core";
import type { JsonValue } from "./json-bigint.js";

/**
 * Amounts as nodes write them in JSON, read liberally: "0x…" hex, a decimal string, a JSON
 * integer (safe or bigint), or `amount_raw` limbs [l0, l1, l2, l3] (least significant first).
 * Returns undefined for anything else (negative, fractional, out of U256 range).
 */
export function parseAmountValue(v: JsonValue | undefined): bigint | undefined {
  let n: bigint | undefined;
  if (typeof v === "bigint") n = v;
  else if (typeof v === "number") n = Number.isSafeInteger(v) ? BigInt(v) : undefined;
  else if (typeof v === "string") {
    const s = v.trim();
    if (/^0x[0-9a-fA-F]+$/.test(s)) n = BigInt(s);
    else if (/^\d+$/.test(s)) n = BigInt(s);
  } else if (Array.isArray(v) && v.length === 4) {
    n = 0n;
    for (let k = 0; k < 4; k++) {
      const limb = parseAmountValue(v[k]);
      if (limb === undefined || limb >= 1n << 64n) return undefined;
      n |= limb << BigInt(64 * k);
    }
  }
  if (n === undefined || n < 0n || n > U256_MAX) return undefined;
  return n;
}

/** The first field among `names` that holds a readable amount. */
export function amountField(obj: { [key: string]: JsonValue }, names: readonly string[]): bigint | undefined {
  for (const name of names) {
    if (Object.hasOwn(obj, name)) {
      const a = parseAmountValue(obj[name]);
      if (a !== undefined) return a;
    }
  }
  return undefined;
}
