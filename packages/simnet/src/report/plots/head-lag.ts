import type { TopLevelSpec } from "vega-lite";
import type { HeadLagPoint } from "../head-lag.js";

/**
 * How far honest nodes trail the best honest tip over time (blocks): the worst node and the mean.
 * Points where nothing changed are dropped; the step curve is the same.
 */
export function headLagSpec(points: readonly HeadLagPoint[], startedAt: number, title: string): TopLevelSpec {
  const values: { seconds: number; series: string; lag: number }[] = [];
  points.forEach((point, i) => {
    const previous = points[i - 1];
    const changed =
      previous === undefined ||
      previous.maxLag !== point.maxLag ||
      previous.meanLag !== point.meanLag ||
      i === points.length - 1;
    if (!changed) return;
    const seconds = (point.at - startedAt) / 1000;
    values.push(
      { seconds, series: "worst node", lag: point.maxLag },
      { seconds, series: "mean", lag: point.meanLag },
    );
  });
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    width: 560,
    height: 200,
    data: { values },
    mark: { type: "line", interpolate: "step-after" },
    encoding: {
      x: { field: "seconds", type: "quantitative", title: "time since start (s)" },
      y: { field: "lag", type: "quantitative", title: "blocks behind the best honest tip" },
      color: { field: "series", type: "nominal", title: "" },
    },
  };
}
