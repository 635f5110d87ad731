import { blockWork } from "astram-core";

/** The parts of a block the time, difficulty and hashrate figures need. */
export interface BlockTimePoint {
  readonly height: number;
  readonly timestamp: number;
  readonly difficulty: number;
}

/**
 * Average seconds between blocks over consecutive `blocks` (ascending heights):
 * (last timestamp − first timestamp) / (count − 1). Null with fewer than two blocks.
 */
export function averageBlockTime(blocks: readonly BlockTimePoint[]): number | null {
  if (blocks.length < 2) return null;
  const first = blocks[0]!;
  const last = blocks[blocks.length - 1]!;
  return (last.timestamp - first.timestamp) / (last.height - first.height);
}

/**
 * Estimated network hashrate (hashes per second) from real blocks: a block of difficulty d takes
 * 16^d hashes on average, so the estimate over a window is Σ 16^d of its blocks after the first
 * divided by the time the window spans (first to last timestamp). `blocks` ascend by height.
 * Null when the window has fewer than two blocks or spans no time.
 */
export function estimateHashrate(blocks: readonly BlockTimePoint[]): number | null {
  if (blocks.length < 2) return null;
  const span = blocks[blocks.length - 1]!.timestamp - blocks[0]!.timestamp;
  if (span <= 0) return null;
  let work = 0n;
  for (let i = 1; i < blocks.length; i++) work += blockWork(blocks[i]!.difficulty);
  return Number(work) / span;
}

export interface ChartPoint {
  /** Last height of the bucket. */
  readonly height: number;
  readonly timestamp: number;
  /** Average seconds per block in the bucket. */
  readonly block_time: number | null;
  /** Average difficulty of the bucket's blocks. */
  readonly difficulty: number;
  /** Σ 16^d / time spanned by the bucket (from the block before it). */
  readonly hashrate: number | null;
}

/**
 * Splits ascending `blocks` into at most `points` buckets of consecutive blocks. `blocks[0]` is the
 * block before the first bucket (its timestamp starts the first interval).
 */
export function chartSeries(blocks: readonly BlockTimePoint[], points: number): ChartPoint[] {
  const n = blocks.length - 1;
  if (n <= 0) return [];
  const size = Math.max(1, Math.ceil(n / Math.max(1, points)));
  const out: ChartPoint[] = [];
  for (let start = 1; start <= n; start += size) {
    const end = Math.min(n, start + size - 1);
    const before = blocks[start - 1]!;
    const last = blocks[end]!;
    let diff = 0;
    for (let i = start; i <= end; i++) diff += blocks[i]!.difficulty;
    const window = blocks.slice(start - 1, end + 1);
    out.push({
      height: last.height,
      timestamp: last.timestamp,
      block_time: (last.timestamp - before.timestamp) / (last.height - before.height),
      difficulty: diff / (end - start + 1),
      hashrate: estimateHashrate(window),
    });
  }
  return out;
}
