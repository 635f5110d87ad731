// Lists as atoms, both conventions of facts §1.5, and resolving a list back from storage.
//  - Data lists (the parser's shape): [a, b, c] -> Link(a, Link(b, c)); the last item is the bare
//    tail; [a] -> Link(a, None); [] -> NIL.
//  - Hash lists (a block's transaction and receipt lists): [h0, h1] -> Link(#h0, Link(#h1, NIL)),
//    each node holding its item by hash, the chain ending in the NIL object; [] -> NIL.
import { BytesExpr, type Expr, LINK_TAG, LinkExpr, listToExpr, NIL } from "../machine/expr.js";
import { ATOM_ID_BYTES, idKey, idsEqual, NIL_ID } from "./atom-id.js";
import { InvalidStorageArgumentError, NotAListError } from "./errors.js";

/** Looks an atom up by id (hot, cold, or anything else); null when it is not available. */
export type AtomLookup = (id: Uint8Array) => Expr | null | Promise<Expr | null>;

/** A right-chained data list of Bytes items (the reference's `bytes_list_to_expr`). */
export function bytesListToExpr(values: readonly Uint8Array[]): LinkExpr {
  return listToExpr(values.map((v) => new BytesExpr(v)));
}

/** A hash list ending in NIL (the reference's `link_list_to_expr`). */
export function hashListToExpr(ids: readonly Uint8Array[]): LinkExpr {
  let acc: LinkExpr = NIL;
  for (let i = ids.length - 1; i >= 0; i--) {
    const id = ids[i]!;
    if (id.length !== ATOM_ID_BYTES)
      throw new InvalidStorageArgumentError(`hash list item ${i} has ${id.length} bytes, not 32`);
    acc = new LinkExpr(null, acc, id, null);
  }
  return acc;
}

export interface ListResolution {
  /** The items found, in order (a data list's bare last item included). */
  items: Expr[];
  /** Ids that were needed and not found: item atoms, then the tail where the walk stopped. */
  missing: Uint8Array[];
  /** The id of the chain node the walk could not load (the list is cut there), or null. */
  missingTail: Uint8Array | null;
  /** Every atom the walk loaded: the chain's Links and the items (what a list response carries). */
  atoms: Expr[];
  /** True when nothing was missing. */
  complete: boolean;
}

/**
 * Walks a list from its root (an Expr or an id), loading hash-only heads and tails with `lookup`.
 * Heads that cannot be loaded are reported and skipped; a tail that cannot be loaded ends the
 * walk. A non-Link final tail is the last item; NIL (or an absent tail) ends the list.
 */
export async function resolveList(root: Expr | Uint8Array, lookup: AtomLookup): Promise<ListResolution> {
  const out: ListResolution = { items: [], missing: [], missingTail: null, atoms: [], complete: false };
  let node: Expr | null;
  if (root instanceof Uint8Array) {
    node = idsEqual(root, NIL_ID) ? NIL : await lookup(root);
    if (node === null) {
      out.missing.push(root);
      out.missingTail = root;
      return out;
    }
  } else node = root;
  if (node.tag !== LINK_TAG) throw new NotAListError(idKey(node.hash()));
  let link: LinkExpr = node;
  for (;;) {
    out.atoms.push(link);
    if (link.isNil) break;
    if (link.head !== null) out.items.push(link.head);
    else if (link.headHash !== null && idsEqual(link.headHash, NIL_ID)) out.items.push(NIL);
    else if (link.headHash !== null) {
      const head = await lookup(link.headHash);
      if (head === null) out.missing.push(link.headHash);
      else {
        out.items.push(head);
        out.atoms.push(head);
      }
    } else out.items.push(NIL); // Link(None, tail): an absent item reads as NIL
    let tail: Expr | null = link.tail;
    if (tail === null) {
      const th = link.tailHash;
      if (th === null || idsEqual(th, NIL_ID)) break;
      tail = await lookup(th);
      if (tail === null) {
        out.missing.push(th);
        out.missingTail = th;
        return out;
      }
    }
    if (tail.tag !== LINK_TAG) {
      out.items.push(tail);
      out.atoms.push(tail);
      break;
    }
    link = tail;
  }
  out.complete = out.missing.length === 0;
  return out;
}
