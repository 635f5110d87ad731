// The operator table: symbol text -> implementation. A symbol naming an operator always applies it;
// it is never looked up in the Env.
import type { Task } from "../evaluator.js";
import { receive, send, spawn } from "./actors.js";
import { add, nand, not } from "./arithmetic.js";
import { def, fn, ifOp } from "./control.js";
import { head, isAtom, isEq, link, tail } from "./list.js";

export type Operator = (task: Task) => void;

const TABLE: ReadonlyArray<readonly [string, Operator]> = [
  ["+", add],
  ["!&", nand],
  ["!", not],
  ["link", link],
  ["head", head],
  ["tail", tail],
  ["is_atom", isAtom],
  ["is_eq", isEq],
  ["if", ifOp],
  ["fn", fn],
  ["def", def],
  ["spawn", spawn],
  ["send", send],
  ["receive", receive],
];

export const OPERATOR_NAMES: readonly string[] = TABLE.map(([name]) => name);
export const OPERATORS: readonly Operator[] = TABLE.map(([, op]) => op);
const INDEX = new Map(TABLE.map(([name], i) => [name, i]));

/** Index into OPERATORS, or -1 when `name` is not an operator. */
export function operatorIndex(name: string): number {
  return INDEX.get(name) ?? -1;
}
