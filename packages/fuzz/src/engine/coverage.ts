import { Session } from "node:inspector";

interface Range {
  readonly startOffset: number;
  readonly endOffset: number;
  readonly count: number;
}
interface FunctionCoverage {
  readonly functionName: string;
  readonly ranges: readonly Range[];
}
interface ScriptCoverage {
  readonly scriptId: string;
  readonly url: string;
  readonly functions: readonly FunctionCoverage[];
}

/** The ranges (blocks) V8 has ever reported for one function, each with a global id. */
interface KnownFunction {
  readonly starts: number[];
  readonly ends: number[];
  readonly ids: number[];
  readonly byKey: Map<string, number>;
}

/**
 * Block coverage from V8's precise coverage (node:inspector, `Profiler.startPreciseCoverage` with
 * call counts and block detail). Each `take()` returns the blocks of the selected scripts that ran
 * since the previous take, and resets the counters.
 *
 * V8 leaves a block out of a report when it ran exactly as often as the block around it, so a
 * block's count is that of the innermost reported range containing it. Every range ever reported
 * is remembered, and on each take a known block that is absent counts as covered when its innermost
 * reported parent ran: taking a branch is seen even when the branch itself is not reported.
 */
export class CoverageCollector {
  private readonly session = new Session();
  private readonly included = new Map<string, boolean>();
  private readonly functions = new Map<string, KnownFunction>();
  private readonly functionBlocks = new Set<number>();
  private nextId = 0;
  private started = false;
  private include: (url: string) => boolean = () => false;

  /**
   * Start it before the code to measure is loaded: V8 only counts blocks in functions compiled
   * after precise coverage began (earlier ones report whole-function counts only).
   */
  constructor(include?: (url: string) => boolean) {
    if (include) this.include = include;
  }

  /** Which scripts count (by URL); set before the first take. */
  select(include: (url: string) => boolean): void {
    this.include = include;
    this.included.clear();
  }

  /** Blocks known so far in the selected scripts (functions never run count as one block). */
  get knownBlocks(): number {
    return this.nextId;
  }

  /** Functions known so far in the selected scripts. */
  get knownFunctions(): number {
    return this.functions.size;
  }

  start(): void {
    if (this.started) return;
    this.session.connect();
    this.post("Profiler.enable");
    this.post("Profiler.startPreciseCoverage", { callCount: true, detailed: true });
    this.started = true;
  }

  stop(): void {
    if (!this.started) return;
    this.post("Profiler.stopPreciseCoverage");
    this.post("Profiler.disable");
    this.session.disconnect();
    this.started = false;
  }

  /** Ids of the blocks that ran since the last take (selected scripts only). */
  take(): number[] {
    const { result } = this.post("Profiler.takePreciseCoverage") as { result: ScriptCoverage[] };
    const covered: number[] = [];
    for (const script of result) {
      if (!this.isIncluded(script)) continue;
      for (const fn of script.functions) this.collect(script.scriptId, fn, covered);
    }
    return covered;
  }

  /** True when the block is a function's outermost range (for function-level figures). */
  isFunctionBlock(id: number): boolean {
    return this.functionBlocks.has(id);
  }

  private isIncluded(script: ScriptCoverage): boolean {
    let yes = this.included.get(script.scriptId);
    if (yes === undefined) {
      yes = script.url !== "" && this.include(script.url);
      this.included.set(script.scriptId, yes);
    }
    return yes;
  }

  private collect(scriptId: string, fn: FunctionCoverage, covered: number[]): void {
    const ranges = fn.ranges;
    const outer = ranges[0];
    if (outer === undefined) return;
    // The module's top-level function spans the whole file; skip it (it is not a block of code
    // the fuzzer can steer, and it runs once at load).
    if (outer.startOffset === 0 && fn.functionName === "") return;
    const fnKey = `${scriptId}:${outer.startOffset}`;
    let known = this.functions.get(fnKey);
    if (known === undefined) {
      known = { starts: [], ends: [], ids: [], byKey: new Map() };
      this.functions.set(fnKey, known);
    }
    for (let i = 0; i < ranges.length; i++) {
      const r = ranges[i]!;
      const key = `${r.startOffset}:${r.endOffset}`;
      if (!known.byKey.has(key)) {
        const id = this.nextId++;
        known.byKey.set(key, id);
        known.starts.push(r.startOffset);
        known.ends.push(r.endOffset);
        known.ids.push(id);
        if (i === 0) this.functionBlocks.add(id);
      }
    }
    if (outer.count === 0) return;
    // Reported ranges are nested and sorted by start; the last one containing a block is its
    // innermost reported parent.
    for (let k = 0; k < known.ids.length; k++) {
      const s = known.starts[k]!;
      const e = known.ends[k]!;
      let count = 0;
      for (let i = 0; i < ranges.length; i++) {
        const r = ranges[i]!;
        if (r.startOffset > s) break;
        if (r.endOffset >= e) count = r.count;
      }
      if (count > 0) covered.push(known.ids[k]!);
    }
  }

  private post(method: string, params?: object): unknown {
    // An in-thread inspector session answers synchronously.
    let answer: unknown;
    let failure: Error | null = null;
    let answered = false;
    this.session.post(method, params, (err, res) => {
      failure = err;
      answer = res;
      answered = true;
    });
    if (!answered) throw new Error(`inspector did not answer ${method} synchronously`);
    if (failure) throw failure;
    return answer;
  }
}
