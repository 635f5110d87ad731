import { BincodeReader } from "../codec/reader.js";
import { readU256, writeU256 } from "../codec/u256.js";
import { BincodeWriter } from "../codec/writer.js";
import { keccak256, sha256d } from "../crypto/hash.js";
import { bigintToHex, bytesToHex } from "../crypto/hex.js";
import { publicKeyFromPrivate } from "../crypto/keys.js";
import { signDigest, signingDigest } from "../crypto/signature.js";

export interface TransactionInput {
  /** txid of the transaction whose output is spent. */
  readonly txid: string;
  readonly vout: number;
  /** Hex secp256k1 public key of the spender (65-byte uncompressed as wallets write it). */
  readonly pubkey: string;
  /** Hex 64-byte compact signature, or an `eth:` signature (see eth/eth-signature.ts). */
  readonly signature?: string | undefined;
}

export interface TransactionOutput {
  /** Recipient address, lowercase "0x" + 40 hex. */
  readonly to: string;
  /** Amount in ram (1 ASRM = 10^18 ram). */
  readonly amount: bigint;
}

export interface Transaction {
  readonly txid: string;
  /** "0x" + keccak256(preimage). */
  readonly ethHash: string;
  readonly inputs: readonly TransactionInput[];
  readonly outputs: readonly TransactionOutput[];
  readonly timestamp: number;
}

/** The parts of a transaction its hashes and signatures commit to. */
export interface TransactionBody {
  readonly inputs: readonly { readonly txid: string; readonly vout: number }[];
  readonly outputs: readonly TransactionOutput[];
  readonly timestamp: number;
}

export function writeTransactionOutput(w: BincodeWriter, o: TransactionOutput): void {
  w.string(o.to);
  writeU256(w, o.amount);
}

export function readTransactionOutput(r: BincodeReader): TransactionOutput {
  const to = r.string("output address");
  const amount = readU256(r);
  return { to, amount };
}

function writeInput(w: BincodeWriter, i: TransactionInput): void {
  w.string(i.txid).u32(i.vout).string(i.pubkey);
  w.option(i.signature, (w2, s) => w2.string(s));
}

function readInput(r: BincodeReader): TransactionInput {
  const txid = r.string("input txid");
  const vout = r.u32();
  const pubkey = r.string("input pubkey");
  const signature = r.option((r2) => r2.string("input signature"), "signature option");
  return signature === undefined ? { txid, vout, pubkey } : { txid, vout, pubkey, signature };
}

/** Minimum encoded sizes, used to bound vector lengths before allocating. */
export const MIN_INPUT_SIZE = 4;
export const MIN_OUTPUT_SIZE = 5;
export const MIN_TRANSACTION_SIZE = 5;

const sizeCache = new WeakMap<Transaction, number>();

export function writeTransaction(w: BincodeWriter, tx: Transaction): void {
  w.string(tx.txid).string(tx.ethHash);
  w.vec(tx.inputs, writeInput);
  w.vec(tx.outputs, writeTransactionOutput);
  w.i64(tx.timestamp);
}

export function readTransaction(r: BincodeReader): Transaction {
  const start = r.offset;
  const tx = readTransactionFields(r);
  // The encoded size is known for free here; the fee rule and limits need it later.
  sizeCache.set(tx, r.offset - start);
  return tx;
}

function readTransactionFields(r: BincodeReader): Transaction {
  const txid = r.string("txid");
  const ethHash = r.string("eth_hash");
  const inputs = r.vec(readInput, MIN_INPUT_SIZE, "inputs");
  const outputs = r.vec(readTransactionOutput, MIN_OUTPUT_SIZE, "outputs");
  const timestamp = r.i64("transaction timestamp");
  return { txid, ethHash, inputs, outputs, timestamp };
}

export function encodeTransaction(tx: Transaction): Uint8Array {
  const w = new BincodeWriter("standard", 256 + 200 * tx.inputs.length + 60 * tx.outputs.length);
  writeTransaction(w, tx);
  const bytes = w.finish();
  sizeCache.set(tx, bytes.length);
  return bytes;
}

/** Decodes exactly one transaction; trailing bytes are an error. */
export function decodeTransaction(bytes: Uint8Array): Transaction {
  const r = new BincodeReader(bytes);
  const tx = readTransaction(r);
  r.expectEnd("transaction");
  sizeCache.set(tx, bytes.length);
  return tx;
}

/** Byte length of the full standard encoding: the size the fee rule and limits use. */
export function transactionSize(tx: Transaction): number {
  return sizeCache.get(tx) ?? encodeTransaction(tx).length;
}

/**
 * The signing preimage: standard encoding of (inputs as (txid, vout), outputs, timestamp).
 * Pubkeys, signatures and the hashes themselves are not part of it.
 */
export function transactionPreimage(body: TransactionBody): Uint8Array {
  const w = new BincodeWriter("standard", 64 + 72 * body.inputs.length + 60 * body.outputs.length);
  w.vec(body.inputs, (w2, i) => w2.string(i.txid).u32(i.vout));
  w.vec(body.outputs, writeTransactionOutput);
  w.i64(body.timestamp);
  return w.finish();
}

export function txidOfPreimage(preimage: Uint8Array): string {
  return bytesToHex(sha256d(preimage));
}

export function ethHashOfPreimage(preimage: Uint8Array): string {
  return "0x" + bytesToHex(keccak256(preimage));
}

export function isCoinbase(tx: Transaction): boolean {
  return tx.inputs.length === 0;
}

/** Builds a transaction with correct txid and eth_hash from its parts. */
export function createTransaction(
  body: TransactionBody & { inputs: readonly TransactionInput[] },
): Transaction {
  const preimage = transactionPreimage(body);
  return {
    txid: txidOfPreimage(preimage),
    ethHash: ethHashOfPreimage(preimage),
    inputs: body.inputs,
    outputs: body.outputs,
    timestamp: body.timestamp,
  };
}

/** A coinbase: no inputs, outputs paying the miner. */
export function createCoinbase(outputs: readonly TransactionOutput[], timestamp: number): Transaction {
  return createTransaction({ inputs: [], outputs, timestamp });
}

/**
 * Signs every input with one key (a transaction spends one owner's coins): each input gets the
 * uncompressed pubkey and the same RFC 6979 low-S signature over SHA-256(preimage).
 */
export function signTransaction(body: TransactionBody, privateKey: Uint8Array): Transaction {
  const preimage = transactionPreimage(body);
  const signature = bytesToHex(signDigest(signingDigest(preimage), privateKey));
  const pubkey = bytesToHex(publicKeyFromPrivate(privateKey));
  return {
    txid: txidOfPreimage(preimage),
    ethHash: ethHashOfPreimage(preimage),
    inputs: body.inputs.map((i) => ({ txid: i.txid, vout: i.vout, pubkey, signature })),
    outputs: body.outputs,
    timestamp: body.timestamp,
  };
}

export function totalOutput(tx: { outputs: readonly TransactionOutput[] }): bigint {
  let sum = 0n;
  for (const o of tx.outputs) sum += o.amount;
  return sum;
}

export interface TransactionJSON {
  txid: string;
  eth_hash: string;
  inputs: { txid: string; vout: number; pubkey: string; signature: string | null }[];
  outputs: { to: string; amount: string }[];
  timestamp: number;
}

/** JSON form; amounts as "0x" hex (they exceed 2^53). */
export function transactionToJSON(tx: Transaction): TransactionJSON {
  return {
    txid: tx.txid,
    eth_hash: tx.ethHash,
    inputs: tx.inputs.map((i) => ({
      txid: i.txid,
      vout: i.vout,
      pubkey: i.pubkey,
      signature: i.signature ?? null,
    })),
    outputs: tx.outputs.map((o) => ({ to: o.to, amount: bigintToHex(o.amount) })),
    timestamp: tx.timestamp,
  };
}

export function transactionFromJSON(j: TransactionJSON): Transaction {
  return {
    txid: j.txid,
    ethHash: j.eth_hash,
    inputs: j.inputs.map((i) =>
      i.signature === null
        ? { txid: i.txid, vout: i.vout, pubkey: i.pubkey }
        : { txid: i.txid, vout: i.vout, pubkey: i.pubkey, signature: i.signature },
    ),
    outputs: j.outputs.map((o) => ({ to: o.to, amount: BigInt(o.amount) })),
    timestamp: j.timestamp,
  };
}
