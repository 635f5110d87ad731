import { BinaryHeap } from "./binary-heap.js";
import type { TxGraph } from "./tx-graph.js";

/** What template selection needs to know about a pending transaction. */
export interface SelectableEntry {
  readonly tx: { readonly txid: string };
  readonly size: number;
  readonly fee: bigint;
  /** Earlier first among equal scores, then txid: the order is deterministic. */
  readonly addedAt: number;
}

/** A transaction with its ancestors not yet in the block, as it stood when it was pushed. */
interface Candidate<T> {
  readonly entry: T;
  readonly fee: bigint;
  readonly size: number;
  /** fee / size as a float: rates that differ by less than its precision (1e-16) count as equal. */
  readonly score: number;
}

function candidate<T extends SelectableEntry>(entry: T, fee: bigint, size: number): Candidate<T> {
  return { entry, fee, size, score: Number(fee) / size };
}

/** Higher package fee rate first, then the earlier transaction, then the smaller txid. */
function before<T extends SelectableEntry>(a: Candidate<T>, b: Candidate<T>): boolean {
  if (a.score !== b.score) return a.score > b.score;
  if (a.entry.addedAt !== b.entry.addedAt) return a.entry.addedAt < b.entry.addedAt;
  return a.entry.tx.txid < b.entry.tx.txid;
}

/**
 * Bitcoin Core's ancestor-score selection. Each pending transaction is scored by the fee rate of
 * its package: itself plus its ancestors not yet chosen. The best package goes in whole (ancestors
 * first), and every descendant of what went in is re-scored without it and pushed again (an entry
 * that was re-scored since it was pushed is stale when popped). A package that does not fit in the bytes left is
 * passed over until an ancestor goes in and shrinks it. With ancestors and descendants bounded by
 * the mempool limits this is O(n log n); a child that pays for its parent lifts both.
 *
 * `heldBack` transactions (dated after the block) and all their descendants are left out.
 */
export function selectByAncestorScore<T extends SelectableEntry>(
  entries: Iterable<T>,
  graph: TxGraph,
  maxBytes: number,
  heldBack: (entry: T) => boolean = () => false,
): T[] {
  const byId = new Map<string, T>();
  for (const e of entries) byId.set(e.tx.txid, e);
  const held = new Set<string>();
  for (const [id, e] of byId) {
    if (!heldBack(e) || held.has(id)) continue;
    held.add(id);
    for (const d of graph.descendants(id)) held.add(d);
  }

  const current = new Map<string, Candidate<T>>();
  /** Total ancestor count: a parent always has fewer than its child, so it orders a package (then txid). */
  const depth = new Map<string, number>();
  const heap = new BinaryHeap<Candidate<T>>(before);
  for (const [id, e] of byId) {
    if (held.has(id)) continue;
    const ancestors = graph.ancestors(id);
    let fee = e.fee;
    let size = e.size;
    for (const a of ancestors) {
      const ae = byId.get(a)!;
      fee += ae.fee;
      size += ae.size;
    }
    const c = candidate(e, fee, size);
    current.set(id, c);
    depth.set(id, ancestors.size);
    heap.push(c);
  }

  const chosen: T[] = [];
  const included = new Set<string>();
  let left = maxBytes;
  let smallest = Number.POSITIVE_INFINITY;
  for (const c of current.values()) smallest = Math.min(smallest, c.entry.size);
  // Once not even the smallest transaction fits, nothing else can.
  for (let c = heap.pop(); c && left >= smallest; c = heap.pop()) {
    const id = c.entry.tx.txid;
    if (included.has(id) || current.get(id) !== c || c.size > left) continue;
    const pkg = [id, ...[...graph.ancestors(id)].filter((a) => !included.has(a))];
    pkg.sort((x, y) => depth.get(x)! - depth.get(y)! || (x < y ? -1 : 1));
    for (const t of pkg) included.add(t);
    for (const t of pkg) {
      const e = byId.get(t)!;
      chosen.push(e);
      left -= e.size;
      // Descendants outside the package are re-scored without `t` (those inside go in with it).
      for (const d of graph.descendants(t)) {
        const old = current.get(d);
        if (!old || included.has(d)) continue;
        const next = candidate(old.entry, old.fee - e.fee, old.size - e.size);
        current.set(d, next);
        heap.push(next);
      }
    }
  }
  return chosen;
}
