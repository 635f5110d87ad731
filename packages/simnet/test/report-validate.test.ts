import { describe, expect, it } from "vitest";
import { assertRunRecord, InvalidRunRecordError } from "../src/report/validate-run-record.js";
import { lineRecord } from "./report-fixtures.js";

/** A deep copy with one change, so each case starts from a valid record. */
function broken(change: (record: Record<string, unknown> & ReturnType<typeof lineRecord>) => void): unknown {
  const record = structuredClone(lineRecord()) as Record<string, unknown> & ReturnType<typeof lineRecord>;
  change(record);
  return record;
}

describe("run record validation", () => {
  it("accepts a well-formed record", () => {
    expect(() => assertRunRecord(lineRecord())).not.toThrow();
    const withEclipse = { ...lineRecord(), eclipse: { victim: "B", samples: [{ at: 1, honestPeers: 2 }] } };
    expect(() => assertRunRecord(withEclipse)).not.toThrow();
  });

  it.each([
    ["not an object", () => 42, "record must be an object"],
    [
      "a missing list",
      () => broken((r) => Reflect.deleteProperty(r, "tips")),
      "record.tips must be an array",
    ],
    [
      "a non-finite time",
      () => broken((r) => (r.arrivals[1] = { node: "B", hash: "b1", at: Number.NaN })),
      "record.arrivals[1].at must be a finite number",
    ],
    [
      "an unknown role",
      () => broken((r) => Object.assign(r.nodes[0] as object, { role: "boss" })),
      "record.nodes[0].role must be one of miner, follower, attacker",
    ],
    [
      "a one-ended edge",
      () => broken((r) => (r.topology[1]!.edges as unknown[]).push(["A"])),
      "record.topology[1].edges[5] must be a pair of node ids",
    ],
    [
      "a negative bandwidth",
      () => broken((r) => (r.config.bandwidthBytesPerSec = -1)),
      "record.config.bandwidthBytesPerSec must be a finite number >= 0",
    ],
    [
      "a duplicate node id",
      () => broken((r) => r.nodes.push({ ...(r.nodes[1] as (typeof r.nodes)[number]) })),
      "record.nodes[5].id must be unique (B appears twice)",
    ],
    [
      "an arrival at an unknown node",
      () => broken((r) => r.arrivals.push({ node: "Z", hash: "b1", at: 1 })),
      "record.arrivals[5].node must be the id of a node in record.nodes (got Z)",
    ],
    [
      "a ban of an unknown node",
      () => broken((r) => r.bans.push({ node: "A", ip: "127.0.0.9", bannedNode: "Q", at: 1, reason: "x" })),
      "record.bans[0].bannedNode must be the id of a node in record.nodes (got Q)",
    ],
  ])("refuses %s with an error naming the field", (_, make, message) => {
    const value = make();
    expect(() => assertRunRecord(value)).toThrow(InvalidRunRecordError);
    expect(() => assertRunRecord(value)).toThrow(`invalid run record: ${message}`);
  });
});
