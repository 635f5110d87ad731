// Hashes per second for logs and /status: a sliding window over what the search backends report.

const WINDOW_MS = 10_000;

export class RateMeter {
  private samples: { t: number; n: number }[] = [];
  private since = Date.now();

  constructor(private readonly clock: () => number = Date.now) {
    this.since = clock();
  }

  /** Starts a new measurement (the rate is 0 until hashes are added). */
  reset(): void {
    this.samples = [];
    this.since = this.clock();
  }

  add(hashes: number): void {
    const t = this.clock();
    this.samples.push({ t, n: hashes });
    this.prune(t);
  }

  /** H/s over the last 10 s (or since reset, if later). */
  rate(): number {
    const now = this.clock();
    this.prune(now);
    const from = Math.max(this.since, now - WINDOW_MS);
    const span = (now - from) / 1000;
    if (span <= 0) return 0;
    let n = 0;
    for (const s of this.samples) n += s.n;
    return n / span;
  }

  private prune(now: number): void {
    const cutoff = now - WINDOW_MS;
    while (this.samples.length > 0 && this.samples[0]!.t < cutoff) this.samples.shift();
  }
}

/** "950 H/s", "12.34 kH/s", "1.23 MH/s", "2.00 GH/s" */
export function formatHashrate(hps: number): string {
  if (hps >= 1e9) return `${(hps / 1e9).toFixed(2)} GH/s`;
  if (hps >= 1e6) return `${(hps / 1e6).toFixed(2)} MH/s`;
  if (hps >= 1e3) return `${(hps / 1e3).toFixed(2)} kH/s`;
  return `${hps.toFixed(0)} H/s`;
}
