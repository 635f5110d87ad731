#!/usr/bin/env node
// npm run fuzz -- TARGET|all --seconds N [--seed S] [--runs N] [--save] [--json]
//                 --list | --replay FILE | --record-seeds
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { parseArgs } from "node:util";
import { corpusDir, SEED_PREFIX, saveInput } from "./engine/corpus.js";
import { Fuzzer } from "./engine/fuzzer.js";
import { runInWorker } from "./run-in-worker.js";
import { findTarget, TARGETS } from "./targets/index.js";
import type { WorkerSummary } from "./worker-protocol.js";

const USAGE = `usage: npm run fuzz -- TARGET|all [options]
  --seconds N      run each target for N seconds (default 10)
  --runs N         stop each target after N executions instead (deterministic with --seed)
  --seed S         mutation seed (default: random, printed)
  --timeout-ms N   per-input time bound: slower inputs and hangs are findings (default 2000)
  --save           write inputs that reached new blocks to corpus/TARGET/
  --json           one JSON summary per target on stdout
  --no-coverage    mutate the committed corpus without coverage (a reference for speed)
  --batch N        take coverage every N executions instead of the adaptive batch
  --target-module  PATH  a module exporting \`target\` (instead of a built-in one)
  --list           list the targets
  --replay FILE    run one input on TARGET and print what happens
  --record-seeds   write each target's recorded valid inputs to corpus/TARGET/seed-*.bin`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seconds: { type: "string" },
    runs: { type: "string" },
    seed: { type: "string" },
    "timeout-ms": { type: "string" },
    save: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    "no-coverage": { type: "boolean", default: false },
    batch: { type: "string" },
    "target-module": { type: "string" },
    list: { type: "boolean", default: false },
    replay: { type: "string" },
    "record-seeds": { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});

function intOption(name: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) {
    console.error(`--${name} must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
    process.exit(2);
  }
  return n;
}

const rel = (p: string) => relative(process.cwd(), p) || ".";

function line(
  s: { target: string } & Omit<
    WorkerSummary,
    | "target"
    | "seed"
    | "finding"
    | "savedTo"
    | "newInputs"
    | "coveredFunctions"
    | "knownFunctions"
    | "takes"
    | "takeShare"
  >,
): string {
  return (
    `[${s.target}] ${s.seconds.toFixed(1)}s execs ${s.execs} (${Math.round(s.execsPerSecond)}/s) ` +
    `blocks ${s.coveredBlocks}/${s.knownBlocks} corpus ${s.corpusSize} batch ${s.batch}`
  );
}

async function main(): Promise<number> {
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.list) {
    for (const t of TARGETS) console.log(`${t.name.padEnd(18)} ${t.description}`);
    return 0;
  }
  const modulePath = values["target-module"];
  const names =
    positionals[0] === "all" || (values["record-seeds"] && positionals.length === 0)
      ? TARGETS.map((t) => t.name)
      : positionals;
  if (names.length === 0 && !modulePath) {
    console.error(USAGE);
    return 2;
  }
  for (const n of names)
    if (!modulePath && !findTarget(n)) {
      console.error(`unknown target ${JSON.stringify(n)}; --list shows them`);
      return 2;
    }

  if (values["record-seeds"]) {
    for (const n of names) {
      const t = findTarget(n)!;
      const seeds = t.seeds();
      for (const s of seeds) saveInput(corpusDir(n), SEED_PREFIX, s);
      console.log(`${n}: ${seeds.length} seed(s) in ${rel(corpusDir(n))}`);
    }
    return 0;
  }

  if (values.replay !== undefined) {
    const t = modulePath
      ? ((await import(modulePath)) as { target: import("./targets/target.js").FuzzTarget }).target
      : findTarget(names[0]!)!;
    const input = new Uint8Array(readFileSync(values.replay));
    const context = t.setup ? await t.setup() : undefined;
    const outcome = await Fuzzer.replay(t, context, input);
    if (t.teardown) await t.teardown(context);
    if (outcome.kind === "crash") {
      console.log(`${t.name}: CRASH on ${values.replay} (${input.length} bytes)`);
      console.log(
        outcome.error instanceof Error
          ? (outcome.error.stack ?? outcome.error.message)
          : String(outcome.error),
      );
      return 1;
    }
    console.log(`${t.name}: ${outcome.kind} (${input.length} bytes)`);
    return 0;
  }

  const seed = intOption("seed", values.seed, 0) ?? Math.floor(Math.random() * 2 ** 31);
  const maxExecs = intOption("runs", values.runs, 1);
  const seconds =
    maxExecs === undefined
      ? (intOption("seconds", values.seconds, 1) ?? 10)
      : intOption("seconds", values.seconds, 1);
  const timeoutMs = intOption("timeout-ms", values["timeout-ms"], 1) ?? 2000;
  const fixedBatch = intOption("batch", values.batch, 1);
  if (!values.json) console.log(`seed ${seed} (replay this run with --seed ${seed})`);
  let findings = 0;
  for (const name of modulePath ? [names[0] ?? "custom"] : names) {
    const summary = await runInWorker({
      target: name,
      ...(modulePath ? { modulePath } : {}),
      seed,
      ...(seconds === undefined ? {} : { seconds }),
      ...(maxExecs === undefined ? {} : { maxExecs }),
      ...(fixedBatch === undefined ? {} : { fixedBatch }),
      timeoutMs,
      coverage: !values["no-coverage"],
      save: values.save,
      ...(values.json ? {} : { onProgress: (p) => console.log(line({ target: name, ...p })) }),
    });
    if (values.json) console.log(JSON.stringify(summary));
    else {
      console.log(
        `${line(summary)} functions ${summary.coveredFunctions}/${summary.knownFunctions} ` +
          `coverage time ${(summary.takeShare * 100).toFixed(0)}% new inputs ${summary.newInputs}` +
          (summary.savedTo ? ` saved to ${rel(summary.savedTo)}` : ""),
      );
    }
    const f = summary.finding;
    if (f) {
      findings++;
      if (!values.json) {
        console.log(`[${name}] ${f.kind.toUpperCase()}: ${f.message}\n${f.stack}`);
        console.log(`  input (${f.size} bytes): ${rel(f.file)}`);
        console.log(`  replay: npm run fuzz -- ${name} --replay ${relative(process.cwd(), f.file)}`);
      }
    }
  }
  return findings > 0 ? 1 : 0;
}

process.exitCode = await main();
