import {
  BytesExpr,
  CallDepthExceededError,
  Env,
  Expr,
  Machine,
  MachineError,
  NIL,
  OperandTypeError,
  parse,
  printExpr,
  StackUnderflowError,
  SymbolExpr,
  tokenize,
} from "astreum";
import { describe, expect, it } from "vitest";
import { runSrc, show } from "./helpers.js";

const printed = (source: string, options = {}) => runSrc(source, options).stack.map(printExpr);

describe("the seed's own example", () => {
  it("(1 2 +) -> [Bytes 03] through tokenize, parse, Machine(node).run(expr, env)", () => {
    const node = {};
    const machine = new Machine(node);
    const [expr] = parse(tokenize("(1 2 +)"));
    const env = new Env();
    const stack = machine.run(expr, env);
    expect(stack).toHaveLength(1);
    expect(stack[0]).toBeInstanceOf(Expr.Bytes);
    expect(show(stack)).toEqual(["0x03"]);
    expect(machine.node).toBe(node);
  });
});

describe("evaluation model", () => {
  it("evaluates nested lists in place, postfix", () => {
    expect(printed("((1 2 +) (3 4 +) +)")).toEqual(["10"]);
    expect(printed("(1 (2 (3)))")).toEqual(["1", "2", "3"]);
  });

  it("bound symbols push their value unevaluated; unbound push NIL", () => {
    expect(printed("((' (1 2 +)) (' code) def) code")).toEqual(["(1 2 +)"]);
    expect(printed("nothing")).toEqual(["()"]);
  });

  it("operators cannot be shadowed by bindings", () => {
    expect(printed("(5 (' +) def) (1 2 +)")).toEqual(["3"]);
  });

  it("quote: (' x) pushes x, (') pushes NIL, quote inside data stays data", () => {
    expect(printed("(' x)")).toEqual(["x"]);
    expect(printed("(')")).toEqual(["()"]);
    expect(printed("(' (a (b c)))")).toEqual(["(a b c)"]);
    expect(printed("(quote (1 2 +))")).toEqual(["(1 2 +)"]);
    expect(printed("(' (' x))")).toEqual(["(' x)"]);
    // The chain from a `'` onwards is itself a quote form; a trailing `'` is a plain symbol.
    expect(printed("(1 ' x)")).toEqual(["1", "x"]);
    expect(printed("(1 ' x y)")).toEqual(["1", "(x y)"]);
    expect(printed("(' a b)")).toEqual(["(a b)"]);
    expect(printed("(7 3 ')")).toEqual(["7", "3", "()"]);
  });

  it("runSource evaluates every top-level form on one stack and one Env", () => {
    const env = new Env();
    const m = new Machine(null);
    expect(m.runSource("(5 (' x) def) 1 (x 2 +)", env).map(printExpr)).toEqual(["1", "7"]);
    expect(printExpr(env.get("x")!)).toBe("5");
    expect(m.runSource("", env)).toEqual([]);
  });

  it("a ParseError in runSource runs nothing", () => {
    const env = new Env();
    expect(() => new Machine(null).runSource("(1 (' x) def) (", env)).toThrow(/opened at token 8/);
    expect(env.get("x")).toBeUndefined();
  });
});

describe("+ (signed, any width)", () => {
  it.each([
    ["(1 2 +)", "3"],
    ["(127 1 +)", "128"],
    ["(-1 1 +)", "0"],
    ["(-128 -1 +)", "-129"],
    ["(140737488355327 1 +)", "140737488355328"],
    ["(-140737488355328 -140737488355328 +)", "-281474976710656"],
    ["(99999999999999999999999999 1 +)", "100000000000000000000000000"],
    ["(-99999999999999999999999999 99999999999999999999999999 +)", "0"],
  ])("%s -> %s", (src, want) => {
    expect(printed(src)).toEqual([want]);
  });

  it("reads non-minimal operands by their signed value", () => {
    const m = new Machine(null);
    const env = new Env({
      a: new BytesExpr(Uint8Array.of(0, 0, 3)),
      b: new BytesExpr(Uint8Array.of(0xff, 0xff)),
    });
    expect(m.runSource("(a b +)", env).map(printExpr)).toEqual(["2"]);
    expect(m.runSource("(e 1 +)", new Env({ e: new BytesExpr(new Uint8Array()) })).map(printExpr)).toEqual([
      "1",
    ]);
  });

  it("rejects Links and Symbols with a typed error naming the operator", () => {
    expect(() => runSrc("((1 2 link) 1 +)")).toThrow(OperandTypeError);
    expect(() => runSrc("((' x) 1 +)")).toThrow(
      "wrong operand type in `+`: left operand must be Bytes, got Symbol x",
    );
  });
});

describe("if, def, fn", () => {
  it("if: truthiness of Bytes and Links; the branch runs in place", () => {
    expect(printed("(0x0 (' yes) (' no) if)")).toEqual(["()"]); // 0x0 is an unbound symbol -> NIL -> false
    expect(printed("((' (1)) 1 2 if)")).toEqual(["1"]);
    expect(printed("((' ()) 1 2 if)")).toEqual(["2"]);
    expect(printed("((' x) 1 2 if)")).toEqual(["2"]);
    expect(printed("(256 1 2 if)")).toEqual(["1"]);
    expect(printed("(5 1 (' (9 (' y) def)) if) y")).toEqual(["1", "()"]);
    expect(printed("(0 1 (' (9 (' y) def)) if) y")).toEqual(["9"]);
  });

  it("def binds in the current Env only; a call's defs stay in the call", () => {
    expect(printed("(1 (' a) def) (2 (' a) def) a")).toEqual(["2"]);
    expect(printed("(0 (' p) (' ((p (' a) def) a)) fn) a")).toEqual(["0", "()"]);
  });

  it("fn binds every parameter, the bare last one included; first parameter = deepest argument", () => {
    expect(printed("(10 3 (' (a b)) (' (a b -1 + +)) fn)")).toEqual(["12"]);
    expect(printed("(1 2 3 (' (a b c)) (' (c)) fn)")).toEqual(["3"]);
    expect(printed("(1 2 3 (' (a b c)) (' (a)) fn)")).toEqual(["1"]);
    expect(printed("(7 (' x) (' (x x +)) fn)")).toEqual(["14"]); // a lone symbol is one parameter
    expect(printed("((' ()) (' (4 5)) fn)")).toEqual(["5"]); // no parameters
    expect(printed("(9 (' ()) (' ()) fn)")).toEqual(["9"]); // empty body: nothing pushed
  });

  it("fn: the body runs on a fresh stack and only its top comes back", () => {
    expect(printed("(100 1 2 (' (a b)) (' (a b 7 8)) fn)")).toEqual(["100", "8"]);
  });

  it("fn: dynamic scope: the body sees the caller's bindings", () => {
    expect(printed("(5 (' k) def) (1 (' a) (' (a k +)) fn)")).toEqual(["6"]);
  });

  it("fn: errors for bad parameters and missing arguments", () => {
    expect(() => runSrc("(1 (' (a 2)) (' a) fn)")).toThrow(
      /parameters must be a list of Symbols, got Link \(a 2\)/,
    );
    expect(() => runSrc("(5 (' a) fn)")).toThrow(OperandTypeError);
    expect(() => runSrc("(1 (' (a b)) (' a) fn)")).toThrow(StackUnderflowError);
    expect(() => runSrc("(1 (' (a b)) (' a) fn)")).toThrow(
      "stack underflow in `fn`: needs 2 operand(s), the stack holds 1",
    );
  });

  it("tail calls keep what a caller left when the callee returns nothing", () => {
    // g leaves 42 then tail-calls f, whose body is empty: g returns 42.
    const src = `((' ()) (' f-body) def)
      ((' (42 (' ()) f-body fn)) (' g-body) def)
      ((' ()) g-body fn)`;
    expect(printed(src)).toEqual(["42"]);
    // Nested tail calls with empty results pass the fallback through.
    const src2 = `((' ()) (' f-body) def)
      ((' ((' ()) f-body fn)) (' g-body) def)
      ((' (7 (' ()) g-body fn)) (' h-body) def)
      ((' ()) h-body fn)`;
    expect(printed(src2)).toEqual(["7"]);
  });

  it("tail recursion runs in constant depth; mutual recursion too", () => {
    const loop = `((' (n)) (' p) def)
      ((' ((n 0 is_eq) (' done) (' (n -1 + p body fn)) if)) (' body) def)
      (300000 p body fn)`;
    const m = new Machine(null, { limits: { maxCallDepth: 10 } });
    expect(m.runSource(loop).map(printExpr)).toEqual(["()"]); // `done` is unbound -> NIL
    const evenOdd = `((' (n)) (' p) def)
      ((' ((n 0 is_eq) 1 (' (n -1 + p odd fn)) if)) (' even) def)
      ((' ((n 0 is_eq) 0 (' (n -1 + p even fn)) if)) (' odd) def)
      (100001 p even fn) (100000 p even fn)`;
    expect(new Machine(null, { limits: { maxCallDepth: 10 } }).runSource(evenOdd).map(printExpr)).toEqual([
      "0",
      "1",
    ]);
  });

  it("deep non-tail recursion ends in CallDepthExceededError", () => {
    const src = `((' (n)) (' p) def)
      ((' ((n 0 is_eq) 0 (' ((n -1 + p body fn) 1 +)) if)) (' body) def)
      (1000000 p body fn)`;
    expect(() => runSrc(src)).toThrow(CallDepthExceededError);
    expect(() => runSrc(src)).toThrow("call depth limit 100000 exceeded in fn (main program)");
    const small = `((' (n)) (' p) def)
      ((' ((n 0 is_eq) 0 (' ((n -1 + p body fn) 1 +)) if)) (' body) def)
      (50000 p body fn)`;
    expect(printed(small)).toEqual(["50000"]);
  });
});

describe("list operators", () => {
  it("link/head/tail/is_atom/is_eq", () => {
    expect(printed("(1 (2 3 link) link)")).toEqual(["(1 2 3)"]);
    expect(printed("((' (1 2 3)) head)")).toEqual(["1"]);
    expect(printed("((' (x)) tail)")).toEqual(["()"]);
    expect(printed("((' x) is_atom)")).toEqual(["1"]);
    expect(printed("((' (1 (2 3))) (' (1 2 3)) is_eq)")).toEqual(["1"]);
    expect(printed("((' (1 2)) (' (1 (2))) is_eq)")).toEqual(["0"]);
    expect(printed("((' x) (' x) is_eq) ((' x) (' y) is_eq) ((' ()) 0 is_eq)")).toEqual(["1", "0", "0"]);
  });

  it("!& and ! pad to the wider operand", () => {
    expect(printed("(1 1 !&)")).toEqual(["-2"]);
    expect(show(runSrc("(256 1 !&)").stack)).toEqual(["0xffff"]);
    expect(show(runSrc("(0 256 !&)").stack)).toEqual(["0xffff"]);
    expect(show(runSrc("(0 1 !&)").stack)).toEqual(["0xff"]);
    expect(show(runSrc("(65535 !)").stack)).toEqual(["0xff0000"]);
    expect(() => runSrc("(e !)")).toThrow("wrong operand type in `!`: operand must be Bytes, got NIL");
  });
});

describe("errors are typed and say where", () => {
  it("stack underflow names the operator", () => {
    for (const op of ["+", "!&", "link", "is_eq", "def", "fn", "send"]) {
      expect(() => runSrc(`(${op})`)).toThrow(new RegExp(`stack underflow in \`${op.replace("+", "\\+")}\``));
    }
    for (const op of ["!", "head", "tail", "is_atom", "receive"])
      expect(() => runSrc(`(${op})`)).toThrow(StackUnderflowError);
    expect(() => runSrc("(1 2 if)")).toThrow("needs 3 operand(s), the stack holds 2");
  });

  it("every error is a MachineError with a stable code", () => {
    try {
      runSrc("(1 2 link 1 +)");
    } catch (e) {
      expect(e).toBeInstanceOf(MachineError);
      expect((e as MachineError).code).toBe("WRONG_OPERAND_TYPE");
    }
  });

  it("Links known only by hash cannot be evaluated", () => {
    const link = new Expr.Link(null, null, new Uint8Array(32).fill(1), null);
    expect(() => new Machine(null).run(link)).toThrow(/known only by its hash/);
  });
});

describe("Env", () => {
  it("get walks the parent chain; put writes locally; each Env owns its map", () => {
    const root = new Env({ a: BytesExpr.fromInt(1) });
    const child = new Env(null, root);
    expect(child.get("a")).toBe(BytesExpr.fromInt(1));
    child.put("a", BytesExpr.fromInt(2));
    expect(printExpr(root.get("a")!)).toBe("1");
    expect(printExpr(child.get("a")!)).toBe("2");
    const e1 = new Env();
    const e2 = new Env();
    e1.put("x", NIL);
    expect(e2.get("x")).toBeUndefined();
    expect(new Env(new Map([["k", new SymbolExpr("v")]])).get("k")).toBeInstanceOf(SymbolExpr);
  });

  it("lookups through long chains see bindings added later anywhere up the chain", () => {
    const root = new Env();
    let e = root;
    const chain: Env[] = [];
    for (let i = 0; i < 50; i++) {
      e = new Env(null, e);
      chain.push(e);
    }
    expect(e.get("late")).toBeUndefined(); // memoized as unbound
    chain[10]!.put("late", BytesExpr.fromInt(10));
    expect(printExpr(e.get("late")!)).toBe("10");
    chain[40]!.put("late", BytesExpr.fromInt(40));
    expect(printExpr(e.get("late")!)).toBe("40");
    root.put("other", NIL);
    expect(e.get("other")).toBe(NIL);
    for (let i = 0; i < 20; i++) chain[0]!.put(`k${i}`, BytesExpr.fromInt(i)); // past 8 names: a Map
    expect(printExpr(e.get("k15")!)).toBe("15");
    expect(chain[0]!.size).toBe(20);
    expect(e.entries().map(([k]) => k)).toContain("late");
  });
});
