/**
 * Devnet pacing against the chain. A paced miner alone holds its hashrate to 16^d / pace, one block
 * per `pace` seconds on average; N such miners together would find one every pace / N. So each
 * paced miner also divides by the number of miners it sees at work: the distinct coinbase addresses
 * of the last PACE_WINDOW blocks (genesis excluded), itself included. Block finding is a Poisson
 * process per miner, rates add up, and N miners at 16^d / (pace * N) each make one block per `pace`
 * on average again, with the exponential intervals of real mining (so stale blocks stay as rare as
 * propagation time / pace). A miner that stops is forgotten after PACE_WINDOW blocks; until then the
 * others run slower. Miners that share one address count once.
 */
export const PACE_WINDOW = 20;

/** How many miners share the chain: distinct recent block producers, plus `self`. */
export function activeMiners(recentProducers: Iterable<string>, self: string): number {
  const seen = new Set(recentProducers);
  seen.add(self);
  return seen.size;
}

/** Hashes per second for one of `miners` paced miners at `difficulty` (a hex-digit count). */
export function pacedHashrate(difficulty: number, pace: number, miners: number): number {
  return 16 ** difficulty / (pace * Math.max(1, miners));
}
