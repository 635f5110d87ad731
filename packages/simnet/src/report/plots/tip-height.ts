import type { TopLevelSpec } from "vega-lite";
import type { RunRecord } from "../run-record.js";

/** Beyond this many nodes a per-node legend is noise; the lines still show the spread. */
const MAX_LEGEND_NODES = 12;

/**
 * Tip height of every node over the run, with the scenario's events as vertical rules. Only the
 * samples where a node's height changes (and its last one) are drawn: the step curve is the same and
 * the SVG stays small.
 */
export function tipHeightSpec(record: RunRecord, title: string): TopLevelSpec {
  const seconds = (at: number) => (at - record.startedAt) / 1000;
  const byNode = new Map<string, RunRecord["tips"]>();
  for (const sample of [...record.tips].sort((a, b) => a.at - b.at)) {
    const samples = byNode.get(sample.node);
    if (samples === undefined) byNode.set(sample.node, [sample]);
    else samples.push(sample);
  }
  const tips: { node: string; seconds: number; height: number }[] = [];
  for (const [node, samples] of byNode) {
    samples.forEach((sample, i) => {
      const previous = samples[i - 1];
      const isLast = i === samples.length - 1;
      if (previous === undefined || previous.height !== sample.height || isLast) {
        tips.push({ node, seconds: seconds(sample.at), height: sample.height });
      }
    });
  }
  const events = record.events.map((event) => ({ seconds: seconds(event.at), kind: event.kind }));
  const showLegend = byNode.size <= MAX_LEGEND_NODES;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    width: 560,
    height: 300,
    layer: [
      {
        data: { values: tips },
        mark: { type: "line", interpolate: "step-after", strokeWidth: 1 },
        encoding: {
          x: { field: "seconds", type: "quantitative", title: "time since start (s)" },
          y: { field: "height", type: "quantitative", title: "tip height" },
          color: { field: "node", type: "nominal", title: "node", legend: showLegend ? {} : null },
        },
      },
      {
        data: { values: events },
        mark: { type: "rule", strokeDash: [4, 3], color: "#888" },
        encoding: { x: { field: "seconds", type: "quantitative" } },
      },
    ],
  };
}
