// Binding and control: `def`, `if` (an operator, per the seed), `fn` (every parameter bound, the last
// bare-tail one included). Bodies and branches arrive as values, normally through quote.
import { OperandTypeError } from "../errors.js";
import type { Task } from "../evaluator.js";
import { BYTES_TAG, type Expr, LINK_TAG, NIL, SYMBOL_TAG } from "../expr.js";
import { describe, need } from "./operands.js";

/** value name def -> binds name in the current Env; pushes nothing (NIL when name is no Symbol). */
export function def(t: Task): void {
  const s = t.stack;
  need(s, 2, "def");
  const name = s.pop()!;
  const value = s.pop()!;
  t.meter.charge(name.size + value.size);
  if (name.tag !== SYMBOL_TAG) {
    t.meter.charge(1);
    s.push(NIL);
    return;
  }
  t.env.put(name.value, value);
}

/** cond then else if -> evaluates the chosen branch in place. Meter: size(cond). */
export function ifOp(t: Task): void {
  const s = t.stack;
  need(s, 3, "if");
  const otherwise = s.pop()!;
  const then = s.pop()!;
  const cond = s.pop()!;
  t.meter.charge(cond.size);
  t.evaluateNext(isTruthy(cond) ? then : otherwise);
}

/** Non-zero Bytes, or a Link with a head. Symbols, NIL, zero and empty Bytes are false. */
export function isTruthy(x: Expr): boolean {
  if (x.tag === BYTES_TAG) {
    if (!Number.isNaN(x.int)) return x.int !== 0;
    const v = x.value;
    for (let i = 0; i < v.length; i++) if (v[i] !== 0) return true;
    return false;
  }
  if (x.tag === LINK_TAG) return x.head !== null || x.headHash !== null;
  return false;
}

/**
 * arg1 … argN params body fn -> result. The first parameter binds the deepest argument. The body runs
 * on a fresh stack in a child of the current Env; its top value (if any) is pushed.
 * Meter: size(params) + Σ size(args).
 */
export function fn(t: Task): void {
  const s = t.stack;
  need(s, 2, "fn");
  const body = s.pop()!;
  const params = s.pop()!;
  const names = parameterNames(params);
  need(s, names.length, "fn");
  let cost = params.size;
  for (let i = s.length - names.length; i < s.length; i++) cost += s[i]!.size;
  t.meter.charge(cost);
  t.call(names, body);
}

/** Names of a parameter list: a chain of Symbols (the bare last one included), a lone Symbol, or NIL. */
export function parameterNames(params: Expr): readonly string[] {
  if (params.tag === LINK_TAG && params.paramsMemo !== undefined) return params.paramsMemo;
  const names: string[] = [];
  let cur: Expr | null = params;
  while (cur !== null) {
    if (cur.tag === SYMBOL_TAG) {
      names.push(cur.value);
      break;
    }
    if (cur.tag !== LINK_TAG) throw badParams(params);
    const h = cur.head;
    if (h === null) break;
    if (h.tag !== SYMBOL_TAG) throw badParams(params);
    names.push(h.value);
    cur = cur.tail;
  }
  if (params.tag === LINK_TAG) params.paramsMemo = names;
  return names;
}

function badParams(params: Expr): OperandTypeError {
  return new OperandTypeError("`fn`", `parameters must be a list of Symbols, got ${describe(params)}`);
}
