import { adjacencyOf, meanDegree } from "./graph.js";
import { honestNodeIds, type RunRecord } from "./run-record.js";
import { lastSnapshot, snapshotAt } from "./topology-snapshot.js";

export interface TopologyReport {
  snapshots: number;
  /** Mean number of honest peers of an honest node in the last snapshot. */
  lastMeanDegree: number | null;
  /** The same, averaged over the snapshots each block was propagated over (one term per block). */
  meanDegreeAtBlocks: number | null;
  /** Honest nodes by their number of honest peers in the last snapshot (index = degree). */
  lastDegreeHistogram: number[];
}

/** Degrees in the honest part of the connection graph: the part that relays blocks. */
export function topologyReport(record: RunRecord): TopologyReport {
  const honest = honestNodeIds(record);
  const honestGraph = (edges: [string, string][]) => adjacencyOf(edges, (id) => honest.has(id));
  const last = lastSnapshot(record.topology);
  const lastGraph = last === undefined ? undefined : honestGraph(last.edges);
  const histogram: number[] = [];
  if (lastGraph !== undefined) {
    for (const node of honest) {
      const degree = lastGraph.get(node)?.size ?? 0;
      histogram[degree] = (histogram[degree] ?? 0) + 1;
    }
  }
  const degreeBySnapshot = new Map<RunRecord["topology"][number], number | null>();
  let sum = 0;
  let blocks = 0;
  for (const block of record.blocks) {
    if (block.miner === null || !Number.isFinite(block.minedAt)) continue;
    const snapshot = snapshotAt(record.topology, block.minedAt);
    if (snapshot === undefined) continue;
    if (!degreeBySnapshot.has(snapshot))
      degreeBySnapshot.set(snapshot, meanDegree(honestGraph(snapshot.edges), honest));
    const degree = degreeBySnapshot.get(snapshot);
    if (degree === null || degree === undefined) continue;
    sum += degree;
    blocks++;
  }
  return {
    snapshots: record.topology.length,
    lastMeanDegree: lastGraph === undefined ? null : meanDegree(lastGraph, honest),
    meanDegreeAtBlocks: blocks === 0 ? null : sum / blocks,
    lastDegreeHistogram: Array.from(histogram, (count) => count ?? 0),
  };
}
