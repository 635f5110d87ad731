// Structural equality (the seed's `is_eq`, generalised): Bytes by value, Symbol by text, Link by
// head and tail recursively, absent == absent, different kinds never equal. Iterative, so deep
// structures cannot overflow the JavaScript stack.
import { BYTES_TAG, type Expr, LINK_TAG, SYMBOL_TAG } from "./expr.js";

export function exprEquals(a: Expr, b: Expr): boolean {
  const left: (Expr | null)[] = [a];
  const right: (Expr | null)[] = [b];
  while (left.length > 0) {
    const x = left.pop()!;
    const y = right.pop()!;
    if (x === y) continue;
    if (x === null || y === null) return false;
    if (x.tag !== y.tag) return false;
    if (x.tag === BYTES_TAG) {
      const other = y as typeof x;
      if (x.size !== other.size) return false;
      // Same length and same signed value means the same bytes.
      if (!Number.isNaN(x.int)) {
        if (x.int !== other.int) return false;
      } else if (!bytesEqual(x.value, other.value)) return false;
    } else if (x.tag === SYMBOL_TAG) {
      if (x.value !== (y as typeof x).value) return false;
    } else if (x.tag === LINK_TAG && y.tag === LINK_TAG) {
      // A child known only by hash compares by hash against the other side's hash.
      if (x.headHash !== null || y.headHash !== null || x.tailHash !== null || y.tailHash !== null) {
        if (!bytesEqual(x.hash(), y.hash())) return false;
        continue;
      }
      if (x.size !== y.size) return false;
      left.push(x.head, x.tail);
      right.push(y.head, y.tail);
    }
  }
  return true;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
