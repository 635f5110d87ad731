// Bytes an atom occupies: its serialized length (tag byte + content; a Link is always 65 bytes).
// Both tiers account atoms this way (facts §1.5's size() counts a Link by its materialised children
// only, so a tier full of hash-only Links would never fill; the serialized length is what is kept).
import { type Expr, LINK_TAG } from "../machine/expr.js";

export const LINK_ATOM_BYTES = 65;

export function atomBytes(expr: Expr): number {
  return expr.tag === LINK_TAG ? LINK_ATOM_BYTES : 1 + expr.size;
}
