// The fuzzing worker: starts V8 coverage before the targets load (so their blocks are counted),
// runs one target, and publishes each input before running it so the CLI's watchdog can save the
// input of a hang it has to kill.
import { parentPort, workerData } from "node:worker_threads";
import { CRASHES_DIR, corpusDir, loadCorpus, saveInput } from "./engine/corpus.js";
import { CoverageCollector } from "./engine/coverage.js";
import { Fuzzer } from "./engine/fuzzer.js";
import type { FuzzTarget } from "./targets/target.js";
import { SHARED_HEADER, type WorkerJob, type WorkerMessage, type WorkerSummary } from "./worker-protocol.js";

const job = workerData as WorkerJob;
const post = (m: WorkerMessage) => parentPort!.postMessage(m);

const collector = job.coverage ? new CoverageCollector() : null;
collector?.start();

async function loadTarget(): Promise<FuzzTarget> {
  if (job.modulePath) return ((await import(job.modulePath)) as { target: FuzzTarget }).target;
  const { findTarget } = await import("./targets/index.js");
  const t = findTarget(job.target);
  if (!t) throw new Error(`unknown target ${job.target}`);
  return t;
}

const target = await loadTarget();
const context = target.setup ? await target.setup() : undefined;
const files = loadCorpus(target.name).map((f) => f.bytes);
const corpus = files.length > 0 ? files : target.seeds();
const counters = new Int32Array(job.shared, 0, 2);
const current = new Uint8Array(job.shared, SHARED_HEADER);
post({ type: "ready", corpus: corpus.length });

const report = await new Fuzzer(target, context, corpus, {
  seed: job.seed,
  ...(job.seconds === undefined ? {} : { seconds: job.seconds }),
  ...(job.maxExecs === undefined ? {} : { maxExecs: job.maxExecs }),
  ...(job.fixedBatch === undefined ? {} : { fixedBatch: job.fixedBatch }),
  timeoutMs: job.timeoutMs,
  collector,
  onProgress: (progress) => post({ type: "progress", progress }),
  beforeExec(input) {
    const n = Math.min(input.length, current.length);
    current.set(input.subarray(0, n));
    Atomics.store(counters, 1, n);
    Atomics.add(counters, 0, 1);
  },
}).run();
collector?.stop();
if (target.teardown) await target.teardown(context);

let savedTo: string | null = null;
if (job.save && report.newInputs.length > 0) {
  for (const input of report.newInputs) saveInput(corpusDir(target.name), "cov-", input);
  savedTo = corpusDir(target.name);
}
const f = report.finding;
const summary: WorkerSummary = {
  ...report,
  newInputs: report.newInputs.length,
  savedTo,
  finding: f
    ? {
        kind: f.kind,
        message: f.message,
        stack: f.stack,
        file: saveInput(CRASHES_DIR, `${target.name}-${f.kind}-`, f.input),
        size: f.input.length,
      }
    : null,
};
post({ type: "done", summary });
