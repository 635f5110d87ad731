// Every worked example of facts §5.10 in its "Rec" column (fixtures/worked-examples.json).
import {
  Env,
  exprEquals,
  Machine,
  MachineError,
  type MachineOptions,
  ParseError,
  parse,
  tokenize,
} from "astreum";
import { describe, expect, it } from "vitest";
import { fixture, fromSpec, type SpecValue, show } from "./helpers.js";

interface Example {
  n: number;
  src: string;
  options?: MachineOptions;
  stack?: SpecValue[];
  meter?: number;
  throws?: string;
  parseError?: string;
}

const { examples } = fixture<{ examples: Example[] }>("worked-examples.json");

describe("facts §5.10 worked examples (Rec column)", () => {
  it.each(examples)("#$n $src", (ex) => {
    if (ex.parseError !== undefined) {
      expect(() => parse(tokenize(ex.src))).toThrow(ParseError);
      expect(() => parse(tokenize(ex.src))).toThrow(ex.parseError);
      return;
    }
    const machine = new Machine(null, ex.options ?? {});
    const [expr, rest] = parse(tokenize(ex.src));
    expect(rest).toEqual([]);
    if (ex.throws !== undefined) {
      let caught: unknown;
      try {
        machine.run(expr, new Env());
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(MachineError);
      expect((caught as MachineError).code).toBe(ex.throws);
    } else {
      const stack = machine.run(expr, new Env());
      const want = ex.stack!.map(fromSpec);
      expect(show(stack)).toEqual(show(want));
      expect(stack.length).toBe(want.length);
      for (const [i, x] of stack.entries()) expect(exprEquals(x, want[i]!)).toBe(true);
    }
    if (ex.meter !== undefined) expect(machine.meter.used).toBe(ex.meter);
  });

  it("#46 the seed quickstart as written: parse keeps only the first form, which cannot yield 3", () => {
    const src = "(((a b (+ a b)) (a b) fn) add def) (1 2 add +)";
    const [expr, rest] = parse(tokenize(src));
    expect(rest).toEqual(["(", "1", "2", "add", "+", ")"]);
    // Inside the first form `(+ a b)` is prefix notation: `+` meets two NILs (unbound a, b).
    expect(() => new Machine(null).run(expr, new Env())).toThrow(/wrong operand type in `\+`/);
  });
});
