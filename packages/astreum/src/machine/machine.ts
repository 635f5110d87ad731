// The Machine: one meter, the switches, and the actor scheduler. `run(expr, env)` evaluates one
// expression and returns the whole value stack (bottom first); `runSource` evaluates every
// top-level form of a source string in order, on one stack, in one Env.
import { type ActorFailure, type ActorInfo, Scheduler } from "./actors.js";
import { Env } from "./env.js";
import { MachineError } from "./errors.js";
import { Task } from "./evaluator.js";
import type { Expr } from "./expr.js";
import { Meter } from "./meter.js";
import { parseAll } from "./parser.js";
import { DEFAULT_LIMITS, type MachineCounters, type MachineLimits, type Runtime } from "./runtime.js";

/**
 * What the machine needs from its node. Nothing yet: operators that read atoms from storage will
 * add their requirements here in a later issue. Pass `null` (or any node object) meanwhile.
 */
export type MachineNode = object;

export interface MachineOptions {
  /** Count bytes read (default true). */
  meterEnabled?: boolean;
  /** Fail with MeterExceededError past this many bytes (default null = unlimited). */
  meterLimit?: number | null;
  /** Enable spawn/send/receive (default true); when false they push NIL and pop nothing. */
  allowThreading?: boolean;
  /** Host-protection bounds (call depth, stack size, heap fraction). */
  limits?: Partial<MachineLimits>;
}

export class Machine implements Runtime {
  readonly node: MachineNode | null;
  readonly meter: Meter;
  readonly allowThreading: boolean;
  readonly limits: MachineLimits;
  readonly counters: MachineCounters = { operatorApplications: 0 };
  readonly actors: Scheduler = new Scheduler();
  private running = false;

  constructor(node?: MachineNode | null, options: MachineOptions = {}) {
    this.node = node ?? null;
    this.meter = new Meter(options.meterEnabled ?? true, options.meterLimit ?? null);
    this.allowThreading = options.allowThreading ?? true;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.actors.attach(this);
  }

  /** Evaluates `expr` in `env` (a fresh Env by default) and returns the resulting stack. */
  run(expr: Expr, env: Env = new Env()): Expr[] {
    return this.evaluate([expr], env);
  }

  /**
   * Tokenizes and parses all of `source` first (a ParseError runs nothing), then evaluates every
   * top-level form in order on one stack in `env`, as if they were written inside one list.
   */
  runSource(source: string, env: Env = new Env()): Expr[] {
    return this.evaluate(parseAll(source), env);
  }

  /** Live actors and what they are doing. */
  listActors(): ActorInfo[] {
    return this.actors.actors();
  }

  /** Actors that ended with an error since the last call (their errors never reach `run`). */
  takeActorFailures(): ActorFailure[] {
    return this.actors.drainFailures();
  }

  private evaluate(forms: readonly Expr[], env: Env): Expr[] {
    if (this.running)
      throw new MachineError("MACHINE_BUSY", "run called while this machine is already running");
    const main = new Task(this, null, env);
    for (let i = forms.length - 1; i >= 0; i--) main.work.push(forms[i]!);
    this.running = true;
    try {
      this.actors.drive(main);
    } finally {
      this.running = false;
    }
    return main.stack;
  }
}
