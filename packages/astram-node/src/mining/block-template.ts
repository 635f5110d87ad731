import {
  assembleBlock,
  type Block,
  cappedReward,
  createCoinbase,
  MAX_BLOCK_SIZE,
  medianTimePast,
  type Transaction,
} from "astram-core";
import type { Chainstate, IndexEntry } from "../chain/chainstate.js";
import type { Mempool } from "../mempool/mempool.js";

/** Room kept for the header, the coinbase and vector lengths. */
const TEMPLATE_RESERVE = 4096;

export interface BlockTemplate {
  readonly parent: IndexEntry;
  readonly height: number;
  /** The block with nonce 0; miners patch the nonce and recompute the hash. */
  readonly block: Block;
  readonly fees: bigint;
  /** Mempool transactions included (coinbase excluded). */
  readonly transactions: readonly Transaction[];
}

/**
 * A block template on the current tip: timestamp max(now, MTP + 1), the scheduled difficulty, the
 * mempool's best packages by ancestor fee rate within the size limit, and a coinbase of reward + fees whose txid is not
 * already in the chain (its timestamp steps back one second on a collision).
 */
export function buildBlockTemplate(
  chain: Chainstate,
  mempool: Mempool,
  minerAddress: string,
  now: number,
): BlockTemplate {
  const parent = chain.tip;
  const height = parent.height + 1;
  const timestamp = Math.max(now, medianTimePast(chain.ancestorTimestamps(parent)) + 1);
  // Transactions dated after this block (and their descendants) wait for a later one.
  const entries = mempool.selectForBlock(MAX_BLOCK_SIZE - TEMPLATE_RESERVE, timestamp);
  const txs = entries.map((e) => e.tx);
  const fees = entries.reduce((sum, e) => sum + e.fee, 0n);
  const amount = cappedReward(height) + fees;
  let coinbaseTime = timestamp;
  let coinbase = createCoinbase([{ to: minerAddress, amount }], coinbaseTime);
  while (chain.store.hasTransaction(coinbase.txid)) {
    coinbaseTime -= 1;
    coinbase = createCoinbase([{ to: minerAddress, amount }], coinbaseTime);
  }
  const block = assembleBlock(
    {
      index: height,
      previousHash: parent.hash,
      timestamp,
      nonce: 0n,
      difficulty: chain.nextDifficulty(parent),
    },
    [coinbase, ...txs],
  );
  return { parent, height, block, fees, transactions: txs };
}
