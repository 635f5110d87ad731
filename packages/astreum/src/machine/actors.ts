// Actors without OS threads: every actor is a Task with its own value stack and Env, and this
// scheduler interleaves them cooperatively in slices of evaluation steps. `receive` on an empty
// mailbox suspends only the receiving task; `send` hands a message straight to the oldest waiter.
// A freshly spawned actor runs first (its spawner resumes right after it), which makes the usual
// request/response pattern deterministic. When the main program waits and nothing else can run,
// or waits on a mailbox whose actor has finished, the wait can never end: it is reported as a
// ReceiveDeadlockError instead of hanging.
//
// `run` returns when the main program finishes; actors still running or waiting stay in the
// machine (like the reference's daemon threads, they never hold the caller up) and continue during
// its next `run`, where actors that were already runnable get their slices before the new main
// program.
import { getHeapStatistics } from "node:v8";
import { Env } from "./env.js";
import { ReceiveDeadlockError, ResourceLimitError } from "./errors.js";
import { Task } from "./evaluator.js";
import type { Expr, SymbolExpr } from "./expr.js";
import type { ActorHost, Runtime } from "./runtime.js";
import { DONE, FAILED, RUNNABLE, YIELDED } from "./task-state.js";

/** Evaluation steps a task runs before the scheduler looks at the others. */
const SLICE = 16_384;
/** Check the JavaScript heap every this many slices. */
const HEAP_CHECK_EVERY = 16;

export interface ActorFailure {
  readonly name: string;
  readonly error: unknown;
}

export interface ActorInfo {
  readonly name: string;
  /** "runnable": has work to do; "waiting": suspended in receive on mailbox `waitingOn`. */
  readonly state: "runnable" | "waiting";
  readonly waitingOn: string | null;
  /** Messages queued in this actor's mailbox. */
  readonly queued: number;
}

/** FIFO of messages plus the tasks suspended on it. */
class Mailbox {
  private readonly messages: Expr[] = [];
  private first = 0;
  readonly waiters: Task[] = [];
  constructor(
    readonly name: string,
    readonly owner: Task,
  ) {}
  get size(): number {
    return this.messages.length - this.first;
  }
  put(msg: Expr): void {
    this.messages.push(msg);
  }
  take(): Expr | undefined {
    if (this.first === this.messages.length) return undefined;
    const msg = this.messages[this.first++];
    if (this.first > 1024 && this.first * 2 > this.messages.length) {
      this.messages.splice(0, this.first);
      this.first = 0;
    }
    return msg;
  }
}

export class Scheduler implements ActorHost {
  private readonly mailboxes = new Map<string, Mailbox>();
  private readonly ready: Task[] = [];
  private readonly waiting = new Map<Task, Mailbox>();
  private readonly failed: ActorFailure[] = [];
  private slices = 0;
  private runtime: Runtime | null = null;

  attach(runtime: Runtime): void {
    this.runtime = runtime;
  }

  // --- ActorHost -----------------------------------------------------------------------------

  spawn(spawner: Task, name: SymbolExpr, body: Expr): boolean {
    if (this.mailboxes.has(name.value)) return false;
    const actor = new Task(this.runtime!, name.value, new Env(null, spawner.env));
    actor.work.push(body);
    this.mailboxes.set(name.value, new Mailbox(name.value, actor));
    this.ready.unshift(actor);
    spawner.state = YIELDED;
    return true;
  }

  send(target: string, msg: Expr): boolean {
    const box = this.mailboxes.get(target);
    if (box === undefined) return false;
    const waiter = box.waiters.shift();
    if (waiter === undefined) {
      box.put(msg);
    } else {
      this.waiting.delete(waiter);
      waiter.delivered = msg;
      waiter.state = RUNNABLE;
      this.ready.push(waiter);
    }
    return true;
  }

  receive(task: Task, target: SymbolExpr): Expr | null | undefined {
    const box = this.mailboxes.get(target.value);
    if (box === undefined) return null;
    const msg = box.take();
    if (msg !== undefined) return msg;
    box.waiters.push(task);
    this.waiting.set(task, box);
    return undefined;
  }

  // --- Scheduling ----------------------------------------------------------------------------

  /** Runs `main` (interleaved with live actors) until it finishes; throws its error if it fails. */
  drive(main: Task): void {
    this.ready.push(main);
    for (;;) {
      if (main.state === DONE) return;
      if (main.state === FAILED) throw main.error;
      const task = this.ready.shift();
      if (task === undefined) throw this.deadlock(main);
      try {
        task.runSlice(SLICE);
        this.checkResources(task);
      } catch (error) {
        task.state = FAILED;
        task.error = error;
        this.forget(task);
        if (task === main) throw error;
        this.fail(task, error);
        continue;
      }
      switch (task.state) {
        case DONE:
          if (task !== main) this.finish(task);
          break;
        case YIELDED:
          // The actor it spawned is at the front; the spawner goes right after it.
          task.state = RUNNABLE;
          this.ready.splice(1, 0, task);
          break;
        case RUNNABLE:
          this.ready.push(task);
          break;
        // BLOCKED: parked in `waiting` until a send hands it a message.
      }
    }
  }

  /** Live actors (spawned, not finished), in spawn order. */
  actors(): ActorInfo[] {
    return [...this.mailboxes.values()].map((box) => {
      const on = this.waiting.get(box.owner);
      return {
        name: box.name,
        state: on === undefined ? "runnable" : "waiting",
        waitingOn: on === undefined ? null : on.name,
        queued: box.size,
      };
    });
  }

  /** Actors that ended with an error since the last call (the errors never reach `run`). */
  drainFailures(): ActorFailure[] {
    return this.failed.splice(0);
  }

  private checkResources(task: Task): void {
    const max = this.runtime!.limits.maxStackSize;
    if (task.stack.length > max) {
      throw new ResourceLimitError(task.label, `the value stack holds more than ${max} values`);
    }
    if (task.work.length > max) {
      throw new ResourceLimitError(task.label, `more than ${max} expressions are pending evaluation`);
    }
    if (++this.slices % HEAP_CHECK_EVERY === 0) {
      const heap = getHeapStatistics();
      const limit = heap.heap_size_limit * this.runtime!.limits.maxHeapFraction;
      if (heap.used_heap_size > limit) {
        const mb = (n: number) => `${Math.round(n / 2 ** 20)} MiB`;
        throw new ResourceLimitError(
          task.label,
          `the JavaScript heap holds ${mb(heap.used_heap_size)}, over ${mb(limit)}`,
        );
      }
    }
  }

  /** Takes a failed or finished task out of the wait lists. */
  private forget(task: Task): void {
    const box = this.waiting.get(task);
    if (box !== undefined) {
      this.waiting.delete(task);
      const i = box.waiters.indexOf(task);
      if (i >= 0) box.waiters.splice(i, 1);
    }
    const r = this.ready.indexOf(task);
    if (r >= 0) this.ready.splice(r, 1);
  }

  private fail(actor: Task, error: unknown): void {
    this.failed.push({ name: actor.name!, error });
    this.finish(actor);
  }

  /**
   * Closes the mailboxes of finished actors. Whoever waits on a closed mailbox can never be served:
   * the main program fails with ReceiveDeadlockError (drive throws it), an actor fails and closes in
   * turn. A worklist instead of recursion keeps long chains off the JavaScript stack.
   */
  private finish(actor: Task): void {
    const pending = [actor];
    while (pending.length > 0) {
      const t = pending.pop()!;
      const box = this.mailboxes.get(t.name!);
      if (box === undefined || box.owner !== t) continue;
      this.mailboxes.delete(box.name);
      for (const w of box.waiters.splice(0)) {
        this.waiting.delete(w);
        const error = new ReceiveDeadlockError(
          `${w.label} waits on mailbox '${box.name}', whose actor has finished and closed it`,
        );
        w.state = FAILED;
        w.error = error;
        if (w.name !== null) {
          this.failed.push({ name: w.name, error });
          pending.push(w);
        }
      }
    }
  }

  private deadlock(main: Task): ReceiveDeadlockError {
    const on = this.waiting.get(main);
    const others = [...this.waiting.entries()]
      .filter(([t]) => t !== main)
      .map(([t, box]) => `${t.label} on '${box.name}'`);
    this.forget(main);
    main.state = FAILED;
    const state = on === undefined ? "cannot continue" : `waits on mailbox '${on.name}'`;
    const rest =
      others.length === 0
        ? "no actor is left to send to it"
        : `every actor is waiting as well (${others.join(", ")})`;
    const error = new ReceiveDeadlockError(`the main program ${state} and ${rest}`);
    main.error = error;
    return error;
  }
}
