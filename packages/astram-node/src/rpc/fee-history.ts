import type { IndexEntry } from "../chain/chainstate.js";
import type { AstramNode } from "../node.js";
import { BLOCK_GAS_LIMIT, gasUsedOfBlock } from "./eth-format.js";
import { BASE_FEE_PER_GAS, PRIORITY_FEE_PER_GAS } from "./gas.js";
import { toQuantity } from "./quantity.js";

/**
 * eth_feeHistory over the `count` best-chain blocks ending at `newest`: the constant base fee (one
 * more entry for the next block, as the method defines), each block's gas used over the limit, and
 * the node's priority-fee quote at every requested percentile (what it asks of new transfers).
 */
export function feeHistory(
  node: AstramNode,
  newest: IndexEntry,
  count: number,
  percentiles: readonly number[],
) {
  const last = newest.height;
  const first = Math.max(0, last - count + 1);
  const gasUsedRatio: number[] = [];
  const reward: string[][] = [];
  for (let h = first; h <= last; h++) {
    const entry = node.chain.atHeight(h);
    const block = entry ? node.store.getBlock(entry.hash) : undefined;
    const used = block ? gasUsedOfBlock(block) : 0n;
    gasUsedRatio.push(Number(used) / Number(BLOCK_GAS_LIMIT));
    reward.push(percentiles.map(() => toQuantity(PRIORITY_FEE_PER_GAS)));
  }
  const blocks = last - first + 1;
  return {
    oldestBlock: toQuantity(first),
    baseFeePerGas: Array.from({ length: blocks + 1 }, () => toQuantity(BASE_FEE_PER_GAS)),
    gasUsedRatio,
    ...(percentiles.length > 0 ? { reward } : {}),
  };
}
