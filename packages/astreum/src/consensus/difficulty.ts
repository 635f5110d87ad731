// Block difficulty and spacing (facts §4.7, §4.12).
import { leadingZeroBits } from "../relay/pow.js";

/** Target spacing between blocks, in seconds. */
export const TARGET_BLOCK_SPACING = 2;
/** The slot length of the validator schedule, in seconds. */
export const SLOT_DURATION_SECONDS = 2;

/** The difficulty of a block `spacing` seconds after a block of difficulty `previous`. */
export function nextDifficulty(previous: number, spacing: number): number {
  const base = Math.max(1, previous || 1);
  const s = Math.max(0, spacing);
  if (s <= 1) return base + 1;
  if (s > TARGET_BLOCK_SPACING) return Math.max(1, base - 1);
  return base;
}

/** The leading zero bits a block's hash needs: max(1, the previous block's difficulty). */
export function requiredWork(previousDifficulty: number): number {
  return Math.max(1, previousDifficulty);
}

export { leadingZeroBits };
