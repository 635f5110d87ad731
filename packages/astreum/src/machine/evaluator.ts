// The evaluator (facts §5.6 with the decisions of spec/astreum.md): postfix evaluation onto a value
// stack, lists evaluated in place, Bytes push themselves, bound symbols push their value, unbound
// ones push NIL, operator symbols apply. It is iterative: a `work` array holds the expressions still
// to evaluate and the return markers of `fn` calls, so neither deep nesting nor deep recursion
// touches the JavaScript stack. A Task is one line of evaluation (the main program or one actor);
// it runs in slices so the scheduler can interleave actors and suspend one on `receive`.
import { listSteps, QUOTE_TAG, type Step, UNRESOLVED_TAG } from "./compile.js";
import { Env } from "./env.js";
import { CallDepthExceededError, UnresolvedExprError } from "./errors.js";
import { BYTES_TAG, type Expr, LINK_TAG, NIL, SYMBOL_TAG } from "./expr.js";
import type { Meter } from "./meter.js";
import { OPERATORS, operatorIndex } from "./operators/index.js";
import type { Runtime } from "./runtime.js";
import { DONE, RUNNABLE, type TaskState } from "./task-state.js";

export const FRAME_TAG = 3;

/** Return marker of a non-tail `fn` call: what to restore when the body's work is done. */
export class CallFrame {
  readonly tag = FRAME_TAG;
  constructor(
    readonly env: Env,
    readonly stack: Expr[],
    /** Result when the body leaves an empty stack (set by tail calls; undefined = push nothing). */
    public fallback: Expr | undefined,
  ) {}
}

export type WorkItem = Step | CallFrame;

export class Task {
  /** Value stack of the current call frame (top = last element). */
  stack: Expr[] = [];
  env: Env;
  readonly work: WorkItem[] = [];
  /** Non-tail `fn` calls in progress. */
  depth = 0;
  state: TaskState = RUNNABLE;
  error: unknown = undefined;
  /** A message handed over while suspended in `receive`, pushed when the task resumes. */
  delivered: Expr | undefined = undefined;
  /** Size of the receive target, charged with the delivered message. */
  deliveredTargetSize = 0;
  readonly meter: Meter;

  constructor(
    readonly runtime: Runtime,
    /** Actor name, or null for the main program. */
    readonly name: string | null,
    env: Env,
  ) {
    this.env = env;
    this.meter = runtime.meter;
  }

  /** "main program" or "actor 'name'": used in messages. */
  get label(): string {
    return this.name === null ? "main program" : `actor '${this.name}'`;
  }

  /**
   * Evaluates up to `budget` work items. Returns with `state` DONE (no work left), BLOCKED (waiting
   * in receive), YIELDED (spawned an actor) or RUNNABLE (budget used up). Errors propagate.
   */
  runSlice(budget: number): void {
    const work = this.work;
    const meter = this.meter;
    this.state = RUNNABLE;
    if (this.delivered !== undefined) this.completeReceive();
    let ops = 0;
    try {
      while (budget-- > 0) {
        const next = work.pop();
        if (next === undefined) {
          this.state = DONE;
          return;
        }
        let item: WorkItem = next;
        // Dispatch; a list continues with its first step directly instead of a round trip via `work`.
        for (;;) {
          switch (item.tag) {
            case SYMBOL_TAG: {
              let op = item.op;
              if (op === -2) op = item.op = operatorIndex(item.value);
              if (op >= 0) {
                ops++;
                OPERATORS[op]!(this);
                if (this.state !== RUNNABLE) return;
              } else {
                const value = this.env.get(item.value);
                if (value === undefined) {
                  meter.charge(item.size + 1);
                  this.stack.push(NIL);
                } else {
                  meter.charge(item.size + value.size);
                  this.stack.push(value);
                }
              }
              break;
            }
            case BYTES_TAG:
              meter.charge(item.size);
              this.stack.push(item);
              break;
            case LINK_TAG: {
              const steps: readonly Step[] = item.steps ?? listSteps(item);
              const n = steps.length;
              if (n === 0) break;
              for (let i = n - 1; i > 0; i--) work.push(steps[i]!);
              item = steps[0]!;
              continue;
            }
            case QUOTE_TAG:
              meter.charge(item.cost);
              this.stack.push(item.value);
              break;
            case FRAME_TAG:
              this.returnFrom(item);
              break;
            case UNRESOLVED_TAG:
              throw new UnresolvedExprError(this.label, `the ${item.what} is known only by its hash`);
          }
          break;
        }
      }
    } finally {
      this.runtime.counters.operatorApplications += ops;
    }
  }

  /**
   * Starts a `fn` call: the top `names.length` values of the stack are the arguments (the first
   * parameter takes the deepest); binds them in a child Env and evaluates `body` on a fresh stack.
   * In tail position (nothing left to do in the current call) the current call is replaced instead
   * of nested, so tail recursion runs in constant space.
   */
  call(names: readonly string[], body: Expr): void {
    const work = this.work;
    const s = this.stack;
    const n = names.length;
    // Pop the arguments (deepest first in `args`); pops are cheaper than slice + length change.
    const args: Expr[] = new Array(n);
    for (let i = n - 1; i >= 0; i--) args[i] = s.pop()!;
    const top = work[work.length - 1];
    const tailCall = this.depth > 0 && top !== undefined && top.tag === FRAME_TAG;
    const callerEnv = this.env;
    let parent = callerEnv;
    if (tailCall) {
      // What this call would return if the callee leaves nothing: the current top, else its own fallback.
      if (s.length > 0) top.fallback = s[s.length - 1];
      // The replaced call's Env can never be extended again; when the callee rebinds every name it
      // holds, lookups through it and around it agree, so skip it to keep the chain short.
      if (parent.parent !== null && parent.canBypass(names)) parent = parent.parent;
    } else {
      if (this.depth >= this.runtime.limits.maxCallDepth) {
        throw new CallDepthExceededError(`fn (${this.label})`, this.runtime.limits.maxCallDepth);
      }
      work.push(new CallFrame(callerEnv, s, undefined));
      this.depth++;
    }
    this.env = Env.forCall(parent, names, args);
    // A tail call drops the replaced call's stack; otherwise the caller's stack waits in its frame.
    this.stack = [];
    work.push(body);
  }

  /** Evaluates `expr` next, in the current frame (used by `if`). */
  evaluateNext(expr: Expr): void {
    this.work.push(expr);
  }

  /** Finishes a receive that was satisfied while this task was suspended. */
  private completeReceive(): void {
    const msg = this.delivered!;
    this.delivered = undefined;
    this.meter.charge(this.deliveredTargetSize + msg.size);
    this.stack.push(msg);
  }

  private returnFrom(frame: CallFrame): void {
    const s = this.stack;
    const result = s.length > 0 ? s[s.length - 1] : frame.fallback;
    this.env = frame.env;
    this.stack = frame.stack;
    this.depth--;
    if (result !== undefined) this.stack.push(result);
  }
}
