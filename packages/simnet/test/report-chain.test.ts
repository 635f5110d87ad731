import { describe, expect, it } from "vitest";
import { finalTip } from "../src/report/best-chain.js";
import { intervalReport } from "../src/report/block-interval.js";
import { staleReport } from "../src/report/stale-rate.js";
import { node, runRecord, T0 } from "./report-fixtures.js";

/**
 * g ← a1 ← a2 ← a3 ← a4 (best) and a2 ← s3 (stale), plus an orphan o5 whose parent nobody reported.
 * Honest A, B, C end on a4; D ends on s3; the attacker X's tip does not vote.
 */
function forkRecord() {
  const block = (hash: string, height: number, parent: string, minedAt: number) => ({
    hash,
    height,
    parent,
    miner: "A",
    minedAt: T0 + minedAt,
  });
  return runRecord({
    nodes: [node("A", "miner"), node("B"), node("C"), node("D"), node("X", "attacker")],
    blocks: [
      block("a1", 1, "g", 0),
      block("a2", 2, "a1", 9_000),
      block("s3", 3, "a2", 20_000),
      block("a3", 3, "a2", 21_000),
      block("a4", 4, "a3", 33_000),
      block("o5", 5, "unknown", 40_000),
    ],
    tips: [
      { node: "A", at: T0 + 50_000, height: 4, hash: "a4" },
      { node: "B", at: T0 + 10_000, height: 2, hash: "a2" },
      { node: "B", at: T0 + 50_000, height: 4, hash: "a4" },
      { node: "C", at: T0 + 50_000, height: 4, hash: "a4" },
      { node: "D", at: T0 + 50_000, height: 3, hash: "s3" },
      { node: "X", at: T0 + 50_000, height: 5, hash: "o5" },
      { node: "X", at: T0 + 50_001, height: 5, hash: "o5" },
    ],
  });
}

describe("final best chain, stale rate and block interval", () => {
  it("the final tip is the one most honest nodes end on", () => {
    expect(finalTip(forkRecord())).toEqual({ hash: "a4", height: 4, nodes: 3, of: 4 });
  });

  it("stale = blocks not on the chain back from the final tip, over all blocks", () => {
    expect(staleReport(forkRecord())).toMatchObject({ blocks: 6, onBestChain: 4, stale: 2, rate: 2 / 6 });
  });

  it("mean interval over the best chain from mining times, and its ratio to the target", () => {
    const report = intervalReport(forkRecord());
    expect(report.blocks).toBe(4);
    expect(report.meanSec).toBeCloseTo(11, 12); // (33 s − 0 s) / 3 intervals
    expect(report.ratio).toBeCloseTo(1.1, 12);
  });

  it("breaks a tie between final tips toward the higher one", () => {
    const record = forkRecord();
    record.tips = [
      { node: "A", at: T0, height: 3, hash: "s3" },
      { node: "B", at: T0, height: 4, hash: "a4" },
    ];
    expect(finalTip(record)?.hash).toBe("a4");
  });

  it("has no rate or interval without blocks or samples", () => {
    const empty = runRecord({ nodes: [node("A", "miner")] });
    expect(staleReport(empty)).toEqual({ finalTip: null, blocks: 0, onBestChain: 0, stale: 0, rate: null });
    expect(intervalReport(empty)).toEqual({ blocks: 0, meanSec: null, targetSec: 10, ratio: null });
  });

  it("refuses a record whose parent links loop", () => {
    const record = forkRecord();
    record.blocks.push({ hash: "l1", height: 9, parent: "l2", miner: null, minedAt: T0 });
    record.blocks.push({ hash: "l2", height: 9, parent: "l1", miner: null, minedAt: T0 });
    record.tips = [{ node: "A", at: T0, height: 9, hash: "l1" }];
    expect(() => staleReport(record)).toThrow(/parent cycle/);
  });
});
