// Consensus objects as expressions (facts §4): each object is a right-chained list of items (the
// last item is the bare tail). Items are Bytes (numbers, keys, signatures), Symbols (the object's
// kind, at the end) or hash references `Link(head_hash=h)` (another object by id). This file builds
// such chains and reads them back from atoms without loading what hash references point to.
import {
  BytesExpr,
  type Expr,
  isAbsentHash,
  LINK_TAG,
  LinkExpr,
  listToExpr,
  NIL,
  SymbolExpr,
  ZERO32,
} from "../machine/expr.js";
import { idsEqual, NIL_ID } from "../storage/atom-id.js";
import type { AtomLookup } from "../storage/lists.js";
import { ConsensusDecodeError, MissingAtomError } from "./errors.js";

export type { AtomLookup };

const symbols = new Map<string, SymbolExpr>();

/** One shared SymbolExpr per kind name (its hash is computed once). */
export function kindSymbol(name: string): SymbolExpr {
  let s = symbols.get(name);
  if (s === undefined) {
    s = new SymbolExpr(name);
    symbols.set(name, s);
  }
  return s;
}

/** `Link(head_hash=h)`: a reference to another object by id (ZERO32 = none, which is NIL). */
export function hashRef(h: Uint8Array | null): LinkExpr {
  if (h === null || isAbsentHash(h)) return NIL;
  return new LinkExpr(null, null, h, null);
}

/** A right-chained list of at least two items. */
/**
 * The header chain of a signed object (blocks, transactions): its body chain, the signature (empty
 * while unsigned), the version and the kind symbol. The body hash is what is signed.
 */
export function signedHeader(
  body: LinkExpr,
  signature: Uint8Array | null,
  version: Uint8Array,
  kind: string,
): LinkExpr {
  return chain([
    body,
    new BytesExpr(signature ?? new Uint8Array(0)),
    new BytesExpr(version),
    kindSymbol(kind),
  ]);
}

export function chain(items: readonly Expr[]): LinkExpr {
  if (items.length < 2) throw new RangeError("a consensus chain has at least two items");
  return listToExpr(items);
}

/** An item of a chain: its id, and the expression when it is already materialised. */
export interface ChainRef {
  hash: Uint8Array;
  expr: Expr | null;
}

function refOf(child: Expr | null, hash: Uint8Array | null): ChainRef {
  if (child !== null) return { hash: child.hash(), expr: child };
  if (hash === null || isAbsentHash(hash)) return { hash: NIL_ID, expr: NIL };
  return { hash, expr: null };
}

/** Loads an atom; NIL's id needs no lookup. Throws MissingAtomError. */
export async function loadAtom(lookup: AtomLookup, id: Uint8Array, what: string): Promise<Expr> {
  if (idsEqual(id, NIL_ID)) return NIL;
  const e = await lookup(id);
  if (e === null) throw new MissingAtomError(id, what);
  return e;
}

/**
 * The `count` items of the chain at `root` (an id or an expression): the heads of the first
 * count − 1 Links, then the final tail. Items are not loaded (see loadRef).
 */
export async function chainItems(
  lookup: AtomLookup,
  root: Expr | Uint8Array,
  count: number,
  what: string,
): Promise<ChainRef[]> {
  let node: Expr = root instanceof Uint8Array ? await loadAtom(lookup, root, what) : root;
  const out: ChainRef[] = [];
  for (let i = 0; i < count - 1; i++) {
    if (node.tag !== LINK_TAG || node.isNil)
      throw new ConsensusDecodeError(`${what}: expected ${count} items, found ${i + 1}`);
    out.push(refOf(node.head, node.headHash));
    const tail = refOf(node.tail, node.tailHash);
    node = tail.expr ?? (await loadAtom(lookup, tail.hash, what));
  }
  out.push({ hash: node.hash(), expr: node });
  return out;
}

export async function loadRef(lookup: AtomLookup, ref: ChainRef, what: string): Promise<Expr> {
  return ref.expr ?? loadAtom(lookup, ref.hash, what);
}

/** A Bytes item's value. */
export async function bytesItem(lookup: AtomLookup, ref: ChainRef, what: string): Promise<Uint8Array> {
  const e = await loadRef(lookup, ref, what);
  if (e.tag !== 2) throw new ConsensusDecodeError(`${what} is not Bytes`);
  return e.value;
}

/** A hash reference item's target id (ZERO32 when it is NIL). */
export async function hashItem(lookup: AtomLookup, ref: ChainRef, what: string): Promise<Uint8Array> {
  if (idsEqual(ref.hash, NIL_ID)) return ZERO32;
  const e = await loadRef(lookup, ref, what);
  if (e.tag !== LINK_TAG) throw new ConsensusDecodeError(`${what} is not a hash reference`);
  if (e.head !== null) return e.head.hash();
  return e.headHash === null ? ZERO32 : e.headHash;
}

/** Checks the terminal kind symbol. */
export async function expectSymbol(lookup: AtomLookup, ref: ChainRef, name: string): Promise<void> {
  const e = await loadRef(lookup, ref, `${name} kind`);
  if (e.tag !== 1 || e.value !== name) throw new ConsensusDecodeError(`not a ${name}: wrong kind symbol`);
}

/** The id a chain slot's head points at without loading it; null when the slot holds NIL. */
export function slotTarget(ref: ChainRef): Uint8Array | null {
  return idsEqual(ref.hash, NIL_ID) ? null : ref.hash;
}

/** The ids of a hash list (facts §1.5: Link(#h0, Link(#h1, … NIL))), without loading the items. */
export async function hashListIds(lookup: AtomLookup, root: Uint8Array, what: string): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  let id = root;
  for (;;) {
    if (isAbsentHash(id) || idsEqual(id, NIL_ID)) return out;
    const node = await loadAtom(lookup, id, what);
    if (node.tag !== LINK_TAG) throw new ConsensusDecodeError(`${what} is not a hash list`);
    if (node.isNil) return out;
    const head = refOf(node.head, node.headHash);
    if (idsEqual(head.hash, NIL_ID)) throw new ConsensusDecodeError(`${what} has an empty item`);
    out.push(head.hash);
    const tail = refOf(node.tail, node.tailHash);
    id = tail.hash;
    if (out.length > 1_000_000) throw new ConsensusDecodeError(`${what} is too long`);
  }
}
