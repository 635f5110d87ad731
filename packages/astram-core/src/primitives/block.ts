import { BincodeReader } from "../codec/reader.js";
import { BincodeWriter } from "../codec/writer.js";
import { MAX_BLOCK_SIZE } from "../consensus/params.js";
import {
  type BlockHeader,
  type BlockHeaderJSON,
  blockHeaderFromJSON,
  blockHeaderHash,
  blockHeaderToJSON,
  readBlockHeader,
  writeBlockHeader,
} from "./header.js";
import { merkleRoot } from "./merkle.js";
import {
  readTransaction,
  type Transaction,
  type TransactionJSON,
  transactionFromJSON,
  transactionToJSON,
  writeTransaction,
} from "./transaction.js";

export interface Block {
  readonly header: BlockHeader;
  /** Coinbase first. */
  readonly transactions: readonly Transaction[];
  /** Lowercase hex of the header hash, as carried on the wire (validation recomputes it). */
  readonly hash: string;
}

export interface BlockJSON {
  header: BlockHeaderJSON;
  transactions: TransactionJSON[];
  hash: string;
}

export function writeBlock(w: BincodeWriter, b: Block): void {
  writeBlockHeader(w, b.header);
  w.vec(b.transactions, writeTransaction);
  w.string(b.hash);
}

/**
 * Every valid transaction carries its txid as 64 hex characters (65 bytes) plus at least 4 more
 * bytes. A block's transaction count is checked against its bytes at this size before anything is
 * decoded, so a frame of tiny bogus transactions is refused at once instead of costing the receiver
 * more than a valid block would (a valid block's transactions always pass this check).
 */
export const MIN_VALID_TRANSACTION_SIZE = 69;

/** No valid block holds more transactions than this (MAX_BLOCK_SIZE / MIN_VALID_TRANSACTION_SIZE). */
export const MAX_BLOCK_TRANSACTIONS = Math.floor(MAX_BLOCK_SIZE / MIN_VALID_TRANSACTION_SIZE);

export function readBlock(r: BincodeReader): Block {
  const steps = readBlockInSteps(r, Number.MAX_SAFE_INTEGER);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * readBlock, pausing (yield) after every `txsPerStep` transactions, so that a caller can spread a
 * large block's decoding over several turns of its event loop.
 */
export function* readBlockInSteps(r: BincodeReader, txsPerStep: number): Generator<void, Block, void> {
  const header = readBlockHeader(r);
  const count = r.len(MIN_VALID_TRANSACTION_SIZE, "transactions", MAX_BLOCK_TRANSACTIONS);
  const transactions: Transaction[] = new Array(count);
  for (let i = 0; i < count; i++) {
    transactions[i] = readTransaction(r);
    if ((i + 1) % txsPerStep === 0 && i + 1 < count) yield;
  }
  const hash = r.string("block hash");
  return { header, transactions, hash };
}

export function encodeBlock(b: Block): Uint8Array {
  const w = new BincodeWriter("standard", 1024);
  writeBlock(w, b);
  return w.finish();
}

/** Decodes exactly one block; trailing bytes are an error. */
export function decodeBlock(bytes: Uint8Array): Block {
  const r = new BincodeReader(bytes);
  const b = readBlock(r);
  r.expectEnd("block");
  return b;
}

/** Assembles a block from a header template and transactions: merkle root and hash computed. */
export function assembleBlock(
  header: Omit<BlockHeader, "merkleRoot">,
  transactions: readonly Transaction[],
): Block {
  const full: BlockHeader = { ...header, merkleRoot: merkleRoot(transactions.map((t) => t.txid)) };
  return { header: full, transactions, hash: blockHeaderHash(full) };
}

export function blockToJSON(b: Block): BlockJSON {
  return {
    header: blockHeaderToJSON(b.header),
    transactions: b.transactions.map(transactionToJSON),
    hash: b.hash,
  };
}

export function blockFromJSON(j: BlockJSON): Block {
  return {
    header: blockHeaderFromJSON(j.header),
    transactions: j.transactions.map(transactionFromJSON),
    hash: j.hash,
  };
}
