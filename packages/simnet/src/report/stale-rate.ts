import { type FinalTip, finalBestChain } from "./best-chain.js";
import type { RunRecord } from "./run-record.js";

export interface StaleReport {
  finalTip: FinalTip | null;
  blocks: number;
  onBestChain: number;
  stale: number;
  /** stale / blocks; null when the run recorded no blocks. */
  rate: number | null;
}

/** Blocks that honest nodes accepted but that are not on the final best chain, as a share of all blocks. */
export function staleReport(record: RunRecord): StaleReport {
  const { tip, chain } = finalBestChain(record);
  const onChain = new Set(chain.map((block) => block.hash));
  const all = new Set(record.blocks.map((block) => block.hash));
  let stale = 0;
  for (const hash of all) if (!onChain.has(hash)) stale++;
  return {
    finalTip: tip,
    blocks: all.size,
    onBestChain: onChain.size,
    stale,
    rate: all.size === 0 ? null : stale / all.size,
  };
}
