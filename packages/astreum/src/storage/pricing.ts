// Storage request pricing (facts §2.8): every `storage_request_price_interval` seconds the price
// moves by a factor chosen from the incoming queue's pressure, never below the minimum.

/** [pressure threshold, factor]: the first row whose threshold is ≥ the pressure applies. */
export const PRICE_FACTORS: readonly (readonly [number, number])[] = [
  [0.1, 0.6],
  [0.2, 0.7],
  [0.3, 0.8],
  [0.4, 0.9],
  [0.5, 0.96],
  [0.6, 1.04],
  [0.7, 1.12],
  [0.8, 1.3],
  [0.9, 1.7],
];
export const PRICE_FACTOR_ABOVE = 2.5;

/** Python's round(): to the nearest integer, ties to even (4.5 -> 4, 5.5 -> 6). */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** Queue pressure in [0, 1]: queued bytes / limit (0 when there is no limit). */
export function queuePressure(queuedBytes: number, limit: number): number {
  if (limit <= 0) return 0;
  return Math.min(1, Math.max(0, queuedBytes / limit));
}

export function priceFactor(pressure: number): number {
  for (const [threshold, factor] of PRICE_FACTORS) if (pressure <= threshold) return factor;
  return PRICE_FACTOR_ABOVE;
}

/** The next price: max(minimum, round_half_even(previous × factor(pressure))). */
export function nextStoragePrice(previous: number, pressure: number, minimum: number): number {
  return Math.max(minimum, roundHalfEven(previous * priceFactor(pressure)));
}

/** The current storage request price (`storage_request_current_price`). */
export class StorageRequestPricing {
  current: number;
  constructor(readonly minimum: number) {
    this.current = Math.max(0, minimum);
  }
  update(pressure: number): number {
    this.current = nextStoragePrice(this.current, pressure, this.minimum);
    return this.current;
  }
}
