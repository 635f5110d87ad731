import {
  BytesExpr,
  exprEquals,
  LinkExpr,
  NIL,
  ParseError,
  parse,
  parseAll,
  SymbolExpr,
  tokenize,
} from "astreum";
import { describe, expect, it } from "vitest";
import { hex } from "./helpers.js";

const one = (s: string) => parse(tokenize(s))[0];

describe("tokenize (facts §5.1)", () => {
  it("splits parens, quotes and words; whitespace and newlines separate", () => {
    expect(tokenize("(1 2 add)")).toEqual(["(", "1", "2", "add", ")"]);
    expect(tokenize("(1\n   2\t\tadd\r\n)")).toEqual(["(", "1", "2", "add", ")"]);
    expect(tokenize("'a")).toEqual(["'", "a"]);
    expect(tokenize("(a'b)")).toEqual(["(", "a", "'", "b", ")"]);
    expect(tokenize("a\u00a0b\u3000c\u001fd")).toEqual(["a", "b", "c", "d"]);
  });

  it('keeps quoted text whole: `"` is an ordinary character', () => {
    expect(tokenize('("abc")')).toContain('"abc"');
  });

  it("drops ; line comments but keeps the line break as a separator", () => {
    expect(tokenize("(1 ; note\n 2 +)")).toEqual(["(", "1", "2", "+", ")"]);
    expect(tokenize("a;b\nc")).toEqual(["a", "c"]);
    expect(tokenize("; only a comment")).toEqual([]);
  });

  it("#; skips the next expression: words, nested lists, nested comments, at end of input", () => {
    expect(tokenize("(1 #;(2 3) 4)")).toEqual(["(", "1", "4", ")"]);
    expect(tokenize("#;(a (b (c)) d) e")).toEqual(["e"]);
    expect(tokenize("#; word next")).toEqual(["next"]);
    expect(tokenize("#;(a ; ) not a close\n b) c")).toEqual(["c"]);
    expect(tokenize("#;(a #;) b) c")).toEqual(["c"]);
    expect(tokenize("#; #; a b c")).toEqual(["c"]);
    expect(tokenize("#;\n ; comment\n x y")).toEqual(["y"]);
    expect(tokenize("(1 #;)")).toEqual(["(", "1"]);
    expect(tokenize("x #;")).toEqual(["x"]);
    expect(tokenize("x #;   ")).toEqual(["x"]);
    expect(tokenize("#;(unclosed (list")).toEqual([]);
    expect(tokenize("a#;b c")).toEqual(["a", "c"]);
  });
});

describe("parse (facts §5.2)", () => {
  it("reads one expression and returns the rest", () => {
    const [expr, rest] = parse(tokenize("7 8"));
    expect(hex((expr as BytesExpr).value)).toBe("07");
    expect(rest).toEqual(["8"]);
    const [, rest2] = parse(tokenize("(((a b (+ a b)) (a b) fn) add def) (1 2 add +)"));
    expect(rest2).toEqual(["(", "1", "2", "add", "+", ")"]);
  });

  it("right-chains lists exactly as the seed shows", () => {
    const b = (n: number) => BytesExpr.fromInt(n);
    expect(exprEquals(one("(1 2 3)"), new LinkExpr(b(1), new LinkExpr(b(2), b(3))))).toBe(true);
    expect(
      exprEquals(
        one("(7 x def)"),
        new LinkExpr(b(7), new LinkExpr(new SymbolExpr("x"), new SymbolExpr("def"))),
      ),
    ).toBe(true);
    expect(exprEquals(one("(x)"), new LinkExpr(new SymbolExpr("x"), null))).toBe(true);
    expect(one("()")).toBe(NIL);
  });

  it("quote and ' both become the symbol '", () => {
    const q = new SymbolExpr("'");
    expect(exprEquals(one("'"), q)).toBe(true);
    expect(exprEquals(one("quote"), q)).toBe(true);
    const b = (n: number) => BytesExpr.fromInt(n);
    expect(exprEquals(one("((7 3) ')"), new LinkExpr(new LinkExpr(b(7), b(3)), q))).toBe(true);
    expect(exprEquals(one("(7 3 ')"), new LinkExpr(b(7), new LinkExpr(b(3), q)))).toBe(true);
  });

  it("error-like forms are plain lists", () => {
    const e = one("(arithmetic_error err)") as LinkExpr;
    expect((e.head as SymbolExpr).value).toBe("arithmetic_error");
    expect((e.tail as SymbolExpr).value).toBe("err");
  });

  it.each([
    ["0", "00"],
    ["127", "7f"],
    ["128", "0080"],
    ["-1", "ff"],
    ["-128", "80"],
    ["-129", "ff7f"],
    ["255", "00ff"],
    ["+5", "05"],
    ["007", "07"],
    ["-0", "00"],
    ["1_000", "03e8"],
    ["123456789012345678901234567890", "018ee90ff6c373e0ee4e3f0ad2"],
    ["-123456789012345678901234567890", "fe7116f0093c8c1f11b1c0f52e"],
  ])("integer %s -> %s (minimal two's complement)", (src, want) => {
    const e = one(src);
    expect(e).toBeInstanceOf(BytesExpr);
    expect(hex((e as BytesExpr).value)).toBe(want);
  });

  it.each(["0x10", "1.5", "1e3", "+", "-", "!&", "1__0", "_1", "1_", "--1"])("%s is a symbol", (src) => {
    expect(one(src)).toBeInstanceOf(SymbolExpr);
  });

  it("names the problem and the token position", () => {
    const err = (s: string) => {
      try {
        parse(tokenize(s));
      } catch (e) {
        return e as ParseError;
      }
      throw new Error("no error");
    };
    const unclosed = err("(1 (2 3)");
    expect(unclosed).toBeInstanceOf(ParseError);
    expect(unclosed.code).toBe("PARSE_ERROR");
    expect(unclosed.message).toMatch(
      /expected '\)' to close the list opened at token 0, but the input ended at token 6/,
    );
    expect(unclosed.position).toBe(0);
    const stray = err(")");
    expect(stray.message).toBe("unexpected ')' at token 0");
    expect(stray.position).toBe(0);
    expect(err("").message).toMatch(/unexpected end of input/);
    expect(() => parse([])).toThrow(ParseError);
  });

  it("parseAll reads every top-level form; its errors count tokens from the start", () => {
    expect(parseAll("1 (2 3) x").length).toBe(3);
    expect(parseAll("; nothing")).toEqual([]);
    expect(() => parseAll("(1) (2")).toThrow(/opened at token 3/);
    expect(() => parseAll("(1) )")).toThrow(/unexpected '\)' at token 3/);
  });

  it("parses 100,000 levels of nesting without recursion", () => {
    const depth = 100_000;
    const [expr, rest] = parse(tokenize(`${"(".repeat(depth)}1${")".repeat(depth)}`));
    expect(rest).toEqual([]);
    let cur = expr;
    let n = 0;
    while (cur instanceof LinkExpr) {
      cur = cur.head!;
      n++;
    }
    expect(n).toBe(depth);
  });
});
