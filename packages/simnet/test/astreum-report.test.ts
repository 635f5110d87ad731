import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { astreumFigures } from "../src/astreum/figures.js";
import type { AstreumRunRecord, HeadEvent } from "../src/astreum/run-record.js";
import { writeAstreumReport } from "../src/astreum/write-report.js";

const T = 1_000_000;
const head = (node: string, sec: number, height: number, how = "verified"): HeadEvent => ({
  node,
  at: T + sec * 1000,
  height,
  hash: `h${height}`,
  how,
});

/** A hand-made run: v00 validates, n01 follows, n02 joins late during a flood, v00 restarts. */
function record(restartKey: string): AstreumRunRecord {
  return {
    scenario: "made",
    config: {
      nodes: 3,
      latencyMs: 20,
      jitterMs: 10,
      lossRate: 0,
      seed: 1,
      verifyIntervalSec: 2,
      floodRate: 100,
    },
    startedAt: T,
    endedAt: T + 30_000,
    nodes: [
      {
        id: "v00",
        role: "validator",
        host: "127.40.0.1",
        lateJoiner: false,
        starts: [
          { at: T, listeningAt: T + 100, relayKey: "k0" },
          { at: T + 20_000, listeningAt: T + 20_100, relayKey: restartKey },
        ],
        kills: [T + 18_000],
      },
      {
        id: "n01",
        role: "verifier",
        host: "127.41.0.1",
        lateJoiner: false,
        starts: [{ at: T, listeningAt: T, relayKey: "k1" }],
        kills: [],
      },
      {
        id: "n02",
        role: "verifier",
        host: "127.42.0.1",
        lateJoiner: true,
        starts: [{ at: T + 10_000, listeningAt: T + 10_000, relayKey: "k2" }],
        kills: [],
      },
    ],
    heads: [
      head("v00", 0, 0, "genesis"),
      head("v00", 5, 1, "produced"),
      head("v00", 9, 2, "produced"),
      head("v00", 24, 3, "produced"),
      head("n01", 1, 0),
      head("n01", 6, 1),
      head("n01", 10, 2),
      head("n01", 27, 3),
      head("n02", 13, 2), // adopts the head of its start (2) after 3 s
      head("n02", 25, 3),
    ],
    peers: [
      { node: "n01", at: T + 11_000, kind: "peer", key: "fake1", host: "127.66.0.1", port: 5000 },
      { node: "n02", at: T + 11_000, kind: "peer", key: "fake1", host: "127.66.0.1", port: 5000 },
      { node: "n01", at: T + 12_000, kind: "peer_removed", key: "k2", host: "127.42.0.1", port: 6000 },
      { node: "n01", at: T + 12_000, kind: "peer", key: "k2", host: "127.42.0.1", port: 6000 },
    ],
    events: [
      { at: T + 2_000, kind: "network-up" },
      { at: T + 10_000, kind: "flood-start" },
      { at: T + 15_000, kind: "flood-stop" },
    ],
    flood: { sent: 500, sources: ["127.66.0.1"] },
  };
}

describe("astreum simnet figures", () => {
  it("counts fake peers, displaced honest peers, late joiners' adoption and restart follow time", () => {
    const f = astreumFigures(record("k0"));
    expect(f.fakePeersAdmitted).toBe(2);
    expect(f.honestPeersDisplaced).toBe(1);
    expect(f.lateJoiners).toEqual([{ node: "n02", adoptionSec: 3, withinTwoIntervals: true }]);
    expect(f.restarts).toEqual([{ node: "v00", keyKept: true, firstBlockSec: 4, allFollowSec: 7 }]);
    expect(f.finalAllOnHead).toBe(true);
    expect(f.validatorHeight).toBe(3);
    expect(f.headLag.max).toBe(1); // n01 at 1 while v00 is at 2 (9–10 s)
  });

  it("sees a restart under a new key", () => {
    expect(astreumFigures(record("other")).restarts[0]!.keyKept).toBe(false);
  });

  it("writes report.json, report.md, the SVG and the record", async () => {
    const dir = mkdtempSync(join(tmpdir(), "astreum-report-"));
    try {
      const [f] = await writeAstreumReport([record("k0")], dir);
      expect(JSON.parse(readFileSync(join(dir, "report.json"), "utf8"))[0].fakePeersAdmitted).toBe(
        f!.fakePeersAdmitted,
      );
      expect(readFileSync(join(dir, "report.md"), "utf8")).toContain("| fake peers admitted | 2 | 0 |");
      expect(readFileSync(join(dir, "head-lag-made.svg"), "utf8")).toMatch(/^<svg/);
      expect(existsSync(join(dir, "records", "made.json"))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
