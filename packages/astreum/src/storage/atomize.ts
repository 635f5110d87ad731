// Expressions <-> atoms. `atomize` lists every distinct node of an expression (what gets stored and
// advertised: the reference's resolve_inner_exprs); `materialize` rebuilds a whole expression from
// atoms, fetching each node by id.
import { type Expr, LINK_TAG, LinkExpr, NIL } from "../machine/expr.js";
import { idKey, idsEqual, NIL_ID } from "./atom-id.js";
import type { AtomLookup } from "./lists.js";

/**
 * Every distinct node reachable from `expr` (materialised children only; a hash-only child is
 * not reachable from here), in depth-first pre-order, each once. Iterative.
 */
export function atomize(expr: Expr): Expr[] {
  const out: Expr[] = [];
  const seen = new Set<string>();
  const pending: Expr[] = [expr];
  while (pending.length > 0) {
    const node = pending.pop()!;
    const key = idKey(node.hash());
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(node);
    if (node.tag === LINK_TAG) {
      if (node.tail !== null) pending.push(node.tail);
      if (node.head !== null) pending.push(node.head);
    }
  }
  return out;
}

export interface Materialized {
  /** The expression, with children that could not be loaded left as hashes; null if the root is missing. */
  expr: Expr | null;
  /** Ids of the nodes that could not be loaded. */
  missing: Uint8Array[];
}

/**
 * Rebuilds the expression with atom id `id`, loading every node through `lookup` (shared subtrees
 * load once). Iterative, so deep expressions cannot overflow the JavaScript stack.
 */
export async function materialize(id: Uint8Array, lookup: AtomLookup): Promise<Materialized> {
  const built = new Map<string, Expr | null>();
  const missing: Uint8Array[] = [];
  const load = async (h: Uint8Array): Promise<Expr | null> => {
    if (idsEqual(h, NIL_ID)) return NIL;
    const e = await lookup(h);
    if (e === null) missing.push(h);
    return e;
  };
  interface Frame {
    id: Uint8Array;
    key: string;
    node: Expr | null;
  }
  const stack: Frame[] = [{ id, key: idKey(id), node: null }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (built.has(top.key)) {
      stack.pop();
      continue;
    }
    if (top.node === null) {
      top.node = await load(top.id);
      if (top.node === null || top.node.tag !== LINK_TAG) {
        built.set(top.key, top.node);
        stack.pop();
        continue;
      }
    }
    const link = top.node as LinkExpr;
    // A node that arrived materialised (from the hot tier) needs nothing more.
    if (link.headHash === null && link.tailHash === null) {
      built.set(top.key, link);
      stack.pop();
      continue;
    }
    let waiting = false;
    for (const h of [link.headHash, link.tailHash]) {
      if (h === null) continue;
      const k = idKey(h);
      if (!built.has(k)) {
        stack.push({ id: h, key: k, node: null });
        waiting = true;
      }
    }
    if (waiting) continue;
    const head = link.head ?? (link.headHash === null ? null : built.get(idKey(link.headHash))!);
    const tail = link.tail ?? (link.tailHash === null ? null : built.get(idKey(link.tailHash))!);
    built.set(
      top.key,
      new LinkExpr(head, tail, head === null ? link.headHash : null, tail === null ? link.tailHash : null),
    );
    stack.pop();
  }
  return { expr: built.get(idKey(id)) ?? null, missing };
}
