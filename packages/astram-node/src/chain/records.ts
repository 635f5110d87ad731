import {
  BincodeReader,
  BincodeWriter,
  type BlockHeader,
  readBlockHeader,
  readU256,
  readUtxo,
  type Utxo,
  writeBlockHeader,
  writeU256,
  writeUtxo,
} from "astram-core";

/** Where a block stands: stored (header valid, body not yet connected), valid (connected once), invalid. */
export type BlockStatus = "stored" | "valid" | "invalid";
const STATUSES: readonly BlockStatus[] = ["stored", "valid", "invalid"];

/** One entry of the block index: every stored block, on any branch. */
export interface BlockIndexRecord {
  readonly hash: string;
  readonly header: BlockHeader;
  readonly height: number;
  /** Sum of 16^difficulty from genesis to this block, exact. */
  readonly chainWork: bigint;
  readonly status: BlockStatus;
  /** Encoded block size in bytes. */
  readonly size: number;
  readonly txCount: number;
}

export function encodeIndexRecord(r: BlockIndexRecord): Buffer {
  const w = new BincodeWriter("standard", 200);
  w.string(r.hash);
  writeBlockHeader(w, r.header);
  w.u64(r.height);
  writeU256(w, r.chainWork);
  w.u8(STATUSES.indexOf(r.status));
  w.u64(r.size).u64(r.txCount);
  return Buffer.from(w.finish());
}

export function decodeIndexRecord(bytes: Uint8Array): BlockIndexRecord {
  const r = new BincodeReader(bytes);
  const hash = r.string("hash");
  const header = readBlockHeader(r);
  const height = r.u64n("height");
  const chainWork = readU256(r);
  const status = STATUSES[r.u8()] ?? r.fail("UNKNOWN_VARIANT", "bad block status");
  const size = r.u64n("size");
  const txCount = r.u64n("tx count");
  r.expectEnd("index record");
  return { hash, header, height, chainWork, status, size, txCount };
}

/** What disconnecting a block must restore: the outputs it spent and the Ethereum nonces it advanced. */
export interface BlockUndo {
  readonly spent: readonly Utxo[];
  readonly ethSenders: readonly string[];
}

export function encodeUndo(u: BlockUndo): Buffer {
  const w = new BincodeWriter("standard", 64 + 120 * u.spent.length);
  w.vec(u.spent, writeUtxo);
  w.vec(u.ethSenders, (w2, s) => w2.string(s));
  return Buffer.from(w.finish());
}

export function decodeUndo(bytes: Uint8Array): BlockUndo {
  const r = new BincodeReader(bytes);
  const spent = r.vec(readUtxo, 8, "spent");
  const ethSenders = r.vec((r2) => r2.string("sender"), 1, "eth senders");
  r.expectEnd("undo");
  return { spent, ethSenders };
}

/** Running totals per address, kept so balance queries never scan. */
export interface AddressStats {
  /** Sum of every output that paid the address (change included). */
  readonly received: bigint;
  /** Sum of every output of the address that was spent. */
  readonly sent: bigint;
  readonly utxoCount: number;
  /** Number of best-chain transactions that touch the address. */
  readonly txCount: number;
}

export const EMPTY_STATS: AddressStats = { received: 0n, sent: 0n, utxoCount: 0, txCount: 0 };

export function encodeStats(s: AddressStats): Buffer {
  const w = new BincodeWriter("standard", 64);
  writeU256(w, s.received);
  writeU256(w, s.sent);
  w.u64(s.utxoCount).u64(s.txCount);
  return Buffer.from(w.finish());
}

export function decodeStats(bytes: Uint8Array): AddressStats {
  const r = new BincodeReader(bytes);
  const received = readU256(r);
  const sent = readU256(r);
  const utxoCount = r.u64n();
  const txCount = r.u64n();
  r.expectEnd("address stats");
  return { received, sent, utxoCount, txCount };
}

export function encodeAmount(v: bigint): Buffer {
  const w = new BincodeWriter("standard", 40);
  writeU256(w, v);
  return Buffer.from(w.finish());
}

export function decodeAmount(bytes: Uint8Array): bigint {
  return readU256(new BincodeReader(bytes));
}
