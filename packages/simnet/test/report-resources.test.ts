import { describe, expect, it } from "vitest";
import { resourceReport } from "../src/report/resources.js";
import { node, runRecord, T0 } from "./report-fixtures.js";

const MiB = 1024 * 1024;

describe("resources", () => {
  it("summarizes RSS p50/max (MiB) and mean CPU per node, then across nodes", () => {
    const sample = (n: string, rssMiB: number, cpuPercent: number) => ({
      node: n,
      at: T0,
      rssBytes: rssMiB * MiB,
      cpuPercent,
    });
    const record = runRecord({
      nodes: [node("A", "miner"), node("B")],
      resources: [
        sample("B", 60, 2),
        sample("A", 100, 50),
        sample("A", 120, 70),
        sample("A", 110, 90),
        sample("B", 80, 4),
      ],
    });
    const report = resourceReport(record);
    expect(report.perNode).toEqual([
      { node: "A", role: "miner", samples: 3, rssP50MiB: 110, rssMaxMiB: 120, cpuMeanPercent: 70 },
      { node: "B", role: "follower", samples: 2, rssP50MiB: 60, rssMaxMiB: 80, cpuMeanPercent: 3 },
    ]);
    expect(report).toMatchObject({
      rssP50MiBMedian: 60,
      rssP50MiBMax: 110,
      rssMaxMiB: 120,
      cpuMeanPercentMean: 36.5,
      cpuMeanPercentMax: 70,
    });
  });

  it("has no figures without samples", () => {
    expect(resourceReport(runRecord({ nodes: [node("A")] }))).toEqual({
      perNode: [],
      rssP50MiBMedian: null,
      rssP50MiBMax: null,
      rssMaxMiB: null,
      cpuMeanPercentMean: null,
      cpuMeanPercentMax: null,
    });
  });
});
