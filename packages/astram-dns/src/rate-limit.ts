/**
 * Fixed-window counters per key (here: per source IP). Memory is bounded: expired windows are
 * swept when the table grows past `maxKeys`, and while it is still full new keys are refused
 * (an attacker rotating addresses cannot grow the table without limit).
 */
export interface RateLimiterOptions {
  /** Allowed hits per key per window. */
  limit: number;
  windowMs: number;
  maxKeys?: number;
  now?: () => number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

export class RateLimiter {
  readonly limit: number;
  readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(options: RateLimiterOptions) {
    this.limit = options.limit;
    this.windowMs = options.windowMs;
    this.maxKeys = options.maxKeys ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  /** Counts one hit for `key` and says whether it is within the limit. */
  hit(key: string): RateDecision {
    const now = this.now();
    let w = this.windows.get(key);
    if (w === undefined || now - w.start >= this.windowMs) {
      if (w === undefined && this.windows.size >= this.maxKeys) {
        this.sweep(now);
        if (this.windows.size >= this.maxKeys) return { allowed: false, retryAfterMs: this.windowMs };
      }
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count += 1;
    if (w.count <= this.limit) return { allowed: true };
    return { allowed: false, retryAfterMs: Math.max(0, w.start + this.windowMs - now) };
  }

  get size(): number {
    return this.windows.size;
  }

  /** Drops windows that have ended. */
  sweep(now = this.now()): void {
    for (const [key, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(key);
  }
}
