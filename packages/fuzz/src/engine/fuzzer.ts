import { performance } from "node:perf_hooks";
import type { FuzzTarget } from "../targets/target.js";
import type { CoverageCollector } from "./coverage.js";
import { describeError, type ExecOutcome, type Finding, signatureOf } from "./findings.js";
import { minimize } from "./minimize.js";
import { Mutator } from "./mutator.js";
import { Rng } from "./rng.js";

export interface FuzzOptions {
  readonly seed: number;
  /** Stop after this many executions (deterministic runs, as in `npm test`). */
  readonly maxExecs?: number;
  /** Stop after this many seconds. */
  readonly seconds?: number;
  /** An input running longer than this is a finding (hangs that end; the CLI's watchdog ends the others). */
  readonly timeoutMs?: number;
  /**
   * A started collector (start it before loading the target: see CoverageCollector), or null for
   * no coverage at all (mutate the starting corpus only: the bare reference of the bench).
   */
  readonly collector: CoverageCollector | null;
  /** Take coverage after exactly this many executions instead of the adaptive batch. */
  readonly fixedBatch?: number;
  /** Attempts spent shrinking a finding. */
  readonly minimizeBudget?: number;
  readonly progressEveryMs?: number;
  onProgress?(p: FuzzProgress): void;
  /** Called before every execution (the CLI's worker publishes the input for its watchdog). */
  beforeExec?(input: Uint8Array): void;
}

export interface FuzzProgress {
  readonly execs: number;
  readonly seconds: number;
  readonly execsPerSecond: number;
  readonly coveredBlocks: number;
  readonly knownBlocks: number;
  readonly corpusSize: number;
  readonly batch: number;
}

export interface FuzzReport extends FuzzProgress {
  readonly target: string;
  readonly seed: number;
  readonly coveredFunctions: number;
  readonly knownFunctions: number;
  /** Coverage takes, and the share of the run's time they used. */
  readonly takes: number;
  readonly takeShare: number;
  /** Inputs that reached new blocks during this run (not the starting corpus). */
  readonly newInputs: Uint8Array[];
  readonly finding: Finding | null;
}

const MIN_BATCH = 8;
const MAX_BATCH = 65_536;
/** Most time one batch should take, so progress and the watchdog stay responsive. */
const MAX_BATCH_MS = 250;

/**
 * The fuzzing loop: mutate a corpus entry, run it, and every `batch` executions take coverage.
 * A take costs milliseconds (V8 walks the heap), an execution microseconds, so coverage is taken
 * per batch, and the batch doubles after each take up to what runs in MAX_BATCH_MS. A batch that
 * reached new blocks is bisected (re-run by halves, taking coverage for each) down to the inputs
 * responsible, which join the corpus: about 2·log2(batch) takes per new input, so a large batch
 * stays cheap even while new inputs are frequent.
 */
export class Fuzzer<Context> {
  private readonly rng: Rng;
  private readonly mutator: Mutator;
  private readonly collector: CoverageCollector | null;
  private readonly covered = new Set<number>();
  private readonly coveredFns = new Set<number>();
  private readonly corpus: Uint8Array[];
  private readonly newInputs: Uint8Array[] = [];
  private execs = 0;
  private takes = 0;
  private takeMs = 0;
  private batch = MIN_BATCH;
  private execMsAverage = 0.05;
  private startedAt = 0;
  private finding: Finding | null = null;

  constructor(
    private readonly target: FuzzTarget<Context>,
    private readonly context: Context,
    corpus: readonly Uint8Array[],
    private readonly options: FuzzOptions,
  ) {
    this.rng = new Rng(options.seed);
    this.mutator = new Mutator(this.rng, target.dictionary, target.maxLength);
    this.corpus = corpus.length > 0 ? [...corpus] : [new Uint8Array(0)];
    this.collector = options.collector;
    this.collector?.select((url) => target.coverage.test(url));
    if (options.fixedBatch !== undefined) this.batch = options.fixedBatch;
  }

  async run(): Promise<FuzzReport> {
    const o = this.options;
    this.startedAt = performance.now();
    const deadline = o.seconds === undefined ? Number.POSITIVE_INFINITY : this.startedAt + o.seconds * 1000;
    const maxExecs = o.maxExecs ?? Number.POSITIVE_INFINITY;
    let nextProgress = this.startedAt + (o.progressEveryMs ?? 1000);
    // What ran while loading and setting up is not the fuzzer's doing: reset, then the corpus once.
    this.take();
    for (const input of this.corpus) if (!(await this.exec(input))) return this.report();
    this.absorb(this.take());
    while (this.execs < maxExecs && performance.now() < deadline) {
      const inputs: Uint8Array[] = [];
      const n = Math.min(this.batch, maxExecs - this.execs);
      for (let i = 0; i < n; i++) {
        const input = this.next();
        inputs.push(input);
        if (!(await this.exec(input))) return this.report();
      }
      if (this.collector) await this.afterBatch(inputs);
      if (this.finding) return this.report();
      const now = performance.now();
      if (o.onProgress && now >= nextProgress) {
        o.onProgress(this.progress());
        nextProgress = now + (o.progressEveryMs ?? 1000);
      }
    }
    return this.report();
  }

  /** Replays one input: its outcome (no coverage, no mutation). */
  static async replay<C>(target: FuzzTarget<C>, context: C, input: Uint8Array): Promise<ExecOutcome> {
    try {
      const r = target.run(input, context);
      if (r instanceof Promise) await r;
      return { kind: "accepted" };
    } catch (error) {
      return target.expected(error) ? { kind: "rejected" } : { kind: "crash", error };
    }
  }

  private next(): Uint8Array {
    const c = this.corpus;
    // Newer entries are where the frontier is: half the picks come from the last 16.
    const base = this.rng.chance(0.5)
      ? c[c.length - 1 - this.rng.below(Math.min(16, c.length))]!
      : this.rng.pick(c);
    return this.mutator.mutate(base, this.rng.pick(c));
  }

  /** Runs one input; false when it was a finding (the run stops). */
  private async exec(input: Uint8Array): Promise<boolean> {
    this.options.beforeExec?.(input);
    const t0 = performance.now();
    const outcome = await Fuzzer.replay(this.target, this.context, input);
    const ms = performance.now() - t0;
    this.execs++;
    this.execMsAverage = this.execMsAverage * 0.99 + ms * 0.01;
    if (outcome.kind === "crash") {
      await this.record("crash", input, outcome.error);
      return false;
    }
    const limit = this.options.timeoutMs;
    if (limit !== undefined && ms > limit) {
      await this.record("timeout", input, new Error(`input ran ${ms.toFixed(0)} ms (bound ${limit} ms)`));
      return false;
    }
    return true;
  }

  private async record(kind: Finding["kind"], input: Uint8Array, error: unknown): Promise<void> {
    const signature = kind === "timeout" ? "timeout" : signatureOf(error);
    const small =
      kind === "timeout"
        ? input
        : await minimize(
            input,
            async (candidate) => {
              this.options.beforeExec?.(candidate);
              const o = await Fuzzer.replay(this.target, this.context, candidate);
              return o.kind === "crash" && signatureOf(o.error) === signature;
            },
            this.options.minimizeBudget ?? 2000,
          );
    const finalError =
      kind === "timeout"
        ? error
        : (((await Fuzzer.replay(this.target, this.context, small)) as { error?: unknown }).error ?? error);
    this.finding = { kind, input: small, signature, ...describeError(finalError) };
  }

  private take(): number[] {
    if (!this.collector) return [];
    const t0 = performance.now();
    const ids = this.collector.take();
    this.takeMs += performance.now() - t0;
    this.takes++;
    return ids;
  }

  /** Marks blocks covered; returns how many were new. */
  private absorb(ids: readonly number[]): number {
    let fresh = 0;
    for (const id of ids) {
      if (this.covered.has(id)) continue;
      this.covered.add(id);
      if (this.collector?.isFunctionBlock(id)) this.coveredFns.add(id);
      fresh++;
    }
    return fresh;
  }

  private novel(ids: readonly number[]): number[] {
    return ids.filter((id) => !this.covered.has(id));
  }

  private async afterBatch(inputs: Uint8Array[]): Promise<void> {
    const fresh = this.novel(this.take());
    if (this.options.fixedBatch === undefined) {
      const cap = Math.max(MIN_BATCH, Math.min(MAX_BATCH, Math.floor(MAX_BATCH_MS / this.execMsAverage)));
      this.batch = Math.min(cap, this.batch * 2);
    }
    if (fresh.length === 0) return;
    await this.attribute(inputs, fresh);
    // Whatever no single input reproduces (state carried between runs) is not chased again.
    this.absorb(fresh);
  }

  /** Bisects a group that reached new blocks down to the inputs that did; they join the corpus. */
  private async attribute(group: Uint8Array[], fresh: number[]): Promise<void> {
    if (group.length === 1) {
      if (this.absorb(fresh) > 0) {
        this.corpus.push(group[0]!);
        this.newInputs.push(group[0]!);
      }
      return;
    }
    const mid = group.length >> 1;
    for (const half of [group.slice(0, mid), group.slice(mid)]) {
      for (const input of half) if (!(await this.exec(input))) return;
      const found = this.novel(this.take());
      if (found.length > 0) await this.attribute(half, found);
    }
  }

  private progress(): FuzzProgress {
    const seconds = (performance.now() - this.startedAt) / 1000;
    return {
      execs: this.execs,
      seconds,
      execsPerSecond: this.execs / Math.max(seconds, 1e-9),
      coveredBlocks: this.covered.size,
      knownBlocks: this.collector?.knownBlocks ?? 0,
      corpusSize: this.corpus.length,
      batch: this.batch,
    };
  }

  private report(): FuzzReport {
    const p = this.progress();
    return {
      ...p,
      target: this.target.name,
      seed: this.options.seed,
      coveredFunctions: this.coveredFns.size,
      knownFunctions: this.collector?.knownFunctions ?? 0,
      takes: this.takes,
      takeShare: this.takeMs / 1000 / Math.max(p.seconds, 1e-9),
      newInputs: this.newInputs,
      finding: this.finding,
    };
  }
}
