import { NETWORKS } from "astram-core";
import type { LinkParams } from "./link/link-model.js";
import type { RunRecord } from "./report/run-record.js";
import type { Scenario, ScenarioSettings } from "./scenarios/scenario.js";
import { Simnet } from "./simnet.js";

export interface RunOptions {
  readonly workDir: string;
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
  readonly nodeCli?: string;
  readonly sampleIntervalMs?: number;
}

/** The simulator's own cost during a run (the orchestrator and relays, not the nodes). */
export interface RunnerOverhead {
  readonly cpuPercent: number;
  readonly maxRssBytes: number;
}

export interface ScenarioRun {
  readonly record: RunRecord;
  readonly overhead: RunnerOverhead;
}

/**
 * Runs one scenario end to end: starts the network, lets the scenario act until its deadline
 * (durationSec after the last node started, or SIGINT through `signal`), stops every process, and
 * returns what was recorded. Nodes are stopped on success, error and abort alike.
 */
export async function runScenario(
  scenario: Scenario,
  settings: ScenarioSettings,
  opts: RunOptions,
): Promise<ScenarioRun> {
  const log = opts.log ?? (() => {});
  const net = new Simnet({
    nodes: settings.nodes,
    miners: settings.miners,
    pace: settings.pace,
    link: settings.link,
    seed: settings.seed,
    workDir: opts.workDir,
    log,
    ...(opts.nodeCli ? { nodeCli: opts.nodeCli } : {}),
    ...(opts.sampleIntervalMs ? { sampleIntervalMs: opts.sampleIntervalMs } : {}),
  });
  const startedAt = Date.now();
  const cpuBefore = process.cpuUsage();
  let maxRss = process.memoryUsage().rss;
  const rssTimer = setInterval(() => {
    maxRss = Math.max(maxRss, process.memoryUsage().rss);
  }, 2_000).unref();
  const stopAt = new AbortController();
  const onAbort = () => stopAt.abort();
  opts.signal?.addEventListener("abort", onAbort);
  let deadlineTimer: NodeJS.Timeout | undefined;
  try {
    log(
      `${scenario.name}: starting ${settings.nodes} nodes (${settings.miners} miners, ${settings.pace ? "paced" : "unpaced"})`,
    );
    await net.start(stopAt.signal);
    const deadline = Date.now() + settings.durationSec * 1000;
    deadlineTimer = setTimeout(() => stopAt.abort(), settings.durationSec * 1000);
    log(`${scenario.name}: all nodes up; running for ${settings.durationSec} s`);
    const progress = setInterval(() => {
      log(
        `${scenario.name}: ${Math.round((deadline - Date.now()) / 1000)} s left, ${net.recorder.blockCount} blocks seen`,
      );
    }, 30_000).unref();
    try {
      await scenario.run({ net, settings, signal: stopAt.signal, deadline, log });
    } finally {
      clearInterval(progress);
    }
  } finally {
    clearTimeout(deadlineTimer);
    opts.signal?.removeEventListener("abort", onAbort);
    log(`${scenario.name}: stopping the nodes`);
    await net.stop();
    clearInterval(rssTimer);
  }
  const endedAt = Date.now();
  const cpu = process.cpuUsage(cpuBefore);
  const record = net.recorder.build({
    scenario: scenario.name,
    seed: settings.seed,
    startedAt,
    endedAt,
    config: configOf(settings, settings.link),
  });
  return {
    record,
    overhead: {
      cpuPercent: (100 * (cpu.user + cpu.system)) / 1000 / Math.max(1, endedAt - startedAt),
      maxRssBytes: maxRss,
    },
  };
}

function configOf(s: ScenarioSettings, link: LinkParams): RunRecord["config"] {
  return {
    nodes: s.nodes,
    miners: s.miners,
    latencyMs: link.latencyMs,
    jitterMs: link.jitterMs,
    lossRate: link.lossRate,
    bandwidthBytesPerSec: link.bandwidthBytesPerSec,
    targetSpacingSec: NETWORKS.devnet.targetSpacing,
    durationSec: s.durationSec,
  };
}
