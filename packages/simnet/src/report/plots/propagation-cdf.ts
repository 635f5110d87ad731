import type { TopLevelSpec } from "vega-lite";

/** Points kept per run: enough for a smooth step curve, few enough for a small SVG. */
const MAX_POINTS = 400;

export interface CdfSeries {
  run: string;
  /** Delays in ascending order. */
  delaysMs: ArrayLike<number>;
}

/** The empirical CDF of propagation delay over all (block, node) pairs, one line per run. */
export function propagationCdfSpec(series: readonly CdfSeries[]): TopLevelSpec {
  const values: { run: string; delayMs: number; fraction: number }[] = [];
  for (const { run, delaysMs } of series) {
    const n = delaysMs.length;
    const step = Math.max(1, Math.ceil(n / MAX_POINTS));
    for (let i = 0; i < n; i += step)
      values.push({ run, delayMs: delaysMs[i] as number, fraction: (i + 1) / n });
    if (n > 0 && (n - 1) % step !== 0) values.push({ run, delayMs: delaysMs[n - 1] as number, fraction: 1 });
  }
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: "Block propagation delay, all (block, honest node) pairs",
    width: 560,
    height: 300,
    data: { values },
    mark: { type: "line", interpolate: "step-after" },
    encoding: {
      x: { field: "delayMs", type: "quantitative", title: "delay after the miner accepted the block (ms)" },
      y: { field: "fraction", type: "quantitative", title: "fraction of pairs", scale: { domain: [0, 1] } },
      color: { field: "run", type: "nominal", title: "run" },
    },
  };
}
