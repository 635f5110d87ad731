// Structural equality (the seed's `is_eq`, generalised): Bytes by value, Symbol by text, Link by
// head and tail recursively, absent == absent, different kinds never equal. Iterative, so deep
// structures cannot overflow the JavaScript stack. Values built with `link` can share subtrees, so
// a tree walk could take exponential time on a small value; past WALK_LIMIT nodes the comparison
// uses the expression hashes instead (equal exactly when the structures are equal, computed once
// per distinct node and cached).
import { BYTES_TAG, type Expr, LINK_TAG, NIL, SYMBOL_TAG } from "./expr.js";

/** Largest tree (in nodes) compared by walking. */
const WALK_LIMIT = 100_000;

export function exprEquals(a: Expr, b: Expr): boolean {
  // Atoms (the common case in programs) compare without allocating the walk's stacks.
  if (a === b) return true;
  if (a.tag !== LINK_TAG || b.tag !== LINK_TAG) return a.tag === b.tag && atomEquals(a, b);
  if (a === NIL) return b.isNil;
  if (b === NIL) return a.isNil;
  if (Math.min(a.nodes, b.nodes) > WALK_LIMIT) return bytesEqual(a.hash(), b.hash());
  const left: (Expr | null)[] = [a];
  const right: (Expr | null)[] = [b];
  while (left.length > 0) {
    const x = left.pop()!;
    const y = right.pop()!;
    if (x === y) continue;
    if (x === null || y === null) return false;
    if (x.tag !== y.tag) return false;
    if (x.tag !== LINK_TAG || y.tag !== LINK_TAG) {
      if (!atomEquals(x, y)) return false;
    } else {
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

/** Equality of two nodes of the same kind, at least one of them not a Link. */
function atomEquals(x: Expr, y: Expr): boolean {
  if (x.tag === BYTES_TAG && y.tag === BYTES_TAG) {
    if (x.size !== y.size) return false;
    // Same length and same signed value means the same bytes.
    if (!Number.isNaN(x.int)) return x.int === y.int;
    return bytesEqual(x.value, y.value);
  }
  if (x.tag === SYMBOL_TAG && y.tag === SYMBOL_TAG) return x.value === y.value;
  return false;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
