import { describe, expect, it } from "vitest";
import { boundedPairs, boundReport } from "../src/report/bound.js";
import { adjacencyOf, hopDistances } from "../src/report/graph.js";
import { propagationPairs } from "../src/report/propagation.js";
import { snapshotAt } from "../src/report/topology-snapshot.js";
import { lineRecord, T0 } from "./report-fixtures.js";

describe("latency bound", () => {
  it("uses the snapshot nearest before the block, and paths through honest nodes only", () => {
    const record = lineRecord();
    const bounded = boundedPairs(record, propagationPairs(record));
    // The attacker's shortcut A-X-D does not count, nor do the snapshots before and after.
    expect(bounded.map((pair) => [pair.node, pair.hops, pair.boundMs])).toEqual([
      ["B", 1, 100],
      ["C", 2, 200],
      ["D", 3, 300],
    ]);
  });

  it("reports measured p99 over bound p99 and the per-pair ratio distribution", () => {
    const record = lineRecord();
    const report = boundReport(record, propagationPairs(record));
    expect(report).toMatchObject({
      latencyMs: 100,
      pairs: 3,
      unreachable: 0,
      measuredP99Ms: 480,
      boundP99Ms: 300,
    });
    expect(report.p99Ratio).toBeCloseTo(1.6, 12);
    expect(report.pairRatio?.p50).toBeCloseTo(1.6, 12);
    expect(report.pairRatio?.max).toBeCloseTo(1.65, 12);
    expect(report.hops).toMatchObject({ p50: 2, max: 3, mean: 2 });
  });

  it("counts nodes the miner cannot reach and gives no ratio at zero latency", () => {
    const record = lineRecord();
    record.topology = [{ at: T0, edges: [["A", "B"]] }];
    record.config.latencyMs = 0;
    const report = boundReport(record, propagationPairs(record));
    expect(report).toMatchObject({ pairs: 1, unreachable: 2, p99Ratio: null, pairRatio: null });
  });

  it("picks the first snapshot for a time before all of them, and none from an empty list", () => {
    const snapshots = lineRecord().topology;
    expect(snapshotAt(snapshots, T0 - 1)?.at).toBe(T0);
    expect(snapshotAt(snapshots, T0 + 1999)?.at).toBe(T0 + 500);
    expect(snapshotAt(snapshots, T0 + 2000)?.at).toBe(T0 + 2000);
    expect(snapshotAt([], T0)).toBeUndefined();
  });

  it("breadth-first search finds shortest hops in a graph with cycles", () => {
    const graph = adjacencyOf([
      ["a", "b"],
      ["b", "c"],
      ["c", "d"],
      ["d", "e"],
      ["a", "e"],
      ["e", "e"],
    ]);
    expect(Object.fromEntries(hopDistances(graph, "a"))).toEqual({ a: 0, b: 1, e: 1, c: 2, d: 2 });
    expect(hopDistances(graph, "a", (id) => id !== "e").get("d")).toBe(3);
  });
});
