import type { TopologySnapshot } from "./run-record.js";

/**
 * The connection graph as it stood at time `at`: the latest snapshot taken at or before it, or, when
 * `at` precedes every snapshot, the first one (the nearest picture there is). Undefined only when
 * there are no snapshots.
 */
export function snapshotAt(topology: readonly TopologySnapshot[], at: number): TopologySnapshot | undefined {
  let before: TopologySnapshot | undefined;
  let first: TopologySnapshot | undefined;
  for (const snapshot of topology) {
    if (first === undefined || snapshot.at < first.at) first = snapshot;
    if (snapshot.at <= at && (before === undefined || snapshot.at > before.at)) before = snapshot;
  }
  return before ?? first;
}

/** The last snapshot of the run: the topology the peer rules settled on. */
export function lastSnapshot(topology: readonly TopologySnapshot[]): TopologySnapshot | undefined {
  return snapshotAt(topology, Number.POSITIVE_INFINITY);
}
