import { describe, expect, it } from "vitest";
import { headLagSeries } from "../src/report/head-lag.js";
import { node, runRecord, T0 } from "./report-fixtures.js";

describe("head lag", () => {
  it("is each honest node's latest height against the highest, at every sample time", () => {
    const tip = (n: string, at: number, height: number) => ({
      node: n,
      at: T0 + at,
      height,
      hash: `h${height}`,
    });
    const record = runRecord({
      nodes: [node("A", "miner"), node("B"), node("C"), node("X", "attacker")],
      tips: [
        tip("A", 0, 5),
        tip("B", 0, 5),
        tip("C", 0, 3),
        tip("X", 500, 99), // an attacker's claim raises no head
        tip("A", 1_000, 6),
        tip("C", 2_000, 6),
        tip("B", 2_000, 6),
      ],
    });
    expect(headLagSeries(record)).toEqual([
      { at: T0, head: 5, maxLag: 2, meanLag: 2 / 3 },
      { at: T0 + 1_000, head: 6, maxLag: 3, meanLag: 4 / 3 },
      { at: T0 + 2_000, head: 6, maxLag: 0, meanLag: 0 },
    ]);
  });

  it("is empty without tip samples", () => {
    expect(headLagSeries(runRecord({ nodes: [node("A")] }))).toEqual([]);
  });
});
