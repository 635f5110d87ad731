import { BincodeReader } from "../codec/reader.js";
import { BincodeWriter } from "../codec/writer.js";
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
  MIN_TRANSACTION_SIZE,
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

export function readBlock(r: BincodeReader): Block {
  const header = readBlockHeader(r);
  const transactions = r.vec(readTransaction, MIN_TRANSACTION_SIZE, "transactions");
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
