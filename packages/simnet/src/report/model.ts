import { fitPerHopCost, type HopObservation, type PerHopFit } from "./per-hop-fit.js";
import { percentile, sortedAscending } from "./percentiles.js";
import { indexHopDistances, randomPeerGraph } from "./random-peer-graph.js";
import { randomBelow, seededRandom } from "./seeded-random.js";

export interface LinkModel {
  meanDegree: number;
  latencyMs: number;
  jitterMs: number;
  perHopCostMs: number;
}

export interface PropagationPrediction extends LinkModel {
  nodes: number;
  meanHops: number;
  /** Share of (source, node) pairs at each hop count (index = hops). */
  hopShare: number[];
  /** Share of pairs with no path in the random graphs. */
  unreachableShare: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
}

export interface PredictOptions {
  seed: number;
  /** Random graphs built; default about 20,000 nodes in all, between 2 and 50 graphs. */
  graphs?: number;
  /** Breadth-first searches per graph, from distinct random sources; default min(nodes, 100). */
  sources?: number;
  /** Delays drawn for the percentiles. */
  samples?: number;
}

/**
 * The model: a block crosses the shortest path from its miner, and every hop costs the link latency
 * plus jitter (uniform in ±jitter) plus the per-hop cost c. Hop counts come from seeded random graphs
 * of the given size and mean degree, breadth-first searched from random sources.
 */
export function predictPropagation(
  nodes: number,
  link: LinkModel,
  options: PredictOptions,
): PropagationPrediction {
  const random = seededRandom(options.seed);
  const graphs = options.graphs ?? Math.min(50, Math.max(2, Math.ceil(20_000 / nodes)));
  const sources = Math.min(nodes, options.sources ?? 100);
  const hopCounts: number[] = [];
  let unreachable = 0;
  let pairs = 0;
  for (let g = 0; g < graphs; g++) {
    const graph = randomPeerGraph(nodes, link.meanDegree, random);
    for (const source of distinctSample(nodes, sources, random)) {
      const distance = indexHopDistances(graph, source);
      for (let node = 0; node < nodes; node++) {
        if (node === source) continue;
        pairs++;
        const hops = distance[node] as number;
        if (hops < 0) unreachable++;
        else hopCounts[hops] = (hopCounts[hops] ?? 0) + 1;
      }
    }
  }
  const reachable = pairs - unreachable;
  const hopShare = Array.from(hopCounts, (count) => (count ?? 0) / pairs);
  let meanHops = 0;
  hopCounts.forEach((count, hops) => {
    meanHops += (hops * (count ?? 0)) / Math.max(1, reachable);
  });
  const delays = drawDelays(hopCounts, reachable, link, options.samples ?? 100_000, random);
  return {
    nodes,
    ...link,
    meanHops,
    hopShare,
    unreachableShare: unreachable / pairs,
    p50Ms: delays.length > 0 ? percentile(delays, 50) : Number.NaN,
    p90Ms: delays.length > 0 ? percentile(delays, 90) : Number.NaN,
    p99Ms: delays.length > 0 ? percentile(delays, 99) : Number.NaN,
  };
}

/** count distinct values of 0..n-1 (a partial Fisher–Yates shuffle). */
function distinctSample(n: number, count: number, random: () => number): Int32Array {
  const values = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + randomBelow(random, n - i);
    const swap = values[i] as number;
    values[i] = values[j] as number;
    values[j] = swap;
  }
  return values.subarray(0, count);
}

/** Delays of pairs drawn by their hop-count share, each hop max(0, latency + c + jitter). */
function drawDelays(
  hopCounts: number[],
  reachable: number,
  link: LinkModel,
  samples: number,
  random: () => number,
): Float64Array {
  const delays = new Float64Array(reachable === 0 ? 0 : samples);
  for (let i = 0; i < delays.length; i++) {
    let rank = randomBelow(random, reachable);
    let hops = 0;
    while (rank >= (hopCounts[hops] ?? 0)) rank -= hopCounts[hops++] ?? 0;
    let delay = 0;
    for (let hop = 0; hop < hops; hop++) {
      const jitter = (2 * random() - 1) * link.jitterMs;
      delay += Math.max(0, link.latencyMs + link.perHopCostMs + jitter);
    }
    delays[i] = delay;
  }
  return delays.sort();
}

/** One measured run as the model sees it. */
export interface MeasuredRun {
  label: string;
  /** Honest nodes: the ones that relay. */
  nodes: number;
  /** Mean honest degree of the topology blocks crossed. */
  meanDegree: number | null;
  latencyMs: number;
  jitterMs: number;
  observations: HopObservation[];
}

export interface ModelCheck {
  run: string;
  nodes: number;
  meanDegree: number;
  measured: { meanHops: number; p50Ms: number; p99Ms: number };
  predicted: { meanHops: number; p50Ms: number; p99Ms: number };
  /** measured / predicted. */
  p50Ratio: number;
  p99Ratio: number;
}

export interface ModelReport {
  seed: number;
  fit: PerHopFit;
  checks: ModelCheck[];
  /** Predictions for larger networks with the largest run's degree and links. */
  scale: PropagationPrediction[];
  assumptions: string[];
}

export interface ModelOptions {
  seed: number;
  scaleNodes?: number[];
  /** Mean degree for the larger networks; default the largest run's measured one. */
  scaleMeanDegree?: number;
  predict?: Omit<PredictOptions, "seed">;
}

export const MODEL_ASSUMPTIONS: readonly string[] = [
  "A block travels the shortest path from its miner; each hop costs the link latency, a uniform jitter in ±jitter, and a constant c fitted by least squares to delay ≈ hops × (latency + c) over every measured (block, node) pair.",
  "c lumps together validation, relay and any extra message trips per hop at the measured latency and block sizes; predictions at another latency or block size are outside what was measured.",
  "The topology is a random graph with the measured mean degree d (honest peers of honest nodes when blocks were mined): every node opens floor(d/2) connections to uniformly chosen peers and random links make up the rest. The peer rules' /16 diversity, inbound limits and address-book history are not modelled; the larger networks keep the largest run's d unless told otherwise.",
  "Loss, bandwidth limits and queueing add to the measured delays and so to c on average, but the model has no tail of its own for them; flooding over several paths, which can beat a single jittered path, is not modelled either.",
  "Hop counts are from breadth-first searches of seeded random graphs from random sources, not from the miners' actual positions.",
];

/** Fits c over all runs, checks the model against each run, and predicts larger networks. */
export function propagationModel(runs: readonly MeasuredRun[], options: ModelOptions): ModelReport | null {
  const fit = fitPerHopCost(runs.flatMap((run) => run.observations));
  if (fit === null) return null;
  const checks: ModelCheck[] = [];
  for (const run of runs) {
    if (run.meanDegree === null || run.meanDegree <= 0 || run.nodes < 2) continue;
    const withHops = run.observations.filter((observation) => observation.hops > 0);
    if (withHops.length === 0) continue;
    const delays = sortedAscending(withHops.map((observation) => observation.delayMs));
    const prediction = predictPropagation(
      run.nodes,
      {
        meanDegree: run.meanDegree,
        latencyMs: run.latencyMs,
        jitterMs: run.jitterMs,
        perHopCostMs: fit.perHopCostMs,
      },
      { ...options.predict, seed: options.seed },
    );
    const measured = {
      meanHops: withHops.reduce((sum, observation) => sum + observation.hops, 0) / withHops.length,
      p50Ms: percentile(delays, 50),
      p99Ms: percentile(delays, 99),
    };
    checks.push({
      run: run.label,
      nodes: run.nodes,
      meanDegree: run.meanDegree,
      measured,
      predicted: { meanHops: prediction.meanHops, p50Ms: prediction.p50Ms, p99Ms: prediction.p99Ms },
      p50Ratio: measured.p50Ms / prediction.p50Ms,
      p99Ratio: measured.p99Ms / prediction.p99Ms,
    });
  }
  const largest = runs
    .filter((run) => run.meanDegree !== null && run.meanDegree > 0)
    .reduce<MeasuredRun | null>((best, run) => (best === null || run.nodes > best.nodes ? run : best), null);
  const scale =
    largest === null
      ? []
      : (options.scaleNodes ?? [1000, 10_000]).map((nodes) =>
          predictPropagation(
            nodes,
            {
              meanDegree: options.scaleMeanDegree ?? (largest.meanDegree as number),
              latencyMs: largest.latencyMs,
              jitterMs: largest.jitterMs,
              perHopCostMs: fit.perHopCostMs,
            },
            { ...options.predict, seed: options.seed },
          ),
        );
  return { seed: options.seed, fit, checks, scale, assumptions: [...MODEL_ASSUMPTIONS] };
}
