import { describe, expect, it } from "vitest";
import { banReport } from "../src/report/honest-bans.js";
import { node, runRecord, T0 } from "./report-fixtures.js";

describe("honest bans", () => {
  it("lists bans of honest nodes' addresses and counts the rest", () => {
    const ban = (by: string, bannedNode: string | null, reason: string) => ({
      node: by,
      ip: "127.0.9.9",
      bannedNode,
      at: T0,
      reason,
    });
    const record = runRecord({
      nodes: [node("A", "miner"), node("B"), node("X", "attacker")],
      bans: [
        ban("A", "X", "junk announcements"),
        ban("B", "A", "35 block announcements"),
        ban("A", null, "bad handshake"),
      ],
    });
    const report = banReport(record);
    expect(report.total).toBe(3);
    expect(report.unattributed).toBe(1);
    expect(report.honest).toEqual([ban("B", "A", "35 block announcements")]);
  });

  it("is zero without bans", () => {
    expect(banReport(runRecord({ nodes: [node("A", "miner")] }))).toEqual({
      total: 0,
      honest: [],
      unattributed: 0,
    });
  });
});
