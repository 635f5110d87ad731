// No source text and no program may crash the host, overflow the JavaScript stack, or run without
// bound under a meter limit: each case ends in a result or a typed MachineError.
import {
  CallDepthExceededError,
  Env,
  LinkExpr,
  Machine,
  MachineError,
  MeterExceededError,
  OperandTypeError,
  parse,
  printExpr,
  ResourceLimitError,
  tokenize,
} from "astreum";
import { describe, expect, it } from "vitest";
import { runSrc } from "./helpers.js";

const DEPTH = 100_000;

describe("deep nesting (100,000 levels)", () => {
  it("evaluates nested lists", () => {
    expect(runSrc(`${"(".repeat(DEPTH)}1${")".repeat(DEPTH)}`).stack.map(printExpr)).toEqual(["1"]);
    // (1 (1 (1 … 0 +) +) +): the pending `+`s pile up in the work stack, not on the JS stack.
    expect(runSrc(`${"(1 ".repeat(DEPTH)}0${" +)".repeat(DEPTH)}`).stack.map(printExpr)).toEqual([
      String(DEPTH),
    ]);
  });

  it("quotes, prints, hashes and compares a deeply nested value", () => {
    const src = `(' ${"(".repeat(DEPTH)}x${")".repeat(DEPTH)})`;
    const { stack } = runSrc(`${src} ${src} is_eq ${src}`);
    expect(printExpr(stack[0]!)).toBe("1");
    const text = printExpr(stack[1]!);
    expect(text.length).toBe(2 * DEPTH + 1);
    expect(stack[1]!.hash()).toHaveLength(32);
    const [again] = parse(tokenize(text));
    expect(again.hash()).toEqual(stack[1]!.hash());
  });

  it("tokenizes 100,000 nested #; groups and unbalanced input", () => {
    expect(tokenize(`#;${"(".repeat(DEPTH)}${")".repeat(DEPTH)} x`)).toEqual(["x"]);
    expect(tokenize(`${"#;".repeat(DEPTH)}a`)).toEqual([]);
    expect(() => parse(tokenize("(".repeat(DEPTH)))).toThrow(/expected '\)'/);
  });

  it("builds a 100,000-level list with link and walks it back", () => {
    const src = `
      ((' (n acc)) (' bp) def)
      ((' ((n 0 is_eq) (' acc) (' (n -1 + acc (' ()) link bp build fn)) if)) (' build) def)
      ((' (l d)) (' wp) def)
      ((' ((l (' ()) is_eq) (' d) (' (l head d 1 + wp walk fn)) if)) (' walk) def)
      ((${DEPTH} (' ()) bp build fn) 0 wp walk fn)`;
    expect(runSrc(src).stack.map(printExpr)).toEqual([String(DEPTH)]);
  });
});

describe("runaway programs", () => {
  it("an endless loop in place (no fn) stops at the meter limit", () => {
    expect(() => runSrc("((' (1 x x if)) (' x) def) (1 x x if)", { meterLimit: 100_000 })).toThrow(
      MeterExceededError,
    );
  });

  it("endless tail recursion stops at the meter limit", () => {
    const src = "((' ((' ()) loop fn)) (' loop) def) ((' ()) loop fn)";
    const m = new Machine(null, { meterLimit: 50_000 });
    expect(() => m.runSource(src)).toThrow(MeterExceededError);
    expect(m.meter.used).toBeLessThanOrEqual(50_000);
  });

  it("deep non-tail recursion stops at the call depth limit", () => {
    const src = "((' (((' ()) deep fn) 1 +)) (' deep) def) ((' ()) deep fn)";
    expect(() => runSrc(src)).toThrow(CallDepthExceededError);
    expect(() => runSrc(src, { limits: { maxCallDepth: 500 } })).toThrow("call depth limit 500 exceeded");
  });

  it("a growing value stack stops at maxStackSize, even without a meter", () => {
    const src = "((' (1 1 x x if)) (' x) def) (1 x x if)";
    expect(() => runSrc(src, { meterEnabled: false, limits: { maxStackSize: 100_000 } })).toThrow(
      ResourceLimitError,
    );
    expect(() => runSrc(src, { meterEnabled: false, limits: { maxStackSize: 100_000 } })).toThrow(
      "resource limit reached in main program: the value stack holds more than 100000 values",
    );
  });

  it("growing pending work stops at maxStackSize", () => {
    // Each round leaves the trailing `2` of x's body pending.
    const src = "((' (1 x x if 2)) (' x) def) (1 x x if)";
    expect(() => runSrc(src, { meterEnabled: false, limits: { maxStackSize: 50_000 } })).toThrow(
      ResourceLimitError,
    );
  });

  it("the JavaScript heap guard stops a program before the host runs out of memory", () => {
    const src = "((' (n)) (' p) def) ((' ((n 0 is_eq) 0 (' (n -1 + p f fn)) if)) (' f) def) (1000000 p f fn)";
    expect(() => runSrc(src, { limits: { maxHeapFraction: 1e-6 } })).toThrow(/the JavaScript heap holds/);
  });

  it("values sharing subtrees (2^200 leaves) compare, hash and print in bounded time", () => {
    // d(n) = link(d(n-1), d(n-1)): 200 links build a tree of 2^200 nodes out of 201 distinct ones.
    const src = `
      ((' (n acc)) (' p) def)
      ((' ((n 0 is_eq) (' acc) (' (n -1 + acc acc link p dbl fn)) if)) (' dbl) def)
      (200 (' ()) p dbl fn) (' v) def
      (200 (' ()) p dbl fn) (' w) def
      (v w is_eq) v (v 1 +)`;
    let err: unknown;
    const m = new Machine(null, { meterLimit: 1_000_000 });
    const env = new Env();
    try {
      m.runSource(src, env);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OperandTypeError);
    expect((err as Error).message).toMatch(/left operand must be Bytes, got Link \(\(\(\(/);
    expect((err as Error).message.length).toBeLessThan(200);
    expect(m.runSource("(v w is_eq)", env).map((x) => printExpr(x))).toEqual(["1"]);
    expect(printExpr(env.get("v")!, { maxLength: 1000 })).toHaveLength(1001);
    expect(env.get("v")!.hash()).toHaveLength(32);
  });

  it("large integer literals and arithmetic stay exact", () => {
    const big = "9".repeat(5000);
    const { stack } = runSrc(`(${big} 1 +)`);
    expect(printExpr(stack[0]!)).toBe(`1${"0".repeat(5000)}`);
  });

  it("every failure is a MachineError, never a host RangeError", () => {
    const cases = [
      "(+)",
      "((' x) 1 +)",
      `${"(".repeat(DEPTH)}`,
      ")",
      "((' (((' ()) deep fn) 1 +)) (' deep) def) ((' ()) deep fn)",
    ];
    for (const c of cases) {
      let err: unknown;
      try {
        runSrc(c, { meterLimit: 1_000_000 });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(MachineError);
    }
    expect(new LinkExpr().isNil).toBe(true);
  });
});
