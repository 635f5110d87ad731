#!/usr/bin/env node
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { DEFAULT_LINK, type LinkParams, validateLinkParams } from "./link/link-model.js";
import { MAX_NODES } from "./node/address-plan.js";
import type { RunRecord } from "./report/run-record.js";
import { writeReport } from "./report/write-report.js";
import { type RunnerOverhead, runScenario } from "./run-scenario.js";
import { findScenario, SCENARIOS } from "./scenarios/index.js";
import type { ScenarioSettings } from "./scenarios/scenario.js";

const number =
  (what: string, min: number, max: number, integer = false) =>
  (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n)))
      throw new InvalidArgumentError(
        `${what} must be ${integer ? "an integer" : "a number"} in [${min}, ${max}]`,
      );
    return n;
  };

const program = new Command("astram-simnet")
  .description(
    "Run many real astram-node processes on this machine over an emulated network (a relay per node\n" +
      "adds latency, jitter, loss stalls, bandwidth caps and partitions on loopback addresses), then\n" +
      "report propagation, stale blocks, heal time, bans, eclipse resistance and resources.",
  )
  .argument(
    "<scenario...>",
    `one or more of: ${SCENARIOS.map((s) => s.name).join(", ")}; NAME@N runs it with N nodes (e.g. baseline@10 baseline@25 baseline@50 for the model's check)`,
  )
  .option("--nodes <n>", "honest nodes (default: the scenario's)", number("--nodes", 1, MAX_NODES, true))
  .option(
    "--miners <n>",
    "mining nodes among them (default: the scenario's)",
    number("--miners", 0, MAX_NODES, true),
  )
  .option(
    "--duration <s>",
    "seconds to run once every node is up (default: the scenario's)",
    number("--duration", 1, 86_400),
  )
  .option("--latency <ms>", "one-way link latency", number("--latency", 0, 10_000), DEFAULT_LINK.latencyMs)
  .option(
    "--jitter <ms>",
    "latency jitter (± for uniform, σ for normal)",
    number("--jitter", 0, 10_000),
    DEFAULT_LINK.jitterMs,
  )
  .addOption(
    new Option("--jitter-dist <kind>", "jitter distribution")
      .choices(["uniform", "normal"])
      .default("uniform"),
  )
  .option(
    "--loss <p>",
    "packet loss probability, modelled as TCP retransmission stalls",
    number("--loss", 0, 0.99),
    DEFAULT_LINK.lossRate,
  )
  .option(
    "--resets <p>",
    "probability that a chunk resets its connection",
    number("--resets", 0, 0.99),
    DEFAULT_LINK.resetRate,
  )
  .option(
    "--bandwidth <bytes/s>",
    "bandwidth cap per link direction (default: none)",
    number("--bandwidth", 1, 1e12),
  )
  .option(
    "--seed <n>",
    "seed of every random choice (topology, links, churn)",
    number("--seed", 0, 2 ** 31 - 1, true),
    1,
  )
  .option("--unpaced", "miners mine flat out (default: the scenario's)")
  .option("--out <dir>", "report folder (default simnet-report/<timestamp>/, git-ignored)")
  .option("--workdir <dir>", "where the nodes' data directories go (default: a temp folder, removed after)")
  .option("--node-cli <file>", "astram-node CLI to run (default: the built packages/astram-node/dist/cli.js)")
  .addHelpText(
    "after",
    `\nScenarios:\n${SCENARIOS.map((s) => `  ${s.name.padEnd(10)} ${s.summary}`).join("\n")}\n\n` +
      "Every run stops by itself after its duration; Ctrl-C stops early (nodes are stopped and the report\n" +
      "is written from what was measured); a second Ctrl-C exits at once and kills every node.\n\n" +
      "Examples:\n  npm run simnet -- baseline\n  npm run simnet -- partition --nodes 10 --duration 120 --latency 80 --loss 0.02\n",
  );

interface CliOptions {
  nodes?: number;
  miners?: number;
  duration?: number;
  latency: number;
  jitter: number;
  jitterDist: "uniform" | "normal";
  loss: number;
  resets: number;
  bandwidth?: number;
  seed: number;
  unpaced?: boolean;
  out?: string;
  workdir?: string;
  nodeCli?: string;
}

async function main(): Promise<void> {
  program.parse();
  const o = program.opts<CliOptions>();
  const scenarios = program.processedArgs[0] as string[];
  let chosen: { scenario: ReturnType<typeof findScenario>; nodes: number | undefined }[];
  let link: LinkParams;
  try {
    chosen = scenarios.map((arg) => {
      const [name, size] = arg.split("@");
      const nodes = size === undefined ? o.nodes : Number(size);
      if (nodes !== undefined && !(Number.isInteger(nodes) && nodes >= 1 && nodes <= MAX_NODES))
        throw new Error(`${arg}: the node count must be an integer from 1 to ${MAX_NODES}`);
      return { scenario: findScenario(name!), nodes };
    });
    link = validateLinkParams({
      ...DEFAULT_LINK,
      latencyMs: o.latency,
      jitterMs: o.jitter,
      jitter: o.jitterDist,
      lossRate: o.loss,
      resetRate: o.resets,
      bandwidthBytesPerSec: o.bandwidth ?? null,
    });
  } catch (e) {
    return program.error((e as Error).message, { exitCode: 2 });
  }
  const out = resolve(o.out ?? join("simnet-report", new Date().toISOString().replace(/[:.]/g, "-")));
  if (!o.out) {
    mkdirSync("simnet-report", { recursive: true });
    writeFileSync(join("simnet-report", ".gitignore"), "*\n"); // reports never end up in git
  }
  const workRoot = o.workdir ? resolve(o.workdir) : mkdtempSync(join(tmpdir(), "astram-simnet-"));
  const abort = new AbortController();
  let interrupts = 0;
  process.on("SIGINT", () => {
    interrupts++;
    if (interrupts === 1) {
      console.log("stopping (Ctrl-C again to exit at once)");
      abort.abort();
    } else process.exit(130); // the exit hook kills every node
  });
  process.on("SIGTERM", () => abort.abort());

  const records: RunRecord[] = [];
  const overheads: { scenario: string; overhead: RunnerOverhead }[] = [];
  const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
  try {
    for (const [i, { scenario, nodes }] of chosen.entries()) {
      if (abort.signal.aborted) break;
      const settings: ScenarioSettings = {
        nodes: nodes ?? scenario.defaults.nodes,
        miners: Math.min(o.miners ?? scenario.defaults.miners, nodes ?? scenario.defaults.nodes),
        pace: o.unpaced ? false : scenario.defaults.pace,
        durationSec: o.duration ?? scenario.defaults.durationSec,
        link,
        seed: o.seed,
      };
      const run = await runScenario(scenario, settings, {
        workDir: join(workRoot, `${i}-${scenario.name}`),
        signal: abort.signal,
        log,
        ...(o.nodeCli ? { nodeCli: resolve(o.nodeCli) } : {}),
      });
      records.push(run.record);
      overheads.push({ scenario: scenario.name, overhead: run.overhead });
      log(
        `${scenario.name}: runner overhead ${run.overhead.cpuPercent.toFixed(1)}% CPU, ` +
          `${(run.overhead.maxRssBytes / 2 ** 20).toFixed(0)} MB RSS`,
      );
    }
  } finally {
    if (!o.workdir) rmSync(workRoot, { recursive: true, force: true });
  }
  if (records.length === 0) {
    console.log("no run completed; no report written");
    process.exitCode = 1;
    return;
  }
  const summary = await writeReport(records, out);
  mkdirSync(join(out, "records"), { recursive: true });
  for (const [i, r] of records.entries())
    writeFileSync(join(out, "records", `${i}-${r.scenario}-${r.config.nodes}n.json`), JSON.stringify(r));
  writeFileSync(join(out, "runner.json"), `${JSON.stringify(overheads, null, 2)}\n`);
  for (const run of summary.runs) {
    const p = run.propagation.all;
    console.log(`\n## ${run.label}`);
    console.log(
      `  propagation p50 ${fmt(p?.p50)} ms, p99 ${fmt(p?.p99)} ms, max ${fmt(p?.max)} ms over ${p?.count ?? 0} pairs`,
    );
    for (const g of run.goals) console.log(`  [${g.status}] ${g.name}: ${g.measured} (goal ${g.target})`);
  }
  console.log(`\nreport: ${join(out, "report.md")}`);
}

const fmt = (v: number | undefined) => (v === undefined ? "-" : v.toFixed(0));

main().catch((e: unknown) => {
  console.error(`astram-simnet: ${(e as Error).stack ?? String(e)}`);
  process.exitCode = 1;
});
