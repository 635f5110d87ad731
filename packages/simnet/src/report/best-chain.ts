import { honestNodeIds, type RecordedBlock, type RunRecord } from "./run-record.js";

export type TipSample = RunRecord["tips"][number];

/** The tip most honest nodes ended the run on. */
export interface FinalTip {
  hash: string;
  height: number;
  /** Honest nodes whose last tip sample is this tip, out of `of` honest nodes with any sample. */
  nodes: number;
  of: number;
}

/** Each honest node's last tip sample. */
export function lastTipSamples(record: RunRecord): Map<string, TipSample> {
  const honest = honestNodeIds(record);
  const last = new Map<string, TipSample>();
  for (const sample of record.tips) {
    if (!honest.has(sample.node)) continue;
    const previous = last.get(sample.node);
    if (previous === undefined || sample.at >= previous.at) last.set(sample.node, sample);
  }
  return last;
}

/** The most common final tip among honest nodes; ties go to the higher tip, then the smaller hash. */
export function finalTip(record: RunRecord): FinalTip | null {
  const last = lastTipSamples(record);
  const votes = new Map<string, { height: number; nodes: number }>();
  for (const sample of last.values()) {
    const vote = votes.get(sample.hash);
    if (vote === undefined) votes.set(sample.hash, { height: sample.height, nodes: 1 });
    else vote.nodes++;
  }
  let best: FinalTip | null = null;
  for (const [hash, vote] of votes) {
    const better =
      best === null ||
      vote.nodes > best.nodes ||
      (vote.nodes === best.nodes &&
        (vote.height > best.height || (vote.height === best.height && hash < best.hash)));
    if (better) best = { hash, height: vote.height, nodes: vote.nodes, of: last.size };
  }
  return best;
}

/**
 * The recorded blocks on the chain ending at tipHash, found by following parent links, in ascending
 * height. Stops at the first ancestor the record does not hold (genesis, or a block no honest node
 * reported).
 */
export function chainEndingAt(record: RunRecord, tipHash: string): RecordedBlock[] {
  const byHash = new Map(record.blocks.map((block) => [block.hash, block]));
  const chain: RecordedBlock[] = [];
  const visited = new Set<string>();
  for (let block = byHash.get(tipHash); block !== undefined; block = byHash.get(block.parent)) {
    if (visited.has(block.hash)) throw new Error(`run record has a parent cycle through block ${block.hash}`);
    visited.add(block.hash);
    chain.push(block);
  }
  return chain.reverse();
}

/** The final best chain: the one ending at the most common final honest tip (empty if no samples). */
export function finalBestChain(record: RunRecord): { tip: FinalTip | null; chain: RecordedBlock[] } {
  const tip = finalTip(record);
  return { tip, chain: tip === null ? [] : chainEndingAt(record, tip.hash) };
}
