// Bytes-read accounting (facts §5.8). One Meter per Machine, shared by all its actors. Reaching the
// limit exactly is allowed; a charge that would pass it throws and adds nothing.
import { MeterExceededError } from "./errors.js";

export class Meter {
  readonly enabled: boolean;
  /** Maximum bytes; null = unlimited. */
  readonly limit: number | null;
  used = 0;

  constructor(enabled = true, limit: number | null = null) {
    if (limit !== null && !(Number.isSafeInteger(limit) && limit >= 0)) {
      throw new RangeError(`meter limit must be a non-negative safe integer or null, got ${limit}`);
    }
    this.enabled = enabled;
    this.limit = limit;
  }

  /** Adds `n` bytes (negative counts as 0); throws MeterExceededError past the limit. */
  charge(n: number): void {
    if (!this.enabled || n <= 0) return;
    const next = this.used + n;
    if (this.limit !== null && next > this.limit) throw new MeterExceededError(this.limit, this.used, n);
    this.used = next;
  }

  /** Bytes still available before the limit (Infinity when unlimited or disabled). */
  get remaining(): number {
    return this.enabled && this.limit !== null ? this.limit - this.used : Number.POSITIVE_INFINITY;
  }
}
