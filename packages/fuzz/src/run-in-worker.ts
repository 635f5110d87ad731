import { Worker } from "node:worker_threads";
import { CRASHES_DIR, saveInput } from "./engine/corpus.js";
import type { FuzzProgress } from "./engine/fuzzer.js";
import { SHARED_HEADER, type WorkerJob, type WorkerMessage, type WorkerSummary } from "./worker-protocol.js";

/** Largest input the watchdog can recover from a killed worker. */
const MAX_SHARED_INPUT = 64 * 1024;
/** Watchdog tick: how often the heartbeat is read. */
const TICK_MS = 100;

export interface RunRequest extends Omit<WorkerJob, "shared"> {
  onProgress?(p: FuzzProgress): void;
}

/**
 * Runs one target in a worker thread and watches it: when no new execution starts for
 * `timeoutMs` after the worker is ready, the input it was running is a hang: the worker is
 * terminated and the input saved under crashes/.
 */
export function runInWorker(req: RunRequest): Promise<WorkerSummary> {
  const shared = new SharedArrayBuffer(SHARED_HEADER + MAX_SHARED_INPUT);
  const counters = new Int32Array(shared, 0, 2);
  const { onProgress, ...rest } = req;
  const job: WorkerJob = { ...rest, shared };
  const worker = new Worker(new URL("./worker.js", import.meta.url), { workerData: job });
  return new Promise((resolve, reject) => {
    let watchdog: NodeJS.Timeout | undefined;
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      fn();
    };
    worker.on("message", (m: WorkerMessage) => {
      if (m.type === "ready") {
        let seen = Atomics.load(counters, 0);
        let since = Date.now();
        watchdog = setInterval(() => {
          const now = Atomics.load(counters, 0);
          if (now !== seen) {
            seen = now;
            since = Date.now();
            return;
          }
          if (Date.now() - since < req.timeoutMs) return;
          const length = Atomics.load(counters, 1);
          const input = new Uint8Array(shared, SHARED_HEADER, length).slice();
          const file = saveInput(CRASHES_DIR, `${req.target}-timeout-`, input);
          const message = `no progress for ${req.timeoutMs} ms: the input hangs (worker terminated)`;
          finish(() => {
            void worker.terminate();
            resolve(hangSummary(req, now, message, file, input.length));
          });
        }, TICK_MS);
      } else if (m.type === "progress") onProgress?.(m.progress);
      else
        finish(() => {
          void worker.terminate();
          resolve(m.summary);
        });
    });
    worker.on("error", (e) => finish(() => reject(e)));
    worker.on("exit", (code) =>
      finish(() => reject(new Error(`fuzz worker for ${req.target} exited (${code}) before reporting`))),
    );
  });
}

function hangSummary(
  req: RunRequest,
  execs: number,
  message: string,
  file: string,
  size: number,
): WorkerSummary {
  return {
    target: req.target,
    seed: req.seed,
    execs,
    seconds: 0,
    execsPerSecond: 0,
    coveredBlocks: 0,
    knownBlocks: 0,
    coveredFunctions: 0,
    knownFunctions: 0,
    corpusSize: 0,
    batch: 0,
    takes: 0,
    takeShare: 0,
    newInputs: 0,
    savedTo: null,
    finding: { kind: "timeout", message, stack: "", file, size },
  };
}
