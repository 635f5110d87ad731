import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { headLagSeries } from "./head-lag.js";
import { renderMarkdown } from "./markdown.js";
import { sortedAscending } from "./percentiles.js";
import { degreeHistogramSpec } from "./plots/degree-histogram.js";
import { headLagSpec } from "./plots/head-lag.js";
import { propagationCdfSpec } from "./plots/propagation-cdf.js";
import { renderSvg } from "./plots/render-svg.js";
import { tipHeightSpec } from "./plots/tip-height.js";
import { propagationPairs } from "./propagation.js";
import type { RunRecord } from "./run-record.js";
import { type SummarizeOptions, type Summary, summarize } from "./summary.js";
import { assertRunRecord } from "./validate-run-record.js";

/** A run label as a file-name part: letters, digits, dot, dash and underscore only. */
const fileSafe = (label: string) => label.replace(/[^A-Za-z0-9._-]/g, "_");

/**
 * Computes the report of one or more runs and writes it into dir: report.json (every figure),
 * report.md (the summary with goals and plot links) and the SVG plots. Everything is validated,
 * computed and rendered before the first file is written, so bad input leaves dir untouched.
 */
export async function writeReport(
  records: RunRecord[],
  dir: string,
  options: SummarizeOptions = {},
): Promise<Summary> {
  if (records.length === 0) throw new RangeError("writeReport needs at least one run record");
  records.forEach((record, i) => {
    assertRunRecord(record, `records[${i}]`);
  });
  const summary = summarize(records, options);
  const files = new Map<string, string>();

  const cdf = records.map((record, i) => ({
    run: summary.runs[i]?.label as string,
    delaysMs: sortedAscending(propagationPairs(record).map((pair) => pair.delayMs)),
  }));
  if (cdf.some((series) => series.delaysMs.length > 0)) {
    files.set("propagation-cdf.svg", await renderSvg(propagationCdfSpec(cdf)));
    summary.plots.propagationCdf = "propagation-cdf.svg";
  }
  const degrees = summary.runs.map((run) => ({
    run: run.label,
    histogram: run.topology.lastDegreeHistogram,
  }));
  if (degrees.some((series) => series.histogram.length > 0)) {
    files.set("degree-histogram.svg", await renderSvg(degreeHistogramSpec(degrees)));
    summary.plots.degreeHistogram = "degree-histogram.svg";
  }
  for (const [i, record] of records.entries()) {
    if (record.tips.length === 0) continue;
    const label = summary.runs[i]?.label as string;
    const file = `tip-height-${fileSafe(label)}.svg`;
    files.set(file, await renderSvg(tipHeightSpec(record, `Tip height per node, ${label}`)));
    summary.plots.tipHeights.push({ run: label, file });
    const lagFile = `head-lag-${fileSafe(label)}.svg`;
    const lag = headLagSeries(record);
    files.set(
      lagFile,
      await renderSvg(headLagSpec(lag, record.startedAt, `Head lag of honest nodes, ${label}`)),
    );
    summary.plots.headLags.push({ run: label, file: lagFile });
  }
  files.set("report.md", renderMarkdown(summary));
  files.set("report.json", `${JSON.stringify(summary, null, 2)}\n`);

  await mkdir(dir, { recursive: true });
  for (const [name, text] of files) await writeFile(join(dir, name), text);
  return summary;
}
