/** Distribution figures of a sample; null where the sample is empty. */
export interface Distribution {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/**
 * The p-th percentile (0 < p <= 100) of an ascending array by the nearest-rank rule: the smallest
 * value with at least p% of the sample at or below it. Always one of the sample's own values, so
 * hand-computed answers in tests are exact.
 */
export function percentile(ascending: ArrayLike<number>, p: number): number {
  if (ascending.length === 0) throw new RangeError("percentile of an empty sample");
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  const rank = Math.ceil((p / 100) * ascending.length);
  return ascending[rank - 1] as number;
}

/** Sorts a copy of values ascending (numerically, unlike Array.prototype.sort's default). */
export function sortedAscending(values: Iterable<number>): Float64Array {
  return Float64Array.from(values).sort();
}

export function distribution(values: Iterable<number>): Distribution | null {
  const sorted = sortedAscending(values);
  if (sorted.length === 0) return null;
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    count: sorted.length,
    mean: sum / sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] as number,
  };
}
