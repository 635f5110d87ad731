import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { InvalidRunRecordError } from "../src/report/validate-run-record.js";
import { writeReport } from "../src/report/write-report.js";
import { lineRecord, node, syntheticRecord, T0 } from "./report-fixtures.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "simnet-report-"));
  dirs.push(dir);
  return dir;
}

/**
 * Well-formed XML as far as an SVG needs: one root <svg>, every tag closed in order, no stray "<".
 * Enough to catch a truncated or broken render without an XML parser dependency.
 */
function expectWellFormedSvg(text: string): void {
  expect(text.startsWith("<svg")).toBe(true);
  const open: string[] = [];
  let roots = 0;
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/gy;
  let index = 0;
  while (index < text.length) {
    const next = text.indexOf("<", index);
    if (next === -1) break;
    tag.lastIndex = next;
    const match = tag.exec(text);
    expect(match, `malformed tag at ${next}: ${text.slice(next, next + 60)}`).not.toBeNull();
    if (match === null) return;
    const [, closing, name, , selfClosing] = match;
    if (closing) expect(open.pop()).toBe(name);
    else if (!selfClosing) {
      if (open.length === 0) roots++;
      open.push(name as string);
    } else if (open.length === 0) roots++;
    index = tag.lastIndex;
  }
  expect(open).toEqual([]);
  expect(roots).toBe(1);
}

/** Three runs like the 10/25/50-node points, one with a partition healed and an eclipse. */
function records() {
  const runs = [10, 25, 50].map((nodes, i) =>
    syntheticRecord({
      seed: 20 + i,
      nodes,
      degree: Math.min(16, nodes - 1),
      blocks: 5,
      latencyMs: 50,
      perHopCostMs: 25,
    }),
  );
  const partitioned = runs[0]!;
  partitioned.scenario = "partition";
  partitioned.events.push({ at: T0 + 2_000, kind: "partition" }, { at: T0 + 4_000, kind: "heal" });
  partitioned.nodes.push(node("X", "attacker"));
  partitioned.eclipse = { victim: "n3", samples: [{ at: T0 + 5_000, honestPeers: 2 }] };
  partitioned.events.push({ at: T0 + 4_500, kind: "attack-start", detail: "eclipse" });
  partitioned.bans.push({ node: "n1", ip: "127.0.88.1", bannedNode: "X", at: T0 + 6_000, reason: "junk" });
  return runs;
}

describe("writeReport", () => {
  it("writes report.json, report.md and well-formed SVG plots, and returns the summary", async () => {
    const dir = await tempDir();
    const summary = await writeReport(records(), dir, { modelSeed: 3, scaleNodes: [1_000] });
    const files = (await readdir(dir)).sort();
    expect(files).toEqual([
      "degree-histogram.svg",
      "head-lag-partition-10n.svg",
      "head-lag-synthetic-25n.svg",
      "head-lag-synthetic-50n.svg",
      "propagation-cdf.svg",
      "report.json",
      "report.md",
      "tip-height-partition-10n.svg",
      "tip-height-synthetic-25n.svg",
      "tip-height-synthetic-50n.svg",
    ]);

    const json = JSON.parse(await readFile(join(dir, "report.json"), "utf8"));
    expect(json).toEqual(JSON.parse(JSON.stringify(summary)));
    expect(summary.runs.map((run) => run.label)).toEqual(["partition-10n", "synthetic-25n", "synthetic-50n"]);
    expect(summary.model?.fit.perHopCostMs).toBeCloseTo(25, 9);
    const partition = summary.runs[0]!;
    expect(partition.goals.map((goal) => [goal.name, goal.status])).toEqual([
      // Every delay is hops × 75 ms against a bound of hops × 50 ms.
      ["propagation p99 within the latency bound", "met"],
      ["no honest peer banned", "met"],
      ["eclipse victim keeps an honest peer", "met"],
      ["mean block interval near target (paced miners)", "met"],
      ["every heal ends in agreement", "met"],
    ]);
    expect(partition.bound.p99Ratio).toBeCloseTo(1.5, 9);

    for (const svg of files.filter((file) => file.endsWith(".svg"))) {
      expectWellFormedSvg(await readFile(join(dir, svg), "utf8"));
    }
    const cdf = await readFile(join(dir, "propagation-cdf.svg"), "utf8");
    expect(cdf).toContain("mark-line");
    expect(cdf).toContain("delay after the miner accepted the block (ms)");
    for (const run of summary.runs) expect(cdf).toContain(run.label);

    const markdown = await readFile(join(dir, "report.md"), "utf8");
    expect(markdown).toContain("# Astram network simulator report");
    expect(markdown).toContain(
      "| partition-10n | propagation p99 within the latency bound | p99 <= 1.5x bound p99 | 1.50x | met |",
    );
    expect(markdown).toContain("![propagation CDF](propagation-cdf.svg)");
    expect(markdown).toContain(
      "![tip height, synthetic-50n](tip-height-synthetic-50n.svg)\n\n![head lag, synthetic-50n](head-lag-synthetic-50n.svg)",
    );
    expect(markdown).toContain("**This section is a model, not a measurement.**");
    expect(markdown).toContain("No honest node was banned.");
  });

  it("marks goals not met and lists honest bans", async () => {
    const record = lineRecord();
    record.bans.push({
      node: "B",
      ip: "127.0.65.1",
      bannedNode: "A",
      at: T0,
      reason: "35 block announcements in a minute",
    });
    record.eclipse = { victim: "B", samples: [{ at: T0, honestPeers: 0 }] };
    const dir = await tempDir();
    const summary = await writeReport([record], dir);
    expect(summary.runs[0]?.goals.map((goal) => goal.status)).toEqual([
      "not met", // p99 1.6x the bound
      "not met",
      "not met",
      "not measured", // no tip samples: no best chain
      "not measured", // no heal
    ]);
    const markdown = await readFile(join(dir, "report.md"), "utf8");
    expect(markdown).toContain(
      "| hand-built-4n | 0.0 s | B | 127.0.65.1 | A | 35 block announcements in a minute |",
    );
    // A run without tip samples gets no tip-height plot.
    expect((await readdir(dir)).filter((file) => /^(tip-height|head-lag)-/.test(file))).toEqual([]);
  });

  it("refuses bad input and writes nothing", async () => {
    const dir = join(await tempDir(), "out");
    const bad = lineRecord();
    bad.arrivals.push({ node: "nobody", hash: "b1", at: T0 });
    await expect(writeReport([lineRecord(), bad], dir)).rejects.toThrow(InvalidRunRecordError);
    await expect(writeReport([lineRecord(), bad], dir)).rejects.toThrow("records[1].arrivals[5].node");
    await expect(writeReport([], dir)).rejects.toThrow(/at least one run record/);
    expect(existsSync(dir)).toBe(false);
  });
});
