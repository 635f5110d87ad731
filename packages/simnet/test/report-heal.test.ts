import { describe, expect, it } from "vitest";
import { healReports } from "../src/report/heal-time.js";
import { node, runRecord, T0 } from "./report-fixtures.js";

const tip = (n: string, at: number, hash: string) => ({ node: n, at: T0 + at, height: 1, hash });
const nodes = [node("A", "miner"), node("B", "miner"), node("C"), node("X", "attacker")];

describe("heal time", () => {
  it("is the first sample time from the heal on when every honest node's latest tip agrees", () => {
    const record = runRecord({
      nodes,
      events: [
        { at: T0 + 5_000, kind: "partition" },
        { at: T0 + 10_000, kind: "heal", detail: "halves rejoin" },
        { at: T0 + 14_000, kind: "heal" },
        { at: T0 + 20_000, kind: "heal" },
      ],
      tips: [
        tip("A", 9_000, "h1"),
        tip("B", 9_000, "h2"),
        tip("C", 9_500, "h1"),
        tip("A", 11_000, "t5"),
        tip("B", 11_000, "t5"),
        tip("X", 11_500, "junk"), // an attacker's tip never blocks agreement
        tip("C", 12_000, "t5"),
        tip("A", 13_000, "t6"),
        tip("B", 13_000, "t6"),
        tip("C", 13_000, "t6"),
        tip("A", 19_000, "t7"),
      ],
    });
    expect(healReports(record)).toEqual([
      {
        healAt: T0 + 10_000,
        detail: "halves rejoin",
        agreedAt: T0 + 12_000,
        healTimeMs: 2_000,
        agreedHash: "t5",
      },
      // Already agreeing at the heal.
      { healAt: T0 + 14_000, agreedAt: T0 + 14_000, healTimeMs: 0, agreedHash: "t6" },
      // A moved on to t7 and the others never reported it.
      { healAt: T0 + 20_000, agreedAt: null, healTimeMs: null, agreedHash: null },
    ]);
  });

  it("judges agreement only after every sample of one instant", () => {
    const record = runRecord({
      nodes,
      events: [{ at: T0 + 1_000, kind: "heal" }],
      tips: [
        tip("A", 0, "h1"),
        tip("B", 0, "h2"),
        tip("C", 0, "h1"),
        tip("B", 2_000, "h1"), // for an instant all on h1 ...
        tip("A", 2_000, "h3"), // ... but A moved on in the same sample round
        tip("B", 3_000, "h3"),
        tip("C", 3_000, "h3"),
      ],
    });
    expect(healReports(record)).toMatchObject([
      { agreedAt: T0 + 3_000, healTimeMs: 2_000, agreedHash: "h3" },
    ]);
  });

  it("is empty for a run without heal events", () => {
    expect(healReports(runRecord({ nodes, tips: [tip("A", 0, "h")] }))).toEqual([]);
  });
});
