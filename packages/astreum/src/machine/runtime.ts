// What a running task sees of its machine: the shared meter, the switches, the limits and the actor
// system. Kept as interfaces so operators depend on shapes, not on the Machine class.
import type { Task } from "./evaluator.js";
import type { Expr, SymbolExpr } from "./expr.js";
import type { Meter } from "./meter.js";

/** Host-protection bounds; each ends a program with a typed error instead of a host failure. */
export interface MachineLimits {
  /** Nested non-tail `fn` calls per actor (tail calls do not count). */
  maxCallDepth: number;
  /** Values on one value stack, and pending work items, per actor. */
  maxStackSize: number;
  /** Fraction of the JavaScript heap limit past which the running program is stopped. */
  maxHeapFraction: number;
}

export const DEFAULT_LIMITS: MachineLimits = {
  maxCallDepth: 100_000,
  maxStackSize: 10_000_000,
  maxHeapFraction: 0.85,
};

/** Counters for benchmarks and tools. */
export interface MachineCounters {
  /** Operator applications (every evaluated operator symbol), across all runs and actors. */
  operatorApplications: number;
}

/** Actor operations a task can ask for (implemented by the scheduler in actors.ts). */
export interface ActorHost {
  /** Registers a mailbox and an actor running `body`; false when the name is taken. */
  spawn(spawner: Task, name: SymbolExpr, body: Expr): boolean;
  /** Delivers `msg` to the mailbox `target`; false when there is no such mailbox. */
  send(target: string, msg: Expr): boolean;
  /**
   * Takes the next message of mailbox `target`: the message, null when there is no such mailbox,
   * or undefined when the task was suspended until one arrives.
   */
  receive(task: Task, target: SymbolExpr): Expr | null | undefined;
}

export interface Runtime {
  readonly meter: Meter;
  readonly allowThreading: boolean;
  readonly limits: MachineLimits;
  readonly counters: MachineCounters;
  readonly actors: ActorHost;
}
