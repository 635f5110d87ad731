import { HALVING_INTERVAL, INITIAL_REWARD, MAX_SUPPLY } from "./params.js";

/** Block subsidy at height h: 8 ASRM >> floor(h / 210000), zero from the 33rd halving on. */
export function blockReward(height: number): bigint {
  const halvings = Math.floor(height / HALVING_INTERVAL);
  if (halvings >= 33) return 0n;
  return INITIAL_REWARD >> BigInt(halvings);
}

/** Total subsidy issued by blocks 0..height inclusive (closed form over halving eras). */
export function cumulativeIssuance(height: number): bigint {
  if (height < 0) return 0n;
  let total = 0n;
  let remaining = height + 1;
  let era = 0;
  while (remaining > 0 && era < 33) {
    const blocks = Math.min(remaining, HALVING_INTERVAL);
    total += BigInt(blocks) * (INITIAL_REWARD >> BigInt(era));
    remaining -= blocks;
    era++;
  }
  return total;
}

/** The subsidy allowed at height h after the supply cap (never binding with these parameters). */
export function cappedReward(height: number): bigint {
  const reward = blockReward(height);
  const before = cumulativeIssuance(height - 1);
  if (before >= MAX_SUPPLY) return 0n;
  return before + reward > MAX_SUPPLY ? MAX_SUPPLY - before : reward;
}
