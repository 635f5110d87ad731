import { type IntervalReport, intervalReport } from "./block-interval.js";
import { type BoundReport, boundedPairs, boundReport } from "./bound.js";
import { type EclipseReport, eclipseReport } from "./eclipse.js";
import { type HealReport, healReports } from "./heal-time.js";
import { type BanReport, banReport } from "./honest-bans.js";
import { type MeasuredRun, type ModelReport, propagationModel } from "./model.js";
import { type PropagationReport, propagationPairs, propagationReport } from "./propagation.js";
import { type ResourceReport, resourceReport } from "./resources.js";
import type { RunRecord } from "./run-record.js";
import { type StaleReport, staleReport } from "./stale-rate.js";
import { type TopologyReport, topologyReport } from "./topology.js";

/** The goals: measured p99 within 1.5x of the latency bound, mean interval within 20%. */
export const GOALS = { p99RatioMax: 1.5, intervalTolerance: 0.2 } as const;

export type GoalStatus = "met" | "not met" | "not measured";

export interface Goal {
  name: string;
  target: string;
  measured: string;
  status: GoalStatus;
}

export interface RunSummary {
  /** Unique name of the run within a report (scenario and honest-node count, seed if needed). */
  label: string;
  scenario: string;
  seed: number;
  startedAt: number;
  endedAt: number;
  config: RunRecord["config"];
  nodes: { total: number; honest: number; miners: number; attackers: number };
  propagation: PropagationReport;
  bound: BoundReport;
  stale: StaleReport;
  interval: IntervalReport;
  heals: HealReport[];
  bans: BanReport;
  eclipse: EclipseReport | null;
  resources: ResourceReport;
  topology: TopologyReport;
  goals: Goal[];
}

export interface Summary {
  runs: RunSummary[];
  model: ModelReport | null;
  plots: PlotFiles;
}

/** SVG files beside the report, relative to its folder (none until writeReport renders them). */
export interface PlotFiles {
  propagationCdf: string | null;
  degreeHistogram: string | null;
  tipHeights: { run: string; file: string }[];
  headLags: { run: string; file: string }[];
}

export interface SummarizeOptions {
  /** Seed of the model's random graphs and jitter draws; default 1. */
  modelSeed?: number;
  scaleNodes?: number[];
  /** Mean degree the model assumes for the larger networks; default the largest run's measured one. */
  scaleMeanDegree?: number;
}

/** Every figure of the report, computed from the run records alone (no I/O). */
export function summarize(records: readonly RunRecord[], options: SummarizeOptions = {}): Summary {
  const labels = runLabels(records);
  const measuredRuns: MeasuredRun[] = [];
  const runs = records.map((record, i): RunSummary => {
    const pairs = propagationPairs(record);
    const honest = record.nodes.filter((node) => node.honest);
    const topology = topologyReport(record);
    const bounded = boundedPairs(record, pairs);
    measuredRuns.push({
      label: labels[i] as string,
      nodes: honest.length,
      meanDegree: topology.meanDegreeAtBlocks,
      latencyMs: record.config.latencyMs,
      jitterMs: record.config.jitterMs,
      observations: bounded.map((pair) => ({
        hops: pair.hops,
        latencyMs: record.config.latencyMs,
        delayMs: pair.delayMs,
      })),
    });
    const run = {
      label: labels[i] as string,
      scenario: record.scenario,
      seed: record.seed,
      startedAt: record.startedAt,
      endedAt: record.endedAt,
      config: record.config,
      nodes: {
        total: record.nodes.length,
        honest: honest.length,
        miners: record.nodes.filter((node) => node.role === "miner").length,
        attackers: record.nodes.filter((node) => node.role === "attacker").length,
      },
      propagation: propagationReport(record, pairs),
      bound: boundReport(record, pairs, bounded),
      stale: staleReport(record),
      interval: intervalReport(record),
      heals: healReports(record),
      bans: banReport(record),
      eclipse: eclipseReport(record),
      resources: resourceReport(record),
      topology,
    };
    return { ...run, goals: goalsOf(run) };
  });
  const model = propagationModel(measuredRuns, {
    seed: options.modelSeed ?? 1,
    ...(options.scaleNodes === undefined ? {} : { scaleNodes: options.scaleNodes }),
    ...(options.scaleMeanDegree === undefined ? {} : { scaleMeanDegree: options.scaleMeanDegree }),
  });
  return {
    runs,
    model,
    plots: { propagationCdf: null, degreeHistogram: null, tipHeights: [], headLags: [] },
  };
}

/** scenario-<honest nodes>n, made unique with the seed and then the position where runs repeat. */
function runLabels(records: readonly RunRecord[]): string[] {
  const base = records.map((record) => `${record.scenario}-${record.nodes.filter((n) => n.honest).length}n`);
  const withSeed = base.map((label, i) =>
    base.indexOf(label) !== base.lastIndexOf(label) ? `${label}-seed${records[i]?.seed}` : label,
  );
  return withSeed.map((label, i) =>
    withSeed.indexOf(label) !== withSeed.lastIndexOf(label) ? `${label}-${i + 1}` : label,
  );
}

const fixed = (value: number, digits = 2) => value.toFixed(digits);

function goalsOf(run: Omit<RunSummary, "goals">): Goal[] {
  const { bound, bans, eclipse, interval, heals } = run;
  const unhealed = heals.filter((heal) => heal.healTimeMs === null).length;
  return [
    {
      name: "propagation p99 within the latency bound",
      target: `p99 <= ${GOALS.p99RatioMax}x bound p99`,
      measured: bound.p99Ratio === null ? "no bounded pairs" : `${fixed(bound.p99Ratio)}x`,
      status:
        bound.p99Ratio === null ? "not measured" : bound.p99Ratio <= GOALS.p99RatioMax ? "met" : "not met",
    },
    {
      name: "no honest peer banned",
      target: "0 bans of honest nodes",
      measured: `${bans.honest.length}`,
      status: bans.honest.length === 0 ? "met" : "not met",
    },
    {
      name: "eclipse victim keeps an honest peer",
      target: ">= 1 honest peer throughout the attack",
      measured: eclipse?.minHonestPeers == null ? "no eclipse samples" : `min ${eclipse.minHonestPeers}`,
      status: eclipse?.keptHonestPeer == null ? "not measured" : eclipse.keptHonestPeer ? "met" : "not met",
    },
    {
      name: "mean block interval near target (paced miners)",
      target: `within ${GOALS.intervalTolerance * 100}% of ${interval.targetSec} s`,
      measured: interval.meanSec === null ? "fewer than 2 timed blocks" : `${fixed(interval.meanSec)} s`,
      status:
        interval.ratio === null
          ? "not measured"
          : Math.abs(interval.ratio - 1) <= GOALS.intervalTolerance
            ? "met"
            : "not met",
    },
    {
      name: "every heal ends in agreement",
      target: "all honest nodes on one tip after each heal",
      measured: heals.length === 0 ? "no heal" : `${heals.length - unhealed}/${heals.length} healed`,
      status: heals.length === 0 ? "not measured" : unhealed === 0 ? "met" : "not met",
    },
  ];
}
