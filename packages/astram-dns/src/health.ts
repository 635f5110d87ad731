import type { Logger } from "./logger.js";
import type { ProbeFn } from "./probe.js";
import type { Registry } from "./registry.js";

export interface HealthCheckOptions {
  registry: Registry;
  probe: ProbeFn;
  /** Time between the end of one round and the start of the next; 0 disables the timer. */
  intervalMs: number;
  timeoutMs: number;
  /** Consecutive failed probes that remove a node. */
  maxFailures: number;
  /** Probes in flight at once. */
  concurrency: number;
  now: () => number;
  logger: Logger;
}

/**
 * Periodic liveness check of every registered node's P2P port by TCP connect (the reference
 * probed HTTP :19533/health, which default nodes bind to localhost only: facts §16 item 34).
 * Rounds never overlap: the next one is scheduled when the previous one has finished.
 */
export class HealthChecker {
  private timer: NodeJS.Timeout | undefined;
  private abort = new AbortController();
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(private readonly options: HealthCheckOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.abort = new AbortController();
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.abort.abort();
    await this.running;
  }

  /** Probes every node once. Resolves when the round is over. */
  runOnce(): Promise<void> {
    this.running ??= this.round().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private schedule(): void {
    if (this.stopped || this.options.intervalMs <= 0) return;
    this.timer = setTimeout(() => {
      void this.runOnce().then(() => this.schedule());
    }, this.options.intervalMs);
    this.timer.unref();
  }

  private async round(): Promise<void> {
    const { registry, probe, timeoutMs, maxFailures, now, logger } = this.options;
    const queue = registry.endpoints();
    const signal = this.abort.signal;
    const worker = async (): Promise<void> => {
      for (let next = queue.shift(); next !== undefined && !signal.aborted; next = queue.shift()) {
        const { address, port } = next;
        const result = await probe(address, port, timeoutMs, signal);
        if (signal.aborted) return;
        const outcome = registry.recordProbe(address, port, result, now(), maxFailures);
        if (outcome === "dropped") {
          const reason = result.ok ? "" : result.reason;
          logger.info(
            { event: "health_drop", address, port, reason, node_count: registry.size },
            "node dropped",
          );
        } else if (outcome === "failed") {
          logger.debug({ event: "health_fail", address, port, reason: result.ok ? "" : result.reason });
        }
      }
    };
    const workers = Array.from({ length: Math.max(1, this.options.concurrency) }, worker);
    await Promise.all(workers);
  }
}
