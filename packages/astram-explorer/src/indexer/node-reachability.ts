import type { Logger } from "pino";

/**
 * What the operator hears about the node being down: nothing while it is starting (the explorer
 * and the node usually start together), one warning if it has not answered after `startupGraceMs`,
 * one warning when it goes away after answering, and one line when it is back with the outage's
 * length. Retries in between stay quiet, however long the outage lasts.
 */
export class NodeReachability {
  private everReached = false;
  private downSince: number | undefined;
  private warned = false;

  constructor(
    private readonly log: Logger,
    private readonly nodeUrl: string,
    private readonly startupGraceMs = 30_000,
    private readonly startedAt = Date.now(),
  ) {}

  /** The node answered. */
  reached(now = Date.now()): void {
    if (this.warned) {
      const since = this.downSince ?? this.startedAt;
      this.log.info(
        { service: "indexer", node: this.nodeUrl, outageSeconds: Math.round((now - since) / 1000) },
        this.everReached ? "node reachable again; indexing resumes" : "node reachable; indexing starts",
      );
    }
    this.everReached = true;
    this.downSince = undefined;
    this.warned = false;
  }

  /** The node did not answer (connection refused, reset, timed out). */
  unreachable(err: Error, now = Date.now()): void {
    if (this.warned) return;
    if (!this.everReached) {
      if (now - this.startedAt < this.startupGraceMs) return;
      this.warned = true;
      this.log.warn(
        { service: "indexer", node: this.nodeUrl, err: err.message },
        `node not reachable yet; still waiting for it (is it running at ${this.nodeUrl}?)`,
      );
      return;
    }
    this.downSince ??= now;
    this.warned = true;
    this.log.warn(
      { service: "indexer", node: this.nodeUrl, err: err.message },
      "node unreachable; retrying quietly until it is back",
    );
  }
}
