import {
  Machine,
  MachineError,
  OPERATOR_NAMES,
  ParseError,
  parseAll,
  printExpr,
  tokenizeWithOffsets,
} from "astreum";
import { type FuzzTarget, OracleViolation, text, tokens } from "./target.js";

const MACHINE = /astreum\/(dist|src)\/machine\//;

/** Programs from the README and the evaluator tests: arithmetic, def, fn, recursion, actors. */
const PROGRAMS = [
  "(1 2 +)",
  "((' (a b)) (' add-params) def) ((' (a b +)) (' add-body) def) (1 2 add-params add-body fn)",
  "(5 (' x) def) 1 (x 2 +)",
  "(7 (' y) def) ; a comment\n(y 5 +)",
  "(' (1 2 3)) tail #;(ignored 1 2) (1 is_atom) (1 1 is_eq)",
  "(1 (' (10)) (' (20)) if)",
  "((' (n)) (' p) def) ((' (n 1 +)) (' b) def) (41 p b fn)",
  "((' (1 (' inbox) receive)) (' (worker)) spawn) (7 (' worker) send)",
  "(-3 4 +) (255 1 +) (0 0 +)",
  "(' ('x)) (' (a (b (c)))) ()",
];

const DICTIONARY = tokens(
  "(",
  ")",
  "'",
  " ",
  ";",
  "#;",
  "\n",
  "0x",
  "-",
  "0",
  "1",
  "255",
  "x",
  "(' ",
  ...OPERATOR_NAMES,
);

/** Source text through the tokenizer: it never throws, and every token sits at its offset. */
export const astreumTokenizerTarget: FuzzTarget = {
  name: "astreum-tokenizer",
  description: "astreum tokenizer: never throws; each token is the source text at its offset",
  coverage: MACHINE,
  maxLength: 2048,
  dictionary: DICTIONARY,
  seeds: () => PROGRAMS.map((p) => new TextEncoder().encode(p)),
  run(input) {
    const source = text(input);
    const { tokens: list, offsets } = tokenizeWithOffsets(source);
    list.forEach((t, i) => {
      if (source.slice(offsets[i]!, offsets[i]! + t.length) !== t)
        throw new OracleViolation(`token ${i} ${JSON.stringify(t)} is not at offset ${offsets[i]}`);
    });
  },
  expected: () => false,
};

/** Tokenizer + parser: only ParseError; what parses prints and parses back to the same text. */
export const astreumParserTarget: FuzzTarget = {
  name: "astreum-parser",
  description: "astreum parser (parseAll): only ParseError; print(parse(x)) parses back to itself",
  coverage: MACHINE,
  maxLength: 2048,
  dictionary: DICTIONARY,
  seeds: () => PROGRAMS.map((p) => new TextEncoder().encode(p)),
  run(input) {
    const printed = parseAll(text(input)).map((e) => printExpr(e));
    const again = parseAll(printed.join(" ")).map((e) => printExpr(e));
    if (again.join("\u0000") !== printed.join("\u0000"))
      throw new OracleViolation(`printing is not stable: ${printed.join(" ")} -> ${again.join(" ")}`);
  },
  expected: (e) => e instanceof ParseError,
};

/** Bounds small enough that every program stops quickly. */
const LIMITS = { maxCallDepth: 200, maxStackSize: 10_000 };
const METER_LIMIT = 20_000;

/** The evaluator on a fresh machine with a small meter: only MachineError may come out. */
export const astreumEvalTarget: FuzzTarget = {
  name: "astreum-eval",
  description: `astreum evaluator (runSource, meter limit ${METER_LIMIT} bytes): only MachineError`,
  coverage: MACHINE,
  maxLength: 1024,
  dictionary: DICTIONARY,
  seeds: () => PROGRAMS.map((p) => new TextEncoder().encode(p)),
  run(input) {
    const machine = new Machine(null, { meterLimit: METER_LIMIT, limits: LIMITS });
    machine.runSource(text(input));
    machine.takeActorFailures();
  },
  expected: (e) => e instanceof MachineError,
};
