/** One measured (block, node) pair: hops on the shortest path, the link latency, the delay seen. */
export interface HopObservation {
  hops: number;
  latencyMs: number;
  delayMs: number;
}

export interface PerHopFit {
  /** c in delay ≈ hops × (latency + c): what each hop costs beyond the link latency. */
  perHopCostMs: number;
  pairs: number;
  /** Root mean square of delay − hops × (latency + c). */
  rmsResidualMs: number;
}

/**
 * Least-squares fit of the per-hop cost c (validation, relay and the protocol's extra trips) in
 * delay ≈ hops × (latency + c). Minimising Σ (d − h·L − h·c)² over c gives
 * c = Σ h·(d − h·L) / Σ h². Null without observations with at least one hop.
 */
export function fitPerHopCost(observations: Iterable<HopObservation>): PerHopFit | null {
  let numerator = 0;
  let denominator = 0;
  const used: HopObservation[] = [];
  for (const observation of observations) {
    if (!(observation.hops > 0)) continue;
    used.push(observation);
    numerator += observation.hops * (observation.delayMs - observation.hops * observation.latencyMs);
    denominator += observation.hops * observation.hops;
  }
  if (used.length === 0) return null;
  const perHopCostMs = numerator / denominator;
  let squares = 0;
  for (const { hops, latencyMs, delayMs } of used) {
    const residual = delayMs - hops * (latencyMs + perHopCostMs);
    squares += residual * residual;
  }
  return { perHopCostMs, pairs: used.length, rmsResidualMs: Math.sqrt(squares / used.length) };
}
