import type { FuzzProgress } from "./engine/fuzzer.js";

/** What the CLI hands its worker. */
export interface WorkerJob {
  /** A built-in target, or a module exporting `target` (tests' toy targets). */
  readonly target: string;
  readonly modulePath?: string;
  readonly seed: number;
  readonly seconds?: number;
  readonly maxExecs?: number;
  readonly timeoutMs: number;
  readonly coverage: boolean;
  readonly fixedBatch?: number;
  readonly save: boolean;
  /** [0] executions started (heartbeat), [1] length of the current input, then the input bytes. */
  readonly shared: SharedArrayBuffer;
}

export const SHARED_HEADER = 8;

/** The summary a worker sends back (a FuzzReport without the inputs). */
export interface WorkerSummary extends FuzzProgress {
  readonly target: string;
  readonly seed: number;
  readonly coveredFunctions: number;
  readonly knownFunctions: number;
  readonly takes: number;
  readonly takeShare: number;
  readonly newInputs: number;
  readonly savedTo: string | null;
  readonly finding: {
    readonly kind: "crash" | "timeout";
    readonly message: string;
    readonly stack: string;
    readonly file: string;
    readonly size: number;
  } | null;
}

export type WorkerMessage =
  | { readonly type: "ready"; readonly corpus: number }
  | { readonly type: "progress"; readonly progress: FuzzProgress }
  | { readonly type: "done"; readonly summary: WorkerSummary };
