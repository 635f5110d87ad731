import { hash } from "node:crypto";
import { BincodeReader } from "../codec/reader.js";
import { BincodeWriter } from "../codec/writer.js";

/** A block header. Hashes inside it are 64-char lowercase hex text, as on the wire. */
export interface BlockHeader {
  /** Height; genesis is 0. */
  readonly index: number;
  readonly previousHash: string;
  readonly merkleRoot: string;
  /** Unix seconds. */
  readonly timestamp: number;
  readonly nonce: bigint;
  /** Required count of leading '0' hex digits in the block hash. */
  readonly difficulty: number;
}

export interface BlockHeaderJSON {
  index: number;
  previous_hash: string;
  merkle_root: string;
  timestamp: number;
  nonce: string;
  difficulty: number;
}

/** Length of the fixint hash input for two 64-char hashes, and where its nonce sits. */
export const HEADER_HASH_INPUT_SIZE = 172;
export const HEADER_NONCE_OFFSET = 160;

export function writeBlockHeader(w: BincodeWriter, h: BlockHeader): void {
  w.u64(h.index).string(h.previousHash).string(h.merkleRoot).i64(h.timestamp).u64(h.nonce).u32(h.difficulty);
}

export function readBlockHeader(r: BincodeReader): BlockHeader {
  const index = r.u64n("header index");
  const previousHash = r.string("previous_hash");
  const merkleRoot = r.string("merkle_root");
  const timestamp = r.i64("header timestamp");
  const nonce = r.u64();
  const difficulty = r.u32();
  return { index, previousHash, merkleRoot, timestamp, nonce, difficulty };
}

/** Standard (varint) encoding, as blocks travel and are stored. */
export function encodeBlockHeader(h: BlockHeader): Uint8Array {
  const w = new BincodeWriter("standard", 160);
  writeBlockHeader(w, h);
  return w.finish();
}

export function decodeBlockHeader(bytes: Uint8Array): BlockHeader {
  const r = new BincodeReader(bytes);
  const h = readBlockHeader(r);
  r.expectEnd("block header");
  return h;
}

/** The fixint encoding that is hashed (172 bytes for well-formed hashes; nonce at offset 160). */
export function headerHashInput(h: BlockHeader): Uint8Array {
  if (
    h.previousHash.length === 64 &&
    h.merkleRoot.length === 64 &&
    isAscii(h.previousHash) &&
    isAscii(h.merkleRoot)
  ) {
    return fixedHeaderHashInput(h);
  }
  const w = new BincodeWriter("fixint", HEADER_HASH_INPUT_SIZE);
  writeBlockHeader(w, h);
  return w.finish();
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** The common 172-byte layout written directly (hot path of validation and sync). */
function fixedHeaderHashInput(h: BlockHeader): Uint8Array {
  const out = Buffer.allocUnsafe(HEADER_HASH_INPUT_SIZE);
  out.writeBigUInt64LE(BigInt(h.index), 0);
  out.writeBigUInt64LE(64n, 8);
  out.write(h.previousHash, 16, "latin1");
  out.writeBigUInt64LE(64n, 80);
  out.write(h.merkleRoot, 88, "latin1");
  out.writeBigInt64LE(BigInt(h.timestamp), 152);
  out.writeBigUInt64LE(h.nonce, HEADER_NONCE_OFFSET);
  out.writeUInt32LE(h.difficulty, 168);
  return new Uint8Array(out.buffer, out.byteOffset, HEADER_HASH_INPUT_SIZE);
}

/** Block hash: lowercase hex of sha256d(fixint header). */
export function blockHeaderHash(h: BlockHeader): string {
  return hash("sha256", hash("sha256", headerHashInput(h), "buffer"), "hex");
}

export function blockHeaderToJSON(h: BlockHeader): BlockHeaderJSON {
  return {
    index: h.index,
    previous_hash: h.previousHash,
    merkle_root: h.merkleRoot,
    timestamp: h.timestamp,
    nonce: h.nonce.toString(),
    difficulty: h.difficulty,
  };
}

export function blockHeaderFromJSON(j: BlockHeaderJSON): BlockHeader {
  return {
    index: j.index,
    previousHash: j.previous_hash,
    merkleRoot: j.merkle_root,
    timestamp: j.timestamp,
    nonce: BigInt(j.nonce),
    difficulty: j.difficulty,
  };
}
