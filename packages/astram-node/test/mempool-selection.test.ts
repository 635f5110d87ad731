import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type SelectableEntry, selectByAncestorScore } from "../src/mempool/ancestor-score.js";
import { TxGraph } from "../src/mempool/tx-graph.js";

const SEED = 1514;

interface Node {
  readonly parents: number[];
  readonly fee: number;
  readonly size: number;
  readonly addedAt: number;
  readonly held: boolean;
}

function entryOf(i: number, n: Node): SelectableEntry & { held: boolean } {
  return {
    tx: { txid: `t${String(i).padStart(3, "0")}` },
    size: n.size,
    fee: BigInt(n.fee),
    addedAt: n.addedAt,
    held: n.held,
  };
}

function graphOf(nodes: readonly Node[]): TxGraph {
  const g = new TxGraph();
  nodes.forEach((n, i) => {
    g.add(
      entryOf(i, n).tx.txid,
      n.parents.map((p) => entryOf(p, nodes[p]!).tx.txid),
    );
  });
  return g;
}

/**
 * The rule stated plainly, recomputing every package at every step (quadratic): take the best
 * package (highest fee/size of a transaction with its ancestors not yet taken; ties: earlier, then
 * smaller txid) unless it failed to fit before with the same contents; add it ancestors first.
 */
function reference(nodes: readonly Node[], maxBytes: number): string[] {
  const ids = nodes.map((n, i) => entryOf(i, n).tx.txid);
  const ancestors = (i: number): Set<number> => {
    const seen = new Set<number>();
    const stack = [...nodes[i]!.parents];
    while (stack.length > 0) {
      const p = stack.pop()!;
      if (seen.has(p)) continue;
      seen.add(p);
      stack.push(...nodes[p]!.parents);
    }
    return seen;
  };
  const blocked = (i: number) => nodes[i]!.held || [...ancestors(i)].some((a) => nodes[a]!.held);
  const taken = new Set<number>();
  const failedWithSize = new Map<number, number>();
  const out: string[] = [];
  let left = maxBytes;
  for (;;) {
    let best: { i: number; fee: bigint; size: number; pkg: number[] } | undefined;
    for (let i = 0; i < nodes.length; i++) {
      if (taken.has(i) || blocked(i)) continue;
      const pkg = [i, ...[...ancestors(i)].filter((a) => !taken.has(a))];
      const fee = pkg.reduce((s, k) => s + BigInt(nodes[k]!.fee), 0n);
      const size = pkg.reduce((s, k) => s + nodes[k]!.size, 0);
      if (failedWithSize.get(i) === size) continue;
      if (best) {
        const lhs = fee * BigInt(best.size);
        const rhs = best.fee * BigInt(size);
        const better =
          lhs !== rhs
            ? lhs > rhs
            : nodes[i]!.addedAt !== nodes[best.i]!.addedAt
              ? nodes[i]!.addedAt < nodes[best.i]!.addedAt
              : ids[i]! < ids[best.i]!;
        if (!better) continue;
      }
      best = { i, fee, size, pkg };
    }
    if (!best) return out;
    if (best.size > left) {
      failedWithSize.set(best.i, best.size);
      continue;
    }
    const depth = (k: number) => ancestors(k).size;
    best.pkg.sort((x, y) => depth(x) - depth(y) || (ids[x]! < ids[y]! ? -1 : 1));
    for (const k of best.pkg) {
      taken.add(k);
      out.push(ids[k]!);
      left -= nodes[k]!.size;
    }
  }
}

// Small fees and sizes, so that equal package scores (and the tie-breaks) come up.
const nodesArb = fc
  .array(
    fc.record({
      parents: fc.uniqueArray(fc.nat(40), { maxLength: 3 }),
      fee: fc.integer({ min: 1, max: 20 }),
      size: fc.integer({ min: 1, max: 10 }),
      addedAt: fc.integer({ min: 0, max: 3 }),
      held: fc.integer({ min: 0, max: 9 }).map((x) => x === 0), // about one in ten dated after the block
    }),
    { minLength: 1, maxLength: 30 },
  )
  // Parents only among earlier transactions: a DAG, as pending transactions always form.
  .map((raw) => raw.map((n, i) => ({ ...n, parents: n.parents.filter((p) => p < i) })));

describe(`template selection by ancestor score (fast-check seed ${SEED})`, () => {
  it("chooses exactly what the plain quadratic rule chooses, in a valid order", () => {
    fc.assert(
      fc.property(nodesArb, fc.integer({ min: 0, max: 150 }), (nodes, maxBytes) => {
        const entries = nodes.map((n, i) => entryOf(i, n));
        const graph = graphOf(nodes);
        const chosen = selectByAncestorScore(entries, graph, maxBytes, (e) => e.held);
        const ids = chosen.map((e) => e.tx.txid);
        expect(ids).toEqual(reference(nodes, maxBytes));
        // Parents first, within the byte budget, nothing held back or depending on it.
        const at = new Map(ids.map((id, k) => [id, k]));
        for (const [k, id] of ids.entries()) {
          for (const p of graph.parentsOf(id)) expect(at.get(p)).toBeLessThan(k);
          for (const a of [id, ...graph.ancestors(id)])
            expect(entries.find((e) => e.tx.txid === a)!.held).toBe(false);
        }
        expect(chosen.reduce((s, e) => s + e.size, 0)).toBeLessThanOrEqual(maxBytes);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("takes a parent for its child's fee (child pays for parent) before a standalone middle payer", () => {
    const nodes: Node[] = [
      { parents: [], fee: 1, size: 10, addedAt: 0, held: false }, // poor parent
      { parents: [0], fee: 50, size: 10, addedAt: 0, held: false }, // rich child: package 51/20
      { parents: [], fee: 20, size: 10, addedAt: 0, held: false }, // standalone 20/10
    ];
    const chosen = selectByAncestorScore(
      nodes.map((n, i) => entryOf(i, n)),
      graphOf(nodes),
      20,
    );
    expect(chosen.map((e) => e.tx.txid)).toEqual(["t000", "t001"]);
  });

  it("selects a chain where every child pays more than its parent in one pass, parents first", () => {
    const nodes: Node[] = Array.from({ length: 25 }, (_, i) => ({
      parents: i === 0 ? [] : [i - 1],
      fee: 10 + i,
      size: 10,
      addedAt: 0,
      held: false,
    }));
    const chosen = selectByAncestorScore(
      nodes.map((n, i) => entryOf(i, n)),
      graphOf(nodes),
      10_000,
    );
    expect(chosen.map((e) => e.tx.txid)).toEqual(nodes.map((n, i) => entryOf(i, n).tx.txid));
  });
});
