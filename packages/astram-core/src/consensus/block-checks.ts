import { isHash64 } from "../crypto/hex.js";
import { type Block, encodeBlock } from "../primitives/block.js";
import { type BlockHeader, blockHeaderHash } from "../primitives/header.js";
import { merkleRoot } from "../primitives/merkle.js";
import { isCoinbase } from "../primitives/transaction.js";
import { ban, VerifyError } from "./errors.js";
import { medianTimePast } from "./median-time.js";
import {
  DIFFICULTY_MAX,
  DIFFICULTY_MIN,
  MAX_BLOCK_SIZE,
  MAX_DIFFICULTY_STEP,
  MAX_FUTURE_DRIFT_SECONDS,
  MIN_BLOCK_TIMESTAMP,
} from "./params.js";
import { meetsDifficulty } from "./pow.js";
import type { SignatureCache } from "./signature-cache.js";
import { type CheckedTransaction, checkTransaction } from "./transaction-checks.js";

const bad = (code: string, reason: string, score = 100): never => {
  throw new VerifyError(code, reason, ban(score));
};

/**
 * Header rules that need no chain: well-formed hashes, the recomputed hash equals `hash`, proof of
 * work, difficulty within [1, 10], timestamp within [1738800000, now + 2 h].
 */
export function checkHeader(header: BlockHeader, hash: string, now: number): void {
  if (!isHash64(header.previousHash))
    bad("bad-prev-hash-format", "previous_hash must be 64 lowercase hex characters");
  if (!isHash64(header.merkleRoot))
    bad("bad-merkle-format", "merkle_root must be 64 lowercase hex characters");
  if (header.difficulty < DIFFICULTY_MIN || header.difficulty > DIFFICULTY_MAX) {
    bad(
      "bad-diff-range",
      `difficulty ${header.difficulty} is outside [${DIFFICULTY_MIN}, ${DIFFICULTY_MAX}]`,
    );
  }
  if (blockHeaderHash(header) !== hash) bad("bad-block-hash", "block hash does not match the header");
  if (!meetsDifficulty(hash, header.difficulty))
    bad("high-hash", `hash does not meet difficulty ${header.difficulty}`);
  if (header.timestamp < MIN_BLOCK_TIMESTAMP)
    bad("time-too-old", `timestamp is before ${MIN_BLOCK_TIMESTAMP}`);
  if (header.timestamp > now + MAX_FUTURE_DRIFT_SECONDS) {
    // Not bannable: the sender's clock (or ours) may be off; the block may become valid later.
    throw new VerifyError("time-too-new", "timestamp is more than 2 hours in the future", ban(0));
  }
}

/** What the contextual header rules need about the parent's branch. */
export interface HeaderContext {
  readonly parentHash: string;
  readonly parentHeight: number;
  readonly parentDifficulty: number;
  /** Timestamps of up to 11 ancestors, parent first. */
  readonly ancestorTimestamps: readonly number[];
  /** The schedule's difficulty for this height on this branch. */
  readonly scheduledDifficulty: number;
}

/**
 * Header rules against its parent: linkage, height = parent + 1, difficulty equal to the schedule
 * (and within 2 of the parent, the seed's adjacency rule), timestamp above median-time-past.
 */
export function checkHeaderContext(header: BlockHeader, ctx: HeaderContext): void {
  if (header.previousHash !== ctx.parentHash) bad("bad-prev-hash", "previous_hash is not the parent's hash");
  if (header.index !== ctx.parentHeight + 1) {
    bad("bad-height", `height ${header.index} is not parent height ${ctx.parentHeight} + 1`);
  }
  if (Math.abs(header.difficulty - ctx.parentDifficulty) > MAX_DIFFICULTY_STEP) {
    bad(
      "bad-diff-step",
      `difficulty ${header.difficulty} differs from the parent's ${ctx.parentDifficulty} by more than 2`,
    );
  }
  if (header.difficulty !== ctx.scheduledDifficulty) {
    bad("bad-diff", `difficulty ${header.difficulty} is not the scheduled ${ctx.scheduledDifficulty}`);
  }
  const mtp = medianTimePast(ctx.ancestorTimestamps);
  if (header.timestamp <= mtp)
    bad("time-too-old", `timestamp ${header.timestamp} is not above median-time-past ${mtp}`);
}

/**
 * Block rules that need no chain state: header rules, size limit, coinbase first and only first,
 * every transaction context-free valid, unique txids, tx timestamps <= block timestamp and the
 * merkle root recomputed from the real txids. Returns the per-transaction results.
 */
export function checkBlock(
  block: Block,
  opts: {
    now: number;
    chainId: number;
    skipSignatures?: boolean;
    signatureCache?: SignatureCache | undefined;
    encodedSize?: number;
  },
): CheckedTransaction[] {
  checkHeader(block.header, block.hash, opts.now);
  const txs = block.transactions;
  if (txs.length === 0) bad("no-transactions", "a block needs at least a coinbase");
  const size = opts.encodedSize ?? encodeBlock(block).length;
  if (size > MAX_BLOCK_SIZE) bad("block-too-large", `block is ${size} bytes, the limit is ${MAX_BLOCK_SIZE}`);
  if (!isCoinbase(txs[0]!)) bad("first-not-coinbase", "the first transaction must be a coinbase (no inputs)");
  for (let i = 1; i < txs.length; i++) {
    if (isCoinbase(txs[i]!)) bad("multiple-coinbase", `transaction ${i} has no inputs; only the first may`);
  }
  const txids = new Set<string>();
  const checked: CheckedTransaction[] = [];
  for (const [i, tx] of txs.entries()) {
    if (tx.timestamp > block.header.timestamp)
      bad("tx-time-after-block", `transaction ${i} is dated after its block`);
    checked.push(checkTransaction(tx, { ...opts, fromBlock: true }));
    if (txids.has(tx.txid)) bad("duplicate-txid", `transaction ${i} repeats txid ${tx.txid}`);
    txids.add(tx.txid);
  }
  if (merkleRoot(txs.map((t) => t.txid)) !== block.header.merkleRoot)
    bad("bad-merkle-root", "merkle root does not match the transactions");
  return checked;
}
