// Pairs and comparisons: `link`, `head`, `tail`, `is_atom`, `is_eq` (facts §5.7).
import { exprEquals } from "../equality.js";
import type { Task } from "../evaluator.js";
import { FALSE, LINK_TAG, LinkExpr, NIL, TRUE } from "../expr.js";
import { need } from "./operands.js";

/** head tail link -> Link(head, tail). Meter: 1. */
export function link(t: Task): void {
  const s = t.stack;
  need(s, 2, "link");
  const tail = s.pop()!;
  const head = s.pop()!;
  t.meter.charge(1);
  s.push(new LinkExpr(head, tail));
}

/** x head -> its head, or NIL (one more byte charged) when x is not a Link or has no head. */
export function head(t: Task): void {
  const s = t.stack;
  need(s, 1, "head");
  const x = s.pop()!;
  t.meter.charge(1);
  if (x.tag === LINK_TAG && x.head !== null) s.push(x.head);
  else {
    t.meter.charge(1);
    s.push(NIL);
  }
}

/** x tail -> its tail, or NIL (one more byte charged) when x is not a Link or has no tail. */
export function tail(t: Task): void {
  const s = t.stack;
  need(s, 1, "tail");
  const x = s.pop()!;
  t.meter.charge(1);
  if (x.tag === LINK_TAG && x.tail !== null) s.push(x.tail);
  else {
    t.meter.charge(1);
    s.push(NIL);
  }
}

/** x is_atom -> 01 for Bytes or Symbol, 00 for a Link. Meter: 1. */
export function isAtom(t: Task): void {
  const s = t.stack;
  need(s, 1, "is_atom");
  const x = s.pop()!;
  t.meter.charge(1);
  s.push(x.tag === LINK_TAG ? FALSE : TRUE);
}

/** a b is_eq -> 01 when structurally equal, else 00. Meter: min(size a, size b) + 1. */
export function isEq(t: Task): void {
  const s = t.stack;
  need(s, 2, "is_eq");
  const b = s.pop()!;
  const a = s.pop()!;
  t.meter.charge(Math.min(a.size, b.size) + 1);
  s.push(exprEquals(a, b) ? TRUE : FALSE);
}
