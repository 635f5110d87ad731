#!/usr/bin/env node
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { DEFAULT_LINK, validateLinkParams } from "../link/link-model.js";
import { MAX_ASTREUM_NODES } from "./address-plan.js";
import type { AstreumRunRecord } from "./run-record.js";
import { ASTREUM_SCENARIOS, findAstreumScenario, runAstreumScenario } from "./scenarios.js";
import { writeAstreumReport } from "./write-report.js";

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

const program = new Command("astreum-simnet")
  .description(
    "Run real `astreum node` processes on this machine, each behind a UDP relay on its own loopback\n" +
      "address (latency, jitter, real loss), drive a scenario and report head lag, share on the\n" +
      "validator's head, late joiners' adoption time, fake peers admitted and restart follow time.",
  )
  .argument("<scenario...>", `one or more of: ${ASTREUM_SCENARIOS.map((s) => s.name).join(", ")}`)
  .option("--nodes <n>", "nodes in all, validator included", number("--nodes", 2, MAX_ASTREUM_NODES, true))
  .option(
    "--joiners <n>",
    "late-joining verifiers (flood, idle)",
    number("--joiners", 0, MAX_ASTREUM_NODES, true),
  )
  .option("--duration <s>", "seconds of the main phase", number("--duration", 1, 86_400))
  .option("--flood-rate <n>", "fake handshakes per second (flood)", number("--flood-rate", 1, 100_000))
  .option(
    "--idle <s>",
    "seconds without transactions before joiners come (idle)",
    number("--idle", 0, 86_400),
  )
  .option(
    "--verify-interval <s>",
    "verify_blockchain_interval of every node",
    number("--verify-interval", 0.1, 600),
    2,
  )
  .option("--latency <ms>", "one-way link latency", number("--latency", 0, 10_000), 20)
  .option("--jitter <ms>", "uniform jitter (±)", number("--jitter", 0, 10_000), 10)
  .option("--loss <p>", "datagram loss probability (really dropped)", number("--loss", 0, 0.99), 0.01)
  .option("--seed <n>", "seed of the links and the topology", number("--seed", 0, 2 ** 31 - 1, true), 1)
  .option("--out <dir>", "report folder (default simnet-report/astreum-<timestamp>/, git-ignored)")
  .option("--workdir <dir>", "nodes' state directories (default: a temp folder, removed after)")
  .option("--astreum-cli <file>", "astreum CLI to run (default: the built packages/astreum/dist/cli/main.js)")
  .addHelpText(
    "after",
    `\nScenarios:\n${ASTREUM_SCENARIOS.map((s) => `  ${s.name.padEnd(9)} ${s.summary}`).join("\n")}\n\n` +
      "Every wait is bounded; Ctrl-C stops early and still writes the report.\n",
  );

interface Options {
  nodes?: number;
  joiners?: number;
  duration?: number;
  floodRate?: number;
  idle?: number;
  verifyInterval: number;
  latency: number;
  jitter: number;
  loss: number;
  seed: number;
  out?: string;
  workdir?: string;
  astreumCli?: string;
}

async function main(): Promise<void> {
  program.parse();
  const o = program.opts<Options>();
  let chosen: ReturnType<typeof findAstreumScenario>[];
  try {
    chosen = (program.processedArgs[0] as string[]).map(findAstreumScenario);
  } catch (e) {
    return program.error((e as Error).message, { exitCode: 2 });
  }
  const link = validateLinkParams({
    ...DEFAULT_LINK,
    latencyMs: o.latency,
    jitterMs: o.jitter,
    lossRate: o.loss,
  });
  const out = resolve(
    o.out ?? join("simnet-report", `astreum-${new Date().toISOString().replace(/[:.]/g, "-")}`),
  );
  if (!o.out) {
    mkdirSync("simnet-report", { recursive: true });
    writeFileSync(join("simnet-report", ".gitignore"), "*\n");
  }
  const workRoot = o.workdir ? resolve(o.workdir) : mkdtempSync(join(tmpdir(), "astreum-simnet-"));
  const abort = new AbortController();
  process.on("SIGINT", () => abort.abort());
  process.on("SIGTERM", () => abort.abort());
  const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
  const records: AstreumRunRecord[] = [];
  try {
    for (const scenario of chosen) {
      if (abort.signal.aborted) break;
      const d = scenario.defaults;
      const { record, error } = await runAstreumScenario(scenario, {
        nodes: o.nodes ?? d.nodes ?? 20,
        joiners: o.joiners ?? d.joiners ?? 0,
        durationSec: o.duration ?? d.durationSec ?? 60,
        floodRate: o.floodRate ?? d.floodRate ?? 0,
        idleSec: o.idle ?? d.idleSec ?? 0,
        verifyIntervalSec: o.verifyInterval,
        link,
        seed: o.seed,
        workdir: join(workRoot, scenario.name),
        log,
        signal: abort.signal,
        ...(o.astreumCli ? { cli: resolve(o.astreumCli) } : {}),
      });
      if (error) log(`${scenario.name}: stopped early: ${error.message}`);
      records.push(record);
    }
  } finally {
    if (!o.workdir) rmSync(workRoot, { recursive: true, force: true });
  }
  const figures = await writeAstreumReport(records, out);
  for (const f of figures)
    console.log(
      `\n## ${f.scenario}: ${f.nodes} nodes, height ${f.validatorHeight}, all on head ${f.finalAllOnHead}, ` +
        `fake peers admitted ${f.fakePeersAdmitted}, late joiners within 2 intervals ${f.lateJoinersWithinTwoIntervals ?? "-"}, ` +
        `restarts ${JSON.stringify(f.restarts)}`,
    );
  console.log(`\nreport: ${join(out, "report.md")}`);
}

main().catch((e: unknown) => {
  console.error(`astreum-simnet: ${(e as Error).stack ?? String(e)}`);
  process.exitCode = 1;
});
