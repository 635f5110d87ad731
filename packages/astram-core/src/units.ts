import { RAM_PER_ASRM } from "./consensus/params.js";

/** Exact decimal conversions between ASRM text and ram (no floating point anywhere). */

const DECIMAL_RE = /^(\d+)(?:\.(\d*))?$/;

/** Parses "1.5" ASRM (up to 18 decimals) to ram; throws TypeError on anything else. */
export function parseAsrm(text: string): bigint {
  const m = DECIMAL_RE.exec(text.trim());
  if (!m) throw new TypeError(`not a decimal ASRM amount: "${text}"`);
  const whole = m[1]!;
  const frac = m[2] ?? "";
  if (frac.length > 18)
    throw new TypeError(`"${text}" has more than 18 decimal places (1 ram = 10^-18 ASRM)`);
  return BigInt(whole) * RAM_PER_ASRM + BigInt(frac.padEnd(18, "0") || "0");
}

/** Formats ram as an exact ASRM decimal without trailing zeros ("1.5", "0.0001", "8"). */
export function formatAsrm(ram: bigint): string {
  const neg = ram < 0n;
  const v = neg ? -ram : ram;
  const whole = v / RAM_PER_ASRM;
  const frac = (v % RAM_PER_ASRM).toString().padStart(18, "0").replace(/0+$/, "");
  return (neg ? "-" : "") + whole.toString() + (frac ? "." + frac : "");
}
