// The lifecycle both consensus workers share: one async loop that runs until stopped. start() is
// idempotent; stop() aborts the loop's signal and waits for the loop to end; a loop that throws
// is logged (the worker stops), never rethrown into whoever started it.
import type { Logger } from "../logger.js";

export abstract class BackgroundLoop {
  private controller: AbortController | null = null;
  private loop: Promise<void> | null = null;

  constructor(
    /** Names the worker in the log line of a loop that died. */
    private readonly loopName: string,
    private readonly loopLog: Logger,
  ) {}

  get running(): boolean {
    return this.loop !== null;
  }

  /** Starts the loop (idempotent). */
  start(): void {
    if (this.loop !== null) return;
    this.controller = new AbortController();
    this.loop = this.run(this.controller.signal).catch((err: unknown) => {
      this.loopLog.error(`${this.loopName} stopped: ${(err as Error).message}`);
    });
  }

  /** Stops the loop and waits for it. */
  async stop(): Promise<void> {
    this.controller?.abort();
    await this.loop;
    this.loop = null;
    this.controller = null;
  }

  /** The loop: runs until `signal` aborts. */
  protected abstract run(signal: AbortSignal): Promise<void>;
}
