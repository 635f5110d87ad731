// Per-key rate limits for replies the node sends unprompted by an authenticated message (handshake
// replies, re-key handshakes): a forged datagram must not make the node send without bound.

export class KeyedRateLimit {
  private readonly last = new Map<string, number>();

  constructor(
    /** Minimum milliseconds between two allowed events of one key. */
    readonly intervalMs: number,
    private readonly maxKeys = 65_536,
  ) {}

  /** True (and the event is recorded) when `key` may act now. */
  allow(key: string, now: number = Date.now()): boolean {
    const t = this.last.get(key);
    if (t !== undefined && now - t < this.intervalMs) return false;
    if (this.last.size >= this.maxKeys) this.prune(now);
    this.last.delete(key);
    this.last.set(key, now);
    return true;
  }

  private prune(now: number): void {
    for (const [k, t] of this.last) {
      if (now - t >= this.intervalMs) this.last.delete(k);
    }
    // Still full: forget the oldest half (insertion order is age order).
    if (this.last.size >= this.maxKeys) {
      let n = this.last.size >> 1;
      for (const k of this.last.keys()) {
        if (n-- <= 0) break;
        this.last.delete(k);
      }
    }
  }
}

/** A token bucket: `rate` events per second, bursts up to `burst`. */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    readonly rate: number,
    readonly burst: number,
    now: number = Date.now(),
  ) {
    this.tokens = burst;
    this.at = now;
  }

  take(now: number = Date.now()): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.rate);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * One token bucket per key (e.g. per source IP): `rate` events per second, bursts up to `burst`.
 * Bounded: past `maxKeys` keys, the buckets that are full again are forgotten first, then the oldest.
 */
export class KeyedTokenBucket {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly rate: number,
    readonly burst: number,
    private readonly maxKeys = 65_536,
  ) {}

  take(key: string, now: number = Date.now()): boolean {
    let b = this.buckets.get(key);
    if (b === undefined) {
      if (this.buckets.size >= this.maxKeys) this.prune(now);
      b = { tokens: this.burst, at: now };
      this.buckets.set(key, b);
    } else {
      b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.rate);
      b.at = now;
    }
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  private prune(now: number): void {
    for (const [k, b] of this.buckets)
      if (b.tokens + ((now - b.at) / 1000) * this.rate >= this.burst) this.buckets.delete(k);
    if (this.buckets.size >= this.maxKeys) {
      let n = this.buckets.size >> 1;
      for (const k of this.buckets.keys()) {
        if (n-- <= 0) break;
        this.buckets.delete(k);
      }
    }
  }
}
