import { type Distribution, distribution } from "./percentiles.js";
import { honestNodeIds, type RunRecord } from "./run-record.js";

/** One block reaching one honest node other than its miner. */
export interface PropagationPair {
  block: string;
  miner: string;
  node: string;
  minedAt: number;
  delayMs: number;
}

export interface BlockPropagation {
  hash: string;
  height: number;
  miner: string;
  /** Honest nodes other than the miner that accepted the block, out of `of`. */
  reached: number;
  of: number;
  delay: Distribution | null;
}

export interface PropagationReport {
  /** Over every (block, honest node ≠ miner) pair. */
  all: Distribution | null;
  perBlock: BlockPropagation[];
  /** Blocks left out because their miner or mining time is unknown. */
  blocksWithoutOrigin: number;
}

/** Blocks whose miner and mining time are known: only these have a propagation delay. */
function blocksWithOrigin(record: RunRecord) {
  return record.blocks.filter(
    (block): block is RunRecord["blocks"][number] & { miner: string } =>
      block.miner !== null && Number.isFinite(block.minedAt),
  );
}

/**
 * delay = first acceptance at the node − acceptance at the miner, for every block with a known origin
 * and every honest node other than its miner that accepted it.
 */
export function propagationPairs(record: RunRecord): PropagationPair[] {
  const honest = honestNodeIds(record);
  const firstArrival = new Map<string, Map<string, number>>();
  for (const arrival of record.arrivals) {
    if (!honest.has(arrival.node)) continue;
    let byNode = firstArrival.get(arrival.hash);
    if (byNode === undefined) {
      byNode = new Map();
      firstArrival.set(arrival.hash, byNode);
    }
    const earlier = byNode.get(arrival.node);
    if (earlier === undefined || arrival.at < earlier) byNode.set(arrival.node, arrival.at);
  }
  const pairs: PropagationPair[] = [];
  const seen = new Set<string>();
  for (const block of blocksWithOrigin(record)) {
    if (seen.has(block.hash)) continue;
    seen.add(block.hash);
    for (const [node, at] of firstArrival.get(block.hash) ?? []) {
      if (node === block.miner) continue;
      pairs.push({
        block: block.hash,
        miner: block.miner,
        node,
        minedAt: block.minedAt,
        delayMs: at - block.minedAt,
      });
    }
  }
  return pairs;
}

export function propagationReport(record: RunRecord, pairs = propagationPairs(record)): PropagationReport {
  const honest = honestNodeIds(record);
  const delaysByBlock = new Map<string, number[]>();
  for (const pair of pairs) {
    const delays = delaysByBlock.get(pair.block);
    if (delays === undefined) delaysByBlock.set(pair.block, [pair.delayMs]);
    else delays.push(pair.delayMs);
  }
  const withOrigin = blocksWithOrigin(record);
  const perBlock: BlockPropagation[] = [];
  const seen = new Set<string>();
  for (const block of withOrigin) {
    if (seen.has(block.hash)) continue;
    seen.add(block.hash);
    const delays = delaysByBlock.get(block.hash) ?? [];
    perBlock.push({
      hash: block.hash,
      height: block.height,
      miner: block.miner,
      reached: delays.length,
      of: honest.size - (honest.has(block.miner) ? 1 : 0),
      delay: distribution(delays),
    });
  }
  return {
    all: distribution(pairs.map((pair) => pair.delayMs)),
    perBlock,
    blocksWithoutOrigin: record.blocks.length - withOrigin.length,
  };
}
