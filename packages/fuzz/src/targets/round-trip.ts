import { OracleViolation } from "./target.js";

/** Structural equality of decoded values (bigint, bytes, arrays, plain objects). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Uint8Array && b instanceof Uint8Array)
    return a.length === b.length && a.every((v, i) => v === b[i]);
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  if (typeof a === "object" && typeof b === "object" && a !== null && b !== null) {
    const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
    const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
    return (
      ka.length === kb.length &&
      ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return false;
}

/** A decoded value must survive encode → decode unchanged (padded varints aside, bytes may differ). */
export function checkRoundTrip<T>(
  value: T,
  encode: (v: T) => Uint8Array,
  decode: (b: Uint8Array) => T,
): void {
  const again = decode(encode(value));
  if (!sameValue(value, again)) throw new OracleViolation("decode(encode(decode(x))) differs from decode(x)");
}
