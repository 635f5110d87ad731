// A list's evaluation steps, computed once per Link and memoized on it. Evaluating `(a b c)` walks
// the right-chained Links (a . (b . c)); doing that walk once and keeping the flat order turns each
// later evaluation of the same code (a function body, an `if` branch) into a handful of array
// pushes. A link whose head is the quote symbol becomes one QuoteStep, wherever it sits in the
// chain, exactly as the chain walk would treat it.
import { type Expr, LINK_TAG, type LinkExpr, NIL, SYMBOL_TAG } from "./expr.js";
import { QUOTE_SYMBOL } from "./parser.js";

export const QUOTE_TAG = 4;
export const UNRESOLVED_TAG = 5;

/** Push `value` unevaluated, charging `cost`. */
export class QuoteStep {
  readonly tag = QUOTE_TAG;
  constructor(
    readonly value: Expr,
    readonly cost: number,
  ) {}
}

/** A child known only by its hash: evaluating it fails (with UnresolvedExprError). */
export class UnresolvedStep {
  readonly tag = UNRESOLVED_TAG;
  constructor(readonly what: string) {}
}

export type Step = Expr | QuoteStep | UnresolvedStep;

/** `(')`: NIL, charged 1 byte. */
const QUOTE_NOTHING = new QuoteStep(NIL, 1);

export function listSteps(list: LinkExpr): readonly Step[] {
  const memo = list.steps;
  if (memo !== undefined) return memo;
  const out: Step[] = [];
  let cur: Expr | null = list;
  while (cur !== null) {
    if (cur.tag !== LINK_TAG) {
      out.push(cur);
      break;
    }
    const head: Expr | null = cur.head;
    const tail: Expr | null = cur.tail;
    if (head !== null && head.tag === SYMBOL_TAG && head.value === QUOTE_SYMBOL) {
      if (tail !== null) out.push(new QuoteStep(tail, tail.size));
      else out.push(cur.tailHash === null ? QUOTE_NOTHING : new UnresolvedStep("quoted tail"));
      break;
    }
    if (head !== null) {
      if (head !== NIL) out.push(head); // () evaluates to nothing
    } else if (cur.headHash !== null) out.push(new UnresolvedStep("list head"));
    if (tail === null && cur.tailHash !== null) out.push(new UnresolvedStep("list tail"));
    cur = tail;
  }
  list.steps = out;
  return out;
}
