// Operand checks shared by the operators: underflow and kind errors with messages that name the
// operator and show the offending value.
import { OperandTypeError, StackUnderflowError } from "../errors.js";
import { BYTES_TAG, type BytesExpr, type Expr, LINK_TAG } from "../expr.js";
import { printExpr } from "../printer.js";

/** Throws unless `stack` holds at least `n` values. */
export function need(stack: Expr[], n: number, op: string): void {
  if (stack.length < n) throw new StackUnderflowError(`\`${op}\``, n, stack.length);
}

export function expectBytes(x: Expr, op: string, role: string): BytesExpr {
  if (x.tag !== BYTES_TAG)
    throw new OperandTypeError(`\`${op}\``, `${role} must be Bytes, got ${describe(x)}`);
  return x;
}

/** Kind and a short printed form, e.g. `Link (1 2)`. */
export function describe(x: Expr): string {
  const kind = x.tag === LINK_TAG ? (x.isNil ? "NIL" : "Link") : x.tag === BYTES_TAG ? "Bytes" : "Symbol";
  if (kind === "NIL") return kind;
  return `${kind} ${printExpr(x, { maxLength: 60 })}`;
}
