import { finalBestChain } from "./best-chain.js";
import type { RunRecord } from "./run-record.js";

export interface IntervalReport {
  /** Blocks of the final best chain with a known mining time. */
  blocks: number;
  meanSec: number | null;
  targetSec: number;
  /** meanSec / targetSec. */
  ratio: number | null;
}

/** Mean time between consecutive blocks of the final best chain, from their mining times. */
export function intervalReport(record: RunRecord): IntervalReport {
  const timed = finalBestChain(record).chain.filter((block) => Number.isFinite(block.minedAt));
  const targetSec = record.config.targetSpacingSec;
  const first = timed[0];
  const last = timed[timed.length - 1];
  if (first === undefined || last === undefined || last.height <= first.height) {
    return { blocks: timed.length, meanSec: null, targetSec, ratio: null };
  }
  // Divided by the height span, so a block with an unknown time does not stretch the mean.
  const meanSec = (last.minedAt - first.minedAt) / 1000 / (last.height - first.height);
  return { blocks: timed.length, meanSec, targetSec, ratio: targetSec > 0 ? meanSec / targetSec : null };
}
