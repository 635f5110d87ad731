import type { TopLevelSpec } from "vega-lite";
import type { LagSample } from "./figures.js";

/** Head lag per node over time (blocks behind the validator's head), one line per node. */
export function astreumHeadLagSpec(samples: readonly LagSample[], title: string): TopLevelSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    width: 560,
    height: 220,
    data: { values: samples.map((s) => ({ ...s })) },
    mark: { type: "line", interpolate: "step-after", strokeWidth: 1 },
    encoding: {
      x: { field: "seconds", type: "quantitative", title: "time since the network was up (s)" },
      y: { field: "lag", type: "quantitative", title: "blocks behind the validator" },
      color: { field: "node", type: "nominal", title: "node", legend: { columns: 2 } },
    },
  };
}
