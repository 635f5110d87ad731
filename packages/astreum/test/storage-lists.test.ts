// Property runs start from the suite's fixed fast-check seed (vitest.setup.ts; FC_SEED overrides).
// Atoms of lists and expressions (facts §1.5, §1.7): both list conventions, resolving a list from
// storage with the missing ids reported, atomizing an expression and rebuilding it from its atoms.
import {
  atomize,
  BytesExpr,
  bytesListToExpr,
  deserializeExpr,
  type Expr,
  exprEquals,
  fromHex,
  hashListToExpr,
  InvalidStorageArgumentError,
  idKey,
  LinkExpr,
  materialize,
  NIL,
  NIL_ID,
  NotAListError,
  parse,
  printExpr,
  resolveList,
  SymbolExpr,
  serializeExpr,
  tokenize,
} from "astreum";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fixture, hex } from "./helpers.js";

interface Vectors {
  nil: string;
  parsed: { source: string; hash: string }[];
  hashLists: { items: string[]; hash: string }[];
}
const v = fixture<Vectors>("atom-vectors.json");
const p = (s: string): Expr => parse(tokenize(s))[0];

/** Every atom of `expr` as stored bytes, decoded back: a lookup that sees only hash-only Links. */
function storageOf(...exprs: Expr[]): Map<string, Expr> {
  const m = new Map<string, Expr>();
  for (const e of exprs)
    for (const a of atomize(e)) m.set(idKey(a.hash()), deserializeExpr(serializeExpr(a)));
  return m;
}
const lookupIn = (m: Map<string, Expr>) => (id: Uint8Array) => m.get(idKey(id)) ?? null;

describe("list atomization (facts §1.5)", () => {
  it.each(v.hashLists)("hash list of $items.length item(s) has the §1.7 id", ({ items, hash }) => {
    expect(hex(hashListToExpr(items.map(fromHex)).hash())).toBe(hash);
  });

  it("a data list of Bytes has the parser's shape and the §1.7 id", () => {
    const e = bytesListToExpr([Uint8Array.of(1), Uint8Array.of(2), Uint8Array.of(3)]);
    expect(hex(e.hash())).toBe(v.parsed.find((x) => x.source === "(1 2 3)")!.hash);
    expect(printExpr(bytesListToExpr([Uint8Array.of(1)]))).toBe("(1)");
  });

  it("empty lists are NIL in both conventions", () => {
    expect(hex(bytesListToExpr([]).hash())).toBe(v.nil);
    expect(hex(hashListToExpr([]).hash())).toBe(v.nil);
    expect(hex(NIL_ID)).toBe(v.nil);
  });

  it("a hash list item must be 32 bytes", () => {
    expect(() => hashListToExpr([new Uint8Array(31)])).toThrow(InvalidStorageArgumentError);
  });
});

describe("resolveList (list from storage, missing ids reported)", () => {
  it("walks a data list stored as hash-only atoms; the bare last item is an item", async () => {
    const list = p("(1 x (2 3) 4)");
    const r = await resolveList(list.hash(), lookupIn(storageOf(list)));
    expect(r.complete).toBe(true);
    expect(r.items.map((i) => hex(i.hash()))).toEqual(["1", "x", "(2 3)", "4"].map((s) => hex(p(s).hash())));
    expect(r.missing).toEqual([]);
  });

  it("walks a hash list to its items and stops at NIL without looking NIL up", async () => {
    const items = [new BytesExpr(Uint8Array.of(7)), new SymbolExpr("block"), p("(1 2)")];
    const list = hashListToExpr(items.map((i) => i.hash()));
    const store = storageOf(list, ...items);
    store.delete(idKey(NIL_ID));
    const r = await resolveList(list, lookupIn(store));
    expect(r.complete).toBe(true);
    expect(r.items.map((i) => hex(i.hash()))).toEqual(items.map((i) => hex(i.hash())));
  });

  it("reports a missing item and keeps walking; a missing tail ends the walk", async () => {
    const items = [1, 2, 3, 4].map((n) => BytesExpr.fromInt(n));
    const list = hashListToExpr(items.map((i) => i.hash()));
    const store = storageOf(list, ...items);
    store.delete(idKey(items[1]!.hash()));
    let r = await resolveList(list.hash(), lookupIn(store));
    expect(r.complete).toBe(false);
    expect(r.items.map(printExpr)).toEqual(["1", "3", "4"]);
    expect(r.missing.map(hex)).toEqual([hex(items[1]!.hash())]);
    expect(r.missingTail).toBeNull();

    const third = (list.tail as LinkExpr).tail as LinkExpr;
    store.delete(idKey(third.hash()));
    r = await resolveList(list.hash(), lookupIn(store));
    expect(r.items.map(printExpr)).toEqual(["1"]);
    expect(r.missing.map(hex)).toEqual([hex(items[1]!.hash()), hex(third.hash())]);
    expect(hex(r.missingTail!)).toBe(hex(third.hash()));
  });

  it("a missing root is reported; a non-Link root is not a list", async () => {
    const id = p("(1 2)").hash();
    const r = await resolveList(id, () => null);
    expect(r.items).toEqual([]);
    expect(r.missingTail).toBe(id);
    await expect(resolveList(new SymbolExpr("x"), () => null)).rejects.toThrow(NotAListError);
    expect((await resolveList(NIL, () => null)).items).toEqual([]);
  });
});

describe("atomize and materialize", () => {
  it("atomize lists each distinct node once, root first", () => {
    const e = p("(1 1 1)");
    const atoms = atomize(e);
    expect(atoms.length).toBe(3);
    expect(atoms[0]).toBe(e);
  });

  it("rebuilds a 10,000-level expression from hash-only atoms", async () => {
    let deep: Expr = BytesExpr.fromInt(0);
    for (let i = 1; i <= 10_000; i++) deep = new LinkExpr(BytesExpr.fromInt(i % 5), deep);
    const store = storageOf(deep);
    const { expr, missing } = await materialize(deep.hash(), lookupIn(store));
    expect(missing).toEqual([]);
    expect(exprEquals(expr!, deep)).toBe(true);
  });

  it("leaves missing children as hashes and lists them", async () => {
    const e = p("(1 (2 3) 4)");
    const store = storageOf(e);
    const inner = p("(2 3)");
    store.delete(idKey(inner.hash()));
    const { expr, missing } = await materialize(e.hash(), lookupIn(store));
    expect(missing.map(hex)).toEqual([hex(inner.hash())]);
    expect(hex(expr!.hash())).toBe(hex(e.hash()));
    expect((await materialize(inner.hash(), lookupIn(store))).expr).toBeNull();
  });

  it("property: any expression survives atomize -> bytes -> materialize", async () => {
    const leaf = fc.oneof(
      fc.uint8Array({ maxLength: 8 }).map((b) => new BytesExpr(b) as Expr),
      fc.string({ maxLength: 6 }).map((s) => new SymbolExpr(s) as Expr),
      fc.constant(NIL as Expr),
    );
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("pair")),
      pair: fc.tuple(tie("node"), tie("node")).map(([h, t]) => new LinkExpr(h as Expr, t as Expr) as Expr),
    })).node as fc.Arbitrary<Expr>;
    await fc.assert(
      fc.asyncProperty(tree, async (e) => {
        const { expr, missing } = await materialize(e.hash(), lookupIn(storageOf(e)));
        expect(missing).toEqual([]);
        expect(hex(expr!.hash())).toBe(hex(e.hash()));
        expect(exprEquals(expr!, e)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
