import { distribution, percentile, sortedAscending } from "./percentiles.js";
import type { RunRecord } from "./run-record.js";

const MIB = 1024 * 1024;

export interface NodeResources {
  node: string;
  role: RunRecord["nodes"][number]["role"] | "unknown";
  samples: number;
  rssP50MiB: number;
  rssMaxMiB: number;
  cpuMeanPercent: number;
}

export interface ResourceReport {
  perNode: NodeResources[];
  /** Across nodes: the median and largest per-node RSS p50, the largest RSS seen, CPU means. */
  rssP50MiBMedian: number | null;
  rssP50MiBMax: number | null;
  rssMaxMiB: number | null;
  cpuMeanPercentMean: number | null;
  cpuMeanPercentMax: number | null;
}

export function resourceReport(record: RunRecord): ResourceReport {
  const roles = new Map(record.nodes.map((node) => [node.id, node.role]));
  const byNode = new Map<string, { rss: number[]; cpu: number[] }>();
  for (const sample of record.resources) {
    let samples = byNode.get(sample.node);
    if (samples === undefined) {
      samples = { rss: [], cpu: [] };
      byNode.set(sample.node, samples);
    }
    samples.rss.push(sample.rssBytes);
    samples.cpu.push(sample.cpuPercent);
  }
  const perNode: NodeResources[] = [...byNode]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([node, { rss, cpu }]) => {
      const sortedRss = sortedAscending(rss);
      return {
        node,
        role: roles.get(node) ?? "unknown",
        samples: rss.length,
        rssP50MiB: percentile(sortedRss, 50) / MIB,
        rssMaxMiB: (sortedRss[sortedRss.length - 1] as number) / MIB,
        cpuMeanPercent: cpu.reduce((sum, value) => sum + value, 0) / cpu.length,
      };
    });
  const rssP50 = distribution(perNode.map((node) => node.rssP50MiB));
  const rssMax = distribution(perNode.map((node) => node.rssMaxMiB));
  const cpu = distribution(perNode.map((node) => node.cpuMeanPercent));
  return {
    perNode,
    rssP50MiBMedian: rssP50?.p50 ?? null,
    rssP50MiBMax: rssP50?.max ?? null,
    rssMaxMiB: rssMax?.max ?? null,
    cpuMeanPercentMean: cpu?.mean ?? null,
    cpuMeanPercentMax: cpu?.max ?? null,
  };
}
