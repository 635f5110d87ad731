// Tokens -> expressions (facts §5.2). `parse` reads exactly one expression and returns the tokens
// after it; lists become right-chained Links ((1 2 3) = Link(1, Link(2, 3))). Iterative: nesting
// depth is bounded by memory, not by the JavaScript stack.
import { ParseError } from "./errors.js";
import { BytesExpr, type Expr, listToExpr, SymbolExpr } from "./expr.js";
import { encodeSigned } from "./integer.js";
import { tokenize } from "./tokenizer.js";

/** The quote symbol: both `'` and the word `quote` parse to it. */
export const QUOTE_SYMBOL = "'";

/** Python-style integer literal: optional sign, ASCII digits, single underscores between digits. */
const INTEGER = /^[+-]?[0-9]+(?:_[0-9]+)*$/;

/** Parses one expression from the front of `tokens`; returns it with the remaining tokens. */
export function parse(tokens: readonly string[]): [Expr, string[]] {
  const [expr, next] = parseAt(tokens, 0);
  return [expr, tokens.slice(next)];
}

/** Parses every top-level expression of `source` (or of a token list), in order. */
export function parseAll(source: string | readonly string[]): Expr[] {
  const tokens = typeof source === "string" ? tokenize(source) : source;
  const out: Expr[] = [];
  let i = 0;
  while (i < tokens.length) {
    const [expr, next] = parseAt(tokens, i);
    out.push(expr);
    i = next;
  }
  return out;
}

/** Parses one expression starting at token index `start`; returns it and the index after it. */
export function parseAt(tokens: readonly string[], start: number): [Expr, number] {
  // Each open list is a frame of collected items plus the index of its `(` for error messages.
  const items: Expr[][] = [];
  const opened: number[] = [];
  let i = start;
  for (;;) {
    const token = tokens[i];
    if (token === undefined) {
      if (items.length === 0) {
        throw new ParseError(`unexpected end of input: expected an expression at token ${i}`, i);
      }
      const at = opened[opened.length - 1]!;
      throw new ParseError(
        `expected ')' to close the list opened at token ${at}, but the input ended at token ${i}`,
        at,
      );
    }
    i++;
    let done: Expr;
    if (token === "(") {
      items.push([]);
      opened.push(i - 1);
      continue;
    }
    if (token === ")") {
      const list = items.pop();
      if (list === undefined) throw new ParseError(`unexpected ')' at token ${i - 1}`, i - 1);
      opened.pop();
      done = listToExpr(list);
    } else {
      done = atom(token);
    }
    const parent = items[items.length - 1];
    if (parent === undefined) return [done, i];
    parent.push(done);
  }
}

function atom(token: string): Expr {
  if (token === "quote") return new SymbolExpr(QUOTE_SYMBOL);
  if (INTEGER.test(token)) return integer(token.replaceAll("_", ""));
  return new SymbolExpr(intern(token));
}

// Symbol texts share one string per spelling, so Env lookups compare names by identity first.
// Bounded, so that parsing endless distinct names cannot grow it without limit.
const interned = new Map<string, string>();
const MAX_INTERNED = 65_536;

function intern(text: string): string {
  const hit = interned.get(text);
  if (hit !== undefined) return hit;
  if (interned.size < MAX_INTERNED) interned.set(text, text);
  return text;
}

function integer(digits: string): Expr {
  // Up to 15 digits fit a double exactly; longer literals go through BigInt.
  const unsigned = digits.length - (digits[0] === "+" || digits[0] === "-" ? 1 : 0);
  if (unsigned <= 15) return BytesExpr.fromInt(Number.parseInt(digits, 10));
  return new BytesExpr(encodeSigned(BigInt(digits)));
}
