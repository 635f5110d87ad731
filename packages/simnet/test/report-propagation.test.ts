import { describe, expect, it } from "vitest";
import { propagationPairs, propagationReport } from "../src/report/propagation.js";
import { lineRecord, node, runRecord, T0 } from "./report-fixtures.js";

describe("propagation delays", () => {
  it("measures every honest node other than the miner, from the miner's acceptance", () => {
    const pairs = propagationPairs(lineRecord());
    expect(pairs.map((pair) => [pair.node, pair.delayMs])).toEqual([
      ["B", 150],
      ["C", 330],
      ["D", 480],
    ]);
    const report = propagationReport(lineRecord());
    expect(report.all).toEqual({ count: 3, mean: 320, p50: 330, p90: 480, p99: 480, max: 480 });
    expect(report.perBlock).toEqual([
      { hash: "b1", height: 1, miner: "A", reached: 3, of: 3, delay: report.all },
    ]);
  });

  it("keeps a node's first acceptance, skips blocks of unknown origin and counts nodes not reached", () => {
    const record = runRecord({
      nodes: [node("A", "miner"), node("B"), node("C"), node("D")],
      blocks: [
        { hash: "b1", height: 1, parent: "g", miner: "A", minedAt: T0 },
        { hash: "b2", height: 2, parent: "b1", miner: null, minedAt: T0 + 10 },
        { hash: "b3", height: 2, parent: "b1", miner: "B", minedAt: Number.NaN },
      ],
      arrivals: [
        { node: "B", hash: "b1", at: T0 + 900 },
        { node: "B", hash: "b1", at: T0 + 200 }, // a reorg back onto b1 later is not its first arrival
        { node: "C", hash: "b1", at: T0 + 400 },
        { node: "C", hash: "b2", at: T0 + 20 },
        { node: "C", hash: "b3", at: T0 + 30 },
      ],
    });
    const report = propagationReport(record);
    expect(report.blocksWithoutOrigin).toBe(2);
    expect(report.perBlock).toHaveLength(1);
    expect(report.perBlock[0]).toMatchObject({ hash: "b1", reached: 2, of: 3 });
    expect(report.all).toMatchObject({ count: 2, p50: 200, max: 400 });
  });

  it("has no figures for a run without blocks", () => {
    const report = propagationReport(runRecord({ nodes: [node("A", "miner")] }));
    expect(report).toEqual({ all: null, perBlock: [], blocksWithoutOrigin: 0 });
  });
});
