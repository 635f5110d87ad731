// The Machine: one meter, the switches, and the actor scheduler. `run(expr, env)` evaluates one
// expression and returns the whole value stack (bottom first); `runSource` evaluates every
// top-level form of a source string in order, on one stack, in one Env.

import { boolOption, ConfigError, intOption, numberOption, rejectUnknownKeys } from "../options.js";
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
  /** Count bytes read (default true). The seed's `meter_enabled` is accepted too. */
  meterEnabled?: boolean;
  /** Fail with MeterExceededError past this many bytes (default null = unlimited); or `meter_limit`. */
  meterLimit?: number | null;
  /** Enable spawn/send/receive (default true; when false they push NIL and pop nothing); or `allow_threading`. */
  allowThreading?: boolean;
  /** The seed's spelling of meterEnabled (`Machine(node, meter_enabled=True, meter_limit=1_000_000)`). */
  meter_enabled?: boolean;
  /** The seed's spelling of meterLimit. */
  meter_limit?: number | null;
  /** The seed's spelling of allowThreading. */
  allow_threading?: boolean;
  /** Host-protection bounds (call depth, stack size, heap fraction). */
  limits?: Partial<MachineLimits>;
}

const MACHINE_OPTION_KEYS: ReadonlySet<string> = new Set([
  "meterEnabled",
  "meterLimit",
  "allowThreading",
  "meter_enabled",
  "meter_limit",
  "allow_threading",
  "limits",
]);
const LIMIT_KEYS: ReadonlySet<string> = new Set(Object.keys(DEFAULT_LIMITS));

/** The option under its camelCase name or the seed's snake_case one (not both). */
function either(options: MachineOptions, camel: keyof MachineOptions, snake: keyof MachineOptions): object {
  const o = options as Record<string, unknown>;
  if (o[camel] !== undefined && o[snake] !== undefined)
    throw new ConfigError(snake, `given twice (as ${camel} and ${snake})`);
  return o[snake] !== undefined ? { [camel]: o[snake] } : { [camel]: o[camel] };
}

/**
 * Checks Machine options: known keys only (a ConfigError names the first unknown one), the seed's
 * snake_case spellings mapped to camelCase, and each value's type.
 */
function machineSettings(options: MachineOptions): {
  meterEnabled: boolean;
  meterLimit: number | null;
  allowThreading: boolean;
  limits: MachineLimits;
} {
  rejectUnknownKeys(options, MACHINE_OPTION_KEYS, "Machine option");
  const limits = options.limits ?? {};
  if (typeof limits !== "object" || limits === null) throw new ConfigError("limits", "expected an object");
  rejectUnknownKeys(limits, LIMIT_KEYS, "Machine limits");
  const limitValue = (either(options, "meterLimit", "meter_limit") as { meterLimit?: unknown }).meterLimit;
  return {
    meterEnabled: boolOption(either(options, "meterEnabled", "meter_enabled"), "meterEnabled", true),
    meterLimit:
      limitValue === null || limitValue === undefined
        ? null
        : intOption({ meterLimit: limitValue }, "meterLimit", 0),
    allowThreading: boolOption(either(options, "allowThreading", "allow_threading"), "allowThreading", true),
    limits: {
      maxCallDepth: intOption(limits, "maxCallDepth", DEFAULT_LIMITS.maxCallDepth, 1),
      maxStackSize: intOption(limits, "maxStackSize", DEFAULT_LIMITS.maxStackSize, 1),
      maxHeapFraction: numberOption(limits, "maxHeapFraction", DEFAULT_LIMITS.maxHeapFraction, 0, true),
    },
  };
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
    const settings = machineSettings(options);
    this.node = node ?? null;
    this.meter = new Meter(settings.meterEnabled, settings.meterLimit);
    this.allowThreading = settings.allowThreading;
    this.limits = settings.limits;
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
