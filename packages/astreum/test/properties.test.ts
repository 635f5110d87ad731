// Property runs start from the suite's fixed fast-check seed (vitest.setup.ts; FC_SEED overrides).
// Property tests (fast-check): the tokenizer and parser never fail with anything but ParseError, and
// printing round-trips every expression the parser can produce.
import { exprEquals, Machine, MachineError, ParseError, parse, parseAll, printExpr, tokenize } from "astreum";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

/** Text biased toward the characters the tokenizer treats specially. */
const lispish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        "(",
        ")",
        "'",
        ";",
        "#;",
        "#",
        "\n",
        " ",
        "\t",
        "quote",
        "-",
        "+",
        "_",
        "0",
        "1",
        "x",
        '"',
        "é",
        "\u3000",
      ),
      fc.string({ maxLength: 4 }),
      fc.integer().map(String),
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(""));

const anyText = fc.oneof(
  lispish,
  fc.string({ unit: "binary", maxLength: 80 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
);

/** Source text of well-formed expressions. */
const { expr: sourceExpr } = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String),
    fc.integer({ min: -300, max: 300 }).map(String),
    fc.constantFrom("x", "add", "+", "!&", "'", "quote", "0x10", "1.5", "-", "is_eq", '"s"', "é"),
    fc.stringMatching(/^[a-z_!&*<>=?-][a-z0-9_!&*<>=?-]{0,6}$/),
    fc.array(tie("expr"), { maxLength: 5 }).map((items) => `(${items.join(" ")})`),
    tie("expr").map((e) => `(' ${e})`),
  ),
}));

function parsesOrParseError(text: string): void {
  try {
    parseAll(text);
    let rest = tokenize(text);
    while (rest.length > 0) [, rest] = parse(rest);
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
  }
}

describe("properties", () => {
  it("tokenize never throws", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const tokens = tokenize(text);
        for (const t of tokens) expect(t.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it("parse throws nothing but ParseError on random text", () => {
    fc.assert(fc.property(anyText, parsesOrParseError), { numRuns: 2000 });
  });

  it("print(parse(x)) re-parses to an equal expression (well-formed sources)", () => {
    fc.assert(
      fc.property(sourceExpr, (src) => {
        const [expr, rest] = parse(tokenize(src));
        expect(rest).toEqual([]);
        const [again, rest2] = parse(tokenize(printExpr(expr)));
        expect(rest2).toEqual([]);
        expect(exprEquals(again, expr)).toBe(true);
        expect(printExpr(again)).toBe(printExpr(expr)); // printing is canonical
      }),
      { numRuns: 1500 },
    );
  });

  it("print(parse(x)) re-parses to an equal expression (random text that parses)", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        let forms: ReturnType<typeof parseAll>;
        try {
          forms = parseAll(text);
        } catch {
          return;
        }
        for (const f of forms) {
          const [again] = parse(tokenize(printExpr(f)));
          expect(exprEquals(again, f)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("random programs under a meter limit end in a result or a MachineError", () => {
    const word = fc.constantFrom(
      "+",
      "!&",
      "!",
      "link",
      "head",
      "tail",
      "is_atom",
      "is_eq",
      "if",
      "fn",
      "def",
      "spawn",
      "send",
      "receive",
      "'",
      "x",
      "y",
      "0",
      "1",
      "-1",
      "255",
      "()",
    );
    const { prog } = fc.letrec<{ prog: string }>((tie) => ({
      prog: fc.oneof(
        { depthSize: "small" },
        word,
        fc.array(tie("prog"), { maxLength: 6 }).map((items) => `(${items.join(" ")})`),
      ),
    }));
    fc.assert(
      fc.property(fc.array(prog, { minLength: 1, maxLength: 4 }), fc.boolean(), (forms, threading) => {
        const m = new Machine(null, {
          meterLimit: 20_000,
          allowThreading: threading,
          limits: { maxCallDepth: 200 },
        });
        // Bind x and y to code so that fn/if/spawn get something to run, including themselves.
        const prelude = `((' (x y x y fn)) (' x) def) ((' (1 y x if)) (' y) def)`;
        try {
          const stack = m.runSource(`${prelude} ${forms.join(" ")}`);
          expect(Array.isArray(stack)).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(MachineError);
        }
        expect(m.meter.used).toBeLessThanOrEqual(20_000);
      }),
      { numRuns: 500 },
    );
  });
});
