import { describe, expect, it } from "vitest";
import { eclipseReport } from "../src/report/eclipse.js";
import { node, runRecord, T0 } from "./report-fixtures.js";

const nodes = [node("V"), node("A", "miner"), node("X", "attacker")];
const samples = (...counts: [number, number][]) =>
  counts.map(([at, honestPeers]) => ({ at: T0 + at, honestPeers }));

describe("eclipse", () => {
  it("takes the fewest honest peers from the attack's start on", () => {
    const record = runRecord({
      nodes,
      events: [{ at: T0 + 1_000, kind: "attack-start", detail: "eclipse" }],
      // Before the attack the victim had no honest peer yet (still connecting): that does not count.
      eclipse: { victim: "V", samples: samples([0, 0], [1_000, 6], [2_000, 2], [3_000, 4]) },
    });
    expect(eclipseReport(record)).toEqual({
      victim: "V",
      attackStartedAt: T0 + 1_000,
      samples: 3,
      minHonestPeers: 2,
      keptHonestPeer: true,
    });
  });

  it("fails the goal when the victim had no honest peer at some point", () => {
    const record = runRecord({
      nodes,
      eclipse: { victim: "V", samples: samples([5_000, 3], [4_000, 0]) },
    });
    expect(eclipseReport(record)).toMatchObject({
      attackStartedAt: T0 + 4_000,
      minHonestPeers: 0,
      keptHonestPeer: false,
    });
  });

  it("is unmeasured without samples after the start, and absent without an eclipse", () => {
    const record = runRecord({ nodes, events: [{ at: T0 + 9_000, kind: "attack-start" }] });
    expect(eclipseReport(record)).toBeNull();
    record.eclipse = { victim: "V", samples: samples([1_000, 3]) };
    expect(eclipseReport(record)).toMatchObject({ samples: 0, minHonestPeers: null, keptHonestPeer: null });
  });
});
