// Atom ids as map keys. An atom id is the 32-byte BLAKE3 expression hash of one node (facts §1.3,
// computed by the machine's Expr.hash()); in-memory maps key them by lowercase hex.
import { NIL } from "../machine/expr.js";

export const ATOM_ID_BYTES = 32;

/** The id of NIL: a list tail with this hash ends the list without a storage lookup. */
export const NIL_ID: Uint8Array = NIL.hash();

/** Lowercase hex of an id (no copy of the bytes). */
export function idKey(id: Uint8Array): string {
  return Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString("hex");
}

export function idFromKey(key: string): Uint8Array {
  return Uint8Array.from(Buffer.from(key, "hex"));
}

export function isAtomId(x: unknown): x is Uint8Array {
  return x instanceof Uint8Array && x.length === ATOM_ID_BYTES;
}

export function idsEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
