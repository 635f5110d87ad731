import {
  DIFFICULTY_INTERVAL,
  DIFFICULTY_MAX,
  DIFFICULTY_MIN,
  SLOW_START_BLOCKS,
  SLOW_START_CAP,
} from "./params.js";

/** What the schedule needs to know about the chain below height h. */
export interface DifficultyContext {
  /** Height of the block being validated or mined. */
  readonly height: number;
  /** Difficulty of block h-1 (unused below the slow-start window). */
  readonly parentDifficulty: number;
  /**
   * Timestamp of the block at a given height on the same branch (h-1 and h-31 are asked for at
   * adjustment heights).
   */
  readonly timestampAt: (height: number) => number;
  /** The network's target spacing in seconds (120 on mainnet and testnet). */
  readonly targetSpacing: number;
}

/** Whether block h is one where the schedule may change difficulty (heights 120, 150, ...). */
export function isAdjustmentHeight(height: number): boolean {
  return height >= SLOW_START_BLOCKS && height % DIFFICULTY_INTERVAL === 0;
}

/**
 * The required difficulty of block h:
 * - h < 100: min(3, 1 + floor(h/20));
 * - otherwise the parent's difficulty, except at h % 30 == 0 where the last 30 intervals
 *   (ts(h-1) - ts(h-31)) are compared with 30 x target: faster than 0.75x -> +1, slower than
 *   1.5x -> -1, clamped to [1, 10].
 */
export function scheduledDifficulty(ctx: DifficultyContext): number {
  const h = ctx.height;
  if (h < SLOW_START_BLOCKS) return Math.min(SLOW_START_CAP, DIFFICULTY_MIN + Math.floor(h / 20));
  const parent = ctx.parentDifficulty;
  if (!isAdjustmentHeight(h)) return parent;
  const actual = ctx.timestampAt(h - 1) - ctx.timestampAt(h - 1 - DIFFICULTY_INTERVAL);
  const target = DIFFICULTY_INTERVAL * ctx.targetSpacing;
  let next = parent;
  // Integer comparisons: actual < 0.75 target  <=>  4 actual < 3 target, and so on.
  if (4 * actual < 3 * target) next = parent + 1;
  else if (2 * actual > 3 * target) next = parent - 1;
  return Math.min(DIFFICULTY_MAX, Math.max(DIFFICULTY_MIN, next));
}
