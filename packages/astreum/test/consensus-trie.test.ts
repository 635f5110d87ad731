// Property runs start from the suite's fixed fast-check seed (vitest.setup.ts; FC_SEED overrides).
// The accounts trie and the Merkle tree: the reference's tests.models.test_patricia and
// tests.models.test_merkle (facts §8), plus properties of the trie against a Map.

import { createHash } from "node:crypto";
import { AtomStore, deserializeExpr, MerkleIndexError, MerkleTree, PatriciaTrie, ZERO32 } from "astreum";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hex } from "./helpers.js";

const h = (s: string) => Uint8Array.from(Buffer.from(s, "hex"));
const nothing = () => null;

describe("PatriciaTrie (tests.models.test_patricia)", () => {
  it("single key AABBCC round-trips", async () => {
    const t = new PatriciaTrie(nothing);
    await t.put(h("aabbcc"), h("0102"));
    expect(hex((await t.get(h("aabbcc")))!)).toBe("0102");
    expect(hex(t.rootHash)).not.toBe(hex(ZERO32));
  });

  it("overwriting 01: v1 then v2", async () => {
    const t = new PatriciaTrie(nothing);
    await t.put(h("01"), new TextEncoder().encode("v1"));
    await t.put(h("01"), new TextEncoder().encode("v2"));
    expect(new TextDecoder().decode((await t.get(h("01")))!)).toBe("v2");
  });

  it("keys 00, 01, 10, ABCD are all retrievable; FF is missing", async () => {
    const t = new PatriciaTrie(nothing);
    const keys = ["00", "01", "10", "abcd"];
    for (const k of keys) await t.put(h(k), new TextEncoder().encode(`value-${k}`));
    for (const k of keys) expect(new TextDecoder().decode((await t.get(h(k)))!)).toBe(`value-${k}`);
    expect(await t.get(h("ff"))).toBeNull();
    expect(await t.get(h("ab"))).toBeNull();
    expect((await t.getAll()).map(([k]) => hex(k)).sort()).toEqual(keys);
  });

  it("an empty trie has root ZERO32 and finds nothing", async () => {
    const t = new PatriciaTrie(nothing);
    expect(hex(t.rootHash)).toBe(hex(ZERO32));
    expect(await t.get(h("00"))).toBeNull();
    expect(await t.getAll()).toEqual([]);
  });

  it("behaves like a Map, and its root depends only on the contents (property)", async () => {
    const key = fc.uint8Array({ minLength: 1, maxLength: 3 });
    const value = fc.uint8Array({ minLength: 1, maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(key, value), { maxLength: 40 }),
        fc.array(key, { maxLength: 10 }),
        async (puts, probes) => {
          const model = new Map<string, string>();
          const t = new PatriciaTrie(nothing);
          for (const [k, v] of puts) {
            await t.put(k, v);
            model.set(hex(k), hex(v));
          }
          for (const [k, v] of model) expect(hex((await t.get(h(k)))!)).toBe(v);
          for (const p of probes) {
            const got = await t.get(p);
            expect(got === null ? null : hex(got)).toBe(model.get(hex(p)) ?? null);
          }
          const all = new Map((await t.getAll()).map(([k, v]) => [hex(k), hex(v)]));
          expect(all).toEqual(model);
          const shuffled = new PatriciaTrie(nothing);
          for (const [k, v] of [...model].reverse()) await shuffled.put(h(k), h(v));
          expect(hex(shuffled.rootHash)).toBe(hex(t.rootHash));
        },
      ),
      { numRuns: 150 },
    );
  });

  it("takeAtoms hands over what a reader needs: a trie reopened from stored atoms reads the same", async () => {
    const store = new AtomStore();
    await store.start();
    const t = new PatriciaTrie(nothing);
    const entries: [Uint8Array, Uint8Array][] = [];
    for (let i = 0; i < 200; i++) {
      const k = createHash("sha256").update(`account ${i}`).digest();
      entries.push([k, createHash("sha256").update(`value ${i}`).digest()]);
      await t.put(k, entries[i]![1]);
    }
    for (const a of t.takeAtoms()) await store.putAtom(a);
    expect(t.takeAtoms()).toEqual([]);
    const lookup = async (id: Uint8Array) => {
      const e = await store.getLocal(id);
      return e === null ? null : deserializeExpr(e.serialize());
    };
    const reopened = new PatriciaTrie(lookup, t.rootHash);
    for (const [k, v] of entries) expect(hex((await reopened.get(k))!)).toBe(hex(v));
    // An update stores only the changed path.
    await reopened.put(entries[0]![0], h("77"));
    const changed = reopened.takeAtoms();
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.length).toBeLessThan(200);
    await store.stop();
  });
});

describe("MerkleTree (tests.models.test_merkle)", () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  const dec = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

  it("a, b, c: height 3, capacity 4, get and put by index, out of range", () => {
    const t = MerkleTree.fromLeaves([enc("a"), enc("b"), enc("c")]);
    expect(t.height).toBe(3);
    expect(t.capacity).toBe(4);
    expect([0, 1, 2].map((i) => dec(t.get(i)))).toEqual(["a", "b", "c"]);
    const before = hex(t.rootHash!);
    t.put(1, enc("B"));
    expect([0, 1, 2].map((i) => dec(t.get(i)))).toEqual(["a", "B", "c"]);
    expect(hex(t.rootHash!)).not.toBe(before);
    expect(t.get(100)).toBeNull();
    expect(t.get(-1)).toBeNull();
    expect(t.get(3)).toBeNull();
    expect(() => t.put(5, enc("x"))).toThrow(MerkleIndexError);
    expect(() => t.put(3, enc("x"))).toThrow(MerkleIndexError);
  });

  it("hashes: leaf BLAKE3(value), inner BLAKE3(left ‖ right), a missing right child adds nothing", async () => {
    const { blake3 } = await import("../src/machine/blake3.js");
    const t = MerkleTree.fromLeaves([enc("a"), enc("b"), enc("c")]);
    const ab = blake3(blake3(enc("a")), blake3(enc("b")));
    const c = blake3(blake3(enc("c")));
    expect(hex(t.rootHash!)).toBe(hex(blake3(ab, c)));
  });

  it("a single leaf: get(0) = x, get(1) is null; no leaves is an error", () => {
    const t = MerkleTree.fromLeaves([enc("x")], { nodeGet: () => null });
    expect(t.height).toBe(1);
    expect(dec(t.get(0))).toBe("x");
    expect(t.get(1)).toBeNull();
    expect(() => MerkleTree.fromLeaves([])).toThrow(MerkleIndexError);
  });
});
