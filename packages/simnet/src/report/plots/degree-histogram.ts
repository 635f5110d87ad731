import type { TopLevelSpec } from "vega-lite";

export interface DegreeSeries {
  run: string;
  /** Honest nodes by number of honest peers (index = degree). */
  histogram: readonly number[];
}

/** How many honest peers honest nodes had at the end of each run. */
export function degreeHistogramSpec(series: readonly DegreeSeries[]): TopLevelSpec {
  const values = series.flatMap(({ run, histogram }) =>
    histogram.flatMap((nodes, degree) => (nodes > 0 ? [{ run, degree, nodes }] : [])),
  );
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: "Honest peers per honest node, last topology snapshot",
    width: 560,
    height: 240,
    data: { values },
    mark: "bar",
    encoding: {
      x: { field: "degree", type: "ordinal", title: "honest peers" },
      xOffset: { field: "run", type: "nominal" },
      y: { field: "nodes", type: "quantitative", title: "nodes" },
      color: { field: "run", type: "nominal", title: "run" },
    },
  };
}
