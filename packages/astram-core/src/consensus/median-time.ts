import { MEDIAN_TIME_SPAN } from "./params.js";

/**
 * Median-time-past of up to the last 11 ancestors' timestamps (any order). Odd count -> middle,
 * even -> the truncated mean of the two middle values. A new block's timestamp must exceed it.
 */
export function medianTimePast(ancestorTimestamps: readonly number[]): number {
  const ts = ancestorTimestamps.slice(0, MEDIAN_TIME_SPAN).sort((a, b) => a - b);
  if (ts.length === 0) return Number.NEGATIVE_INFINITY;
  const mid = ts.length >> 1;
  if (ts.length % 2 === 1) return ts[mid]!;
  return Math.trunc((ts[mid - 1]! + ts[mid]!) / 2);
}
