import { honestNodeIds, type RunRecord } from "./run-record.js";

/** At one instant: how many blocks the honest nodes trail the highest honest tip. */
export interface HeadLagPoint {
  at: number;
  /** Highest tip among honest nodes' latest samples. */
  head: number;
  maxLag: number;
  meanLag: number;
}

/**
 * Head lag over the run, one point per distinct tip-sample time: each honest node's latest sampled
 * height against the highest of them. Only nodes that have reported a tip count.
 */
export function headLagSeries(record: RunRecord): HeadLagPoint[] {
  const honest = honestNodeIds(record);
  const samples = record.tips.filter((sample) => honest.has(sample.node)).sort((a, b) => a.at - b.at);
  const latest = new Map<string, number>();
  const points: HeadLagPoint[] = [];
  for (let index = 0; index < samples.length; ) {
    const at = samples[index]!.at;
    for (; index < samples.length && samples[index]!.at === at; index++) {
      latest.set(samples[index]!.node, samples[index]!.height);
    }
    let head = 0;
    for (const height of latest.values()) head = Math.max(head, height);
    let maxLag = 0;
    let totalLag = 0;
    for (const height of latest.values()) {
      maxLag = Math.max(maxLag, head - height);
      totalLag += head - height;
    }
    points.push({ at, head, maxLag, meanLag: totalLag / latest.size });
  }
  return points;
}
