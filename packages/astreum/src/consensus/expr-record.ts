// Consensus objects (blocks, transactions, receipts, accounts, treasury records, trie nodes) are
// expression chains stored as atoms: an object's id is its chain's atom id, its atoms are the
// chain's atoms, and an object read back from atoms must re-encode to the id it was read by.
import type { Expr, LinkExpr } from "../machine/expr.js";
import { idsEqual } from "../storage/atom-id.js";
import { atomize } from "../storage/atomize.js";
import { ConsensusDecodeError } from "./errors.js";

export abstract class ExprRecord {
  /** The object as its expression chain. */
  abstract toExpr(): LinkExpr;

  /** The object's id: the atom id of its expression. */
  id(): Uint8Array {
    return this.toExpr().hash();
  }

  /** Every atom of the object itself (not of the objects its hash references point at). */
  atoms(): Expr[] {
    return atomize(this.toExpr());
  }
}

/**
 * `decoded` when it re-encodes to `id`; a ConsensusDecodeError otherwise, so that every object has
 * exactly one encoding and an id names one object.
 */
export function canonical<T extends ExprRecord>(decoded: T, id: Uint8Array, what: string): T {
  if (!idsEqual(decoded.id(), id)) throw new ConsensusDecodeError(`${what} is not in canonical form`);
  return decoded;
}
