import {
  atomId,
  BytesExpr,
  deserializeExpr,
  ExprDecodeError,
  exprEquals,
  fromHex,
  LinkExpr,
  NIL,
  parse,
  SymbolExpr,
  serializeExpr,
  tokenize,
  ZERO32,
} from "astreum";
import { createBLAKE3 } from "hash-wasm";
import { describe, expect, it } from "vitest";
import { fixture, hex } from "./helpers.js";

interface Vectors {
  blake3Empty: string;
  bytes: { value: string; hash: string; serialized?: string }[];
  symbols: { value: string; hash: string; serialized?: string }[];
  nil: string;
  parsed: { source: string; hash: string }[];
  linkHeadHashOnly: { headHash: string; hash: string };
  hashLists: { items: string[]; hash: string }[];
}
const v = fixture<Vectors>("atom-vectors.json");

describe("atom ids (facts §1.7 vectors)", () => {
  it("BLAKE3 of empty input", async () => {
    const h = await createBLAKE3();
    h.init();
    expect(h.digest("hex")).toBe(v.blake3Empty);
  });

  it.each(v.bytes)("Bytes($value)", ({ value, hash, serialized }) => {
    const e = new BytesExpr(fromHex(value));
    expect(hex(atomId(e))).toBe(hash);
    if (serialized) expect(hex(serializeExpr(e))).toBe(serialized);
  });

  it.each(v.symbols)("Symbol($value)", ({ value, hash, serialized }) => {
    const e = new SymbolExpr(value);
    expect(hex(e.hash())).toBe(hash);
    if (serialized) expect(hex(e.serialize())).toBe(serialized);
  });

  it("NIL", () => {
    expect(hex(NIL.hash())).toBe(v.nil);
    expect(hex(new LinkExpr().hash())).toBe(v.nil);
  });

  it.each(v.parsed)("parse of $source", ({ source, hash }) => {
    const [expr] = parse(tokenize(source));
    expect(hex(expr.hash())).toBe(hash);
  });

  it("Link with only a head hash", () => {
    const link = new LinkExpr(null, null, fromHex(v.linkHeadHashOnly.headHash), null);
    expect(hex(link.hash())).toBe(v.linkHeadHashOnly.hash);
  });

  it.each(v.hashLists)("hash list of $items.length item(s) ending in NIL", ({ items, hash }) => {
    let acc: LinkExpr = NIL;
    for (let i = items.length - 1; i >= 0; i--) acc = new LinkExpr(null, acc, fromHex(items[i]!), null);
    expect(hex(acc.hash())).toBe(hash);
  });
});

describe("serialization (facts §1.4)", () => {
  it("a Link is its tag and two child hashes, 65 bytes; NIL writes ZERO32 twice", () => {
    const [expr] = parse(tokenize("(1 2)"));
    const bytes = serializeExpr(expr);
    expect(bytes.length).toBe(65);
    expect(bytes[0]).toBe(0);
    expect(hex(bytes.slice(1, 33))).toBe(hex(new BytesExpr(Uint8Array.of(1)).hash()));
    expect(hex(NIL.serialize())).toBe(`00${hex(ZERO32)}${hex(ZERO32)}`);
  });

  it("decoding gives back equal atoms; a Link comes back by child hashes with the same id", () => {
    for (const e of [
      new BytesExpr(Uint8Array.of(1, 2)),
      new BytesExpr(new Uint8Array()),
      new SymbolExpr("héllo"),
    ]) {
      const back = deserializeExpr(serializeExpr(e));
      expect(exprEquals(back, e)).toBe(true);
      expect(hex(back.hash())).toBe(hex(e.hash()));
    }
    const [list] = parse(tokenize("(1 (2 3) x)"));
    const back = deserializeExpr(serializeExpr(list));
    expect(back).toBeInstanceOf(LinkExpr);
    expect((back as LinkExpr).head).toBeNull();
    expect(hex(back.hash())).toBe(hex(list.hash()));
    expect(exprEquals(back, list)).toBe(true);
    expect(deserializeExpr(NIL.serialize())).toSatisfy((x: LinkExpr) => x.isNil);
  });

  it("rejects empty input, unknown tags, short links and invalid UTF-8", () => {
    expect(() => deserializeExpr(new Uint8Array())).toThrow(ExprDecodeError);
    expect(() => deserializeExpr(Uint8Array.of(9))).toThrow(/unknown tag byte 0x09/);
    expect(() => deserializeExpr(new Uint8Array(64))).toThrow(/65 bytes/);
    expect(() => deserializeExpr(Uint8Array.of(1, 0xff))).toThrow(/UTF-8/);
  });
});

describe("expressions", () => {
  it("size follows facts §1.5", () => {
    const [e] = parse(tokenize("(1 abc (128 x))"));
    expect(e.size).toBe(1 + 3 + 2 + 1);
    expect(NIL.size).toBe(0);
    expect(new SymbolExpr("é").size).toBe(2);
  });

  it("structural equality", () => {
    const p = (s: string) => parse(tokenize(s))[0];
    expect(exprEquals(p("(1 (2 3) x)"), p("(1 (2 3) x)"))).toBe(true);
    expect(exprEquals(p("(1 2 3)"), p("(1 (2 3))"))).toBe(true); // same right-chained shape
    expect(exprEquals(p("(1 2)"), p("(1 (2))"))).toBe(false);
    expect(exprEquals(p("x"), p("(x)"))).toBe(false);
    expect(exprEquals(new BytesExpr(Uint8Array.of(0, 1)), BytesExpr.fromInt(1))).toBe(false);
    expect(exprEquals(BytesExpr.fromInt(300), new BytesExpr(Uint8Array.of(1, 44)))).toBe(true);
  });

  it("hashes, compares and sizes a 200,000-level structure without recursion", () => {
    let deep: LinkExpr = NIL;
    let twin: LinkExpr = NIL;
    for (let i = 0; i < 200_000; i++) {
      deep = new LinkExpr(deep, BytesExpr.fromInt(i % 7));
      twin = new LinkExpr(twin, BytesExpr.fromInt(i % 7));
    }
    expect(deep.size).toBe(200_000);
    expect(exprEquals(deep, twin)).toBe(true);
    expect(hex(deep.hash())).toBe(hex(twin.hash()));
  });

  it("fromInt shares small values and round-trips large ones", () => {
    expect(BytesExpr.fromInt(5)).toBe(BytesExpr.fromInt(5));
    expect(hex(BytesExpr.fromInt(2n ** 70n).value)).toBe("400000000000000000");
    expect(hex(BytesExpr.fromInt(-(2n ** 47n)).value)).toBe("800000000000");
    expect(hex(BytesExpr.fromInt(2 ** 47).value)).toBe("00800000000000");
    expect(hex(BytesExpr.fromInt(-1_000_000).value)).toBe("f0bdc0");
  });
});
