/** One hashrate sample: Unix milliseconds and hashes per second. */
export interface HashrateSample {
  readonly t: number;
  readonly hashrate: number;
}

/**
 * A ring buffer of hashrate samples taken every `intervalMs` (default 5 s, one hour kept), so the
 * dashboard's chart has a past as soon as it opens.
 */
export class HashrateHistory {
  private readonly samples: HashrateSample[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly read: () => number,
    readonly intervalMs = 5000,
    readonly capacity = 720,
  ) {}

  start(): void {
    if (this.timer) return;
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  sample(): void {
    this.samples.push({ t: Date.now(), hashrate: this.read() });
    if (this.samples.length > this.capacity) this.samples.splice(0, this.samples.length - this.capacity);
  }

  /** Samples newer than `sinceMs` (all by default), oldest first. */
  list(sinceMs = 0): HashrateSample[] {
    return sinceMs > 0 ? this.samples.filter((s) => s.t > sinceMs) : [...this.samples];
  }
}
