import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderSvg } from "../report/plots/render-svg.js";
import { type AstreumFigures, astreumFigures } from "./figures.js";
import { astreumHeadLagSpec } from "./head-lag-plot.js";
import type { AstreumRunRecord } from "./run-record.js";

const pct = (x: number | null) => (x === null ? "–" : `${(x * 100).toFixed(0)}%`);
const sec = (x: number | null) => (x === null ? "never" : `${x.toFixed(1)} s`);

/** The Markdown summary of some runs' figures. */
export function astreumMarkdown(all: readonly AstreumFigures[]): string {
  const lines = ["# Astreum network simulation", ""];
  for (const f of all) {
    lines.push(
      `## ${f.scenario} (${f.nodes} nodes, ${f.durationSec.toFixed(0)} s, verification interval ${f.verifyIntervalSec} s)`,
      "",
      "| Figure | Value | Goal |",
      "| --- | --- | --- |",
      `| validator height at the end | ${f.validatorHeight} | |`,
      `| every honest node on the validator's head at the end | ${f.finalAllOnHead ? "yes" : "no"} | yes |`,
      `| share of honest nodes on the validator's head (mean of 1 s samples) | ${pct(f.onHeadShare.mean)} | |`,
      `| head lag, blocks (max / mean over 1 s samples) | ${f.headLag.max} / ${f.headLag.mean.toFixed(2)} | |`,
    );
    if (f.flood.sent > 0)
      lines.push(
        `| fake handshakes sent (${f.flood.ratePerSec}/s) | ${f.flood.sent} | |`,
        `| fake peers admitted | ${f.fakePeersAdmitted} | 0 |`,
        `| honest peers removed during the flood | ${f.honestPeersDisplaced} | 0 |`,
      );
    if (f.lateJoiners.length > 0)
      lines.push(
        `| late joiners on the head within 2 verification intervals | ${pct(f.lateJoinersWithinTwoIntervals)} | 100% |`,
        `| late joiners' adoption times | ${f.lateJoiners.map((l) => `${l.node} ${sec(l.adoptionSec)}`).join(", ")} | ≤ ${2 * f.verifyIntervalSec} s |`,
      );
    for (const r of f.restarts)
      lines.push(
        `| ${r.node} restarted: same relay key | ${r.keyKept ? "yes" : "no"} | yes |`,
        `| ${r.node} restarted: its first new block after | ${sec(r.firstBlockSec)} | |`,
        `| ${r.node} restarted: every node follows it again after | ${sec(r.allFollowSec)} | ≤ ${f.verifyIntervalSec} s after its first block |`,
      );
    lines.push("", `![head lag](head-lag-${f.scenario}.svg)`, "");
  }
  return `${lines.join("\n")}\n`;
}

/** Writes report.json (figures), report.md, head-lag-<scenario>.svg and records/<scenario>.json. */
export async function writeAstreumReport(
  records: readonly AstreumRunRecord[],
  dir: string,
): Promise<AstreumFigures[]> {
  const figures = records.map(astreumFigures);
  const svgs = await Promise.all(
    figures.map((f) => renderSvg(astreumHeadLagSpec(f.headLag.samples, `${f.scenario}: head lag per node`))),
  );
  mkdirSync(join(dir, "records"), { recursive: true });
  writeFileSync(join(dir, "report.json"), `${JSON.stringify(figures, null, 2)}\n`);
  writeFileSync(join(dir, "report.md"), astreumMarkdown(figures));
  figures.forEach((f, i) => {
    writeFileSync(join(dir, `head-lag-${f.scenario}.svg`), svgs[i]!);
    writeFileSync(join(dir, "records", `${f.scenario}.json`), `${JSON.stringify(records[i])}\n`);
  });
  return figures;
}
