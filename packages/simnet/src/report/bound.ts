import { type Adjacency, adjacencyOf, hopDistances } from "./graph.js";
import { type Distribution, distribution, percentile, sortedAscending } from "./percentiles.js";
import type { PropagationPair } from "./propagation.js";
import { honestNodeIds, type RunRecord, type TopologySnapshot } from "./run-record.js";
import { snapshotAt } from "./topology-snapshot.js";

/** A propagation pair with its shortest path: bound = hops × configured link latency. */
export interface BoundedPair extends PropagationPair {
  hops: number;
  boundMs: number;
}

export interface BoundReport {
  latencyMs: number;
  /** Pairs with a path in the snapshot; only these enter the figures below. */
  pairs: number;
  /** Pairs whose node the miner could not reach in the snapshot (or no snapshot at all). */
  unreachable: number;
  hops: Distribution | null;
  /** Measured p99 over the bounded pairs, the bound's own p99 over the same pairs, and their ratio. */
  measuredP99Ms: number | null;
  boundP99Ms: number | null;
  p99Ratio: number | null;
  /** Per pair delay / (hops × latency). */
  pairRatio: Distribution | null;
}

/**
 * Hops from each block's miner to each node, by breadth-first search in the topology snapshot nearest
 * before the block was mined. Paths run only through honest nodes: attackers are not assumed to
 * relay, so a shortcut through one would make the bound unfairly tight.
 */
export function boundedPairs(record: RunRecord, pairs: readonly PropagationPair[]): BoundedPair[] {
  const honest = honestNodeIds(record);
  const relays = (id: string) => honest.has(id);
  const searched = new Map<
    TopologySnapshot,
    { graph: Adjacency; fromMiner: Map<string, Map<string, number>> }
  >();
  const result: BoundedPair[] = [];
  for (const pair of pairs) {
    const snapshot = snapshotAt(record.topology, pair.minedAt);
    if (snapshot === undefined) continue;
    let search = searched.get(snapshot);
    if (search === undefined) {
      search = { graph: adjacencyOf(snapshot.edges), fromMiner: new Map() };
      searched.set(snapshot, search);
    }
    let fromMiner = search.fromMiner.get(pair.miner);
    if (fromMiner === undefined) {
      fromMiner = hopDistances(search.graph, pair.miner, relays);
      search.fromMiner.set(pair.miner, fromMiner);
    }
    const hops = fromMiner.get(pair.node);
    if (hops === undefined) continue;
    result.push({ ...pair, hops, boundMs: hops * record.config.latencyMs });
  }
  return result;
}

export function boundReport(
  record: RunRecord,
  pairs: readonly PropagationPair[],
  bounded: readonly BoundedPair[] = boundedPairs(record, pairs),
): BoundReport {
  const latencyMs = record.config.latencyMs;
  const measured = sortedAscending(bounded.map((pair) => pair.delayMs));
  const bound = sortedAscending(bounded.map((pair) => pair.boundMs));
  const measuredP99Ms = measured.length > 0 ? percentile(measured, 99) : null;
  const boundP99Ms = bound.length > 0 ? percentile(bound, 99) : null;
  // With zero configured latency the bound is zero and a ratio says nothing.
  const ratiosDefined = latencyMs > 0;
  return {
    latencyMs,
    pairs: bounded.length,
    unreachable: pairs.length - bounded.length,
    hops: distribution(bounded.map((pair) => pair.hops)),
    measuredP99Ms,
    boundP99Ms,
    p99Ratio: ratiosDefined && measuredP99Ms !== null && boundP99Ms ? measuredP99Ms / boundP99Ms : null,
    pairRatio: ratiosDefined ? distribution(bounded.map((pair) => pair.delayMs / pair.boundMs)) : null,
  };
}
