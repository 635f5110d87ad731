import { CodecError } from "../codec/errors.js";
import { BincodeReader } from "../codec/reader.js";
import { BincodeWriter } from "../codec/writer.js";
import { MAX_BLOCK_SIZE, MAX_TX_SIZE } from "../consensus/params.js";
import { bytesToHex } from "../crypto/hex.js";
import {
  type Block,
  type BlockJSON,
  blockToJSON,
  readBlock,
  readBlockInSteps,
  writeBlock,
} from "../primitives/block.js";
import {
  type BlockHeader,
  type BlockHeaderJSON,
  blockHeaderToJSON,
  readBlockHeader,
  writeBlockHeader,
} from "../primitives/header.js";
import {
  readTransaction,
  type Transaction,
  type TransactionJSON,
  transactionToJSON,
  writeTransaction,
} from "../primitives/transaction.js";

/** What an Inv/GetData entry refers to (variant indices 0–2). */
export enum InventoryType {
  Error = 0,
  Transaction = 1,
  Block = 2,
}

/** Exchanged in Handshake/HandshakeAck. */
export interface HandshakeInfo {
  readonly protocolVersion: number;
  readonly softwareVersion: string;
  readonly supportedFeatures: readonly string[];
  readonly networkId: string;
  readonly chainId: number;
  /** Local tip index + 1, or 0 with an empty chain. */
  readonly height: number;
  /** The sender's configured P2P listening port. */
  readonly listeningPort: number;
}

/** An address in an Addr message: where a node accepts connections, and when it was last seen. */
export interface PeerAddress {
  /** IPv4 dotted or IPv6 literal (no brackets). */
  readonly host: string;
  readonly port: number;
  /** Unix seconds. */
  readonly lastSeen: number;
}

/** Most addresses in one Addr message (Bitcoin's bound too). */
export const MAX_ADDR_PER_MESSAGE = 1000;

/**
 * The P2P messages, in variant-index order: the original protocol's 12 (0–11), then extensions
 * (12–13) that are only ever sent to a peer that announced the matching feature (see features.ts).
 */
export type P2pMessage =
  | { readonly type: "Handshake"; readonly info: HandshakeInfo }
  | { readonly type: "HandshakeAck"; readonly info: HandshakeInfo }
  | { readonly type: "Version"; readonly version: string; readonly height: number }
  | { readonly type: "VerAck" }
  | {
      readonly type: "GetHeaders";
      readonly locatorHashes: readonly Uint8Array[];
      readonly stopHash?: Uint8Array | undefined;
    }
  | { readonly type: "Headers"; readonly headers: readonly BlockHeader[] }
  | { readonly type: "Inv"; readonly objectType: InventoryType; readonly hashes: readonly Uint8Array[] }
  | { readonly type: "GetData"; readonly objectType: InventoryType; readonly hashes: readonly Uint8Array[] }
  | { readonly type: "Block"; readonly block: Block }
  | { readonly type: "Tx"; readonly tx: Transaction }
  | { readonly type: "Ping"; readonly nonce: bigint }
  | { readonly type: "Pong"; readonly nonce: bigint }
  | { readonly type: "GetAddr" }
  | { readonly type: "Addr"; readonly addresses: readonly PeerAddress[] };

export type P2pMessageType = P2pMessage["type"];

export const MESSAGE_TYPES: readonly P2pMessageType[] = [
  "Handshake",
  "HandshakeAck",
  "Version",
  "VerAck",
  "GetHeaders",
  "Headers",
  "Inv",
  "GetData",
  "Block",
  "Tx",
  "Ping",
  "Pong",
  "GetAddr",
  "Addr",
];

function writeHandshakeInfo(w: BincodeWriter, h: HandshakeInfo): void {
  w.u32(h.protocolVersion).string(h.softwareVersion);
  w.vec(h.supportedFeatures, (w2, f) => w2.string(f));
  w.string(h.networkId).u64(h.chainId).u64(h.height).u16(h.listeningPort);
}

function readHandshakeInfo(r: BincodeReader): HandshakeInfo {
  const protocolVersion = r.u32();
  const softwareVersion = r.string("software_version", MAX_SHORT_STRING);
  const supportedFeatures = r.vec(
    (r2) => r2.string("feature", MAX_SHORT_STRING),
    1,
    "supported_features",
    MAX_FEATURES,
  );
  const networkId = r.string("network_id", MAX_SHORT_STRING);
  const chainId = r.u64n("chain_id");
  const height = r.u64n("height");
  const listeningPort = r.u16();
  return { protocolVersion, softwareVersion, supportedFeatures, networkId, chainId, height, listeningPort };
}

const writeHashList = (w: BincodeWriter, hashes: readonly Uint8Array[]) =>
  w.vec(hashes, (w2, h) => w2.bytes(h));
const readHashList = (r: BincodeReader, what: string, max: number) =>
  r.vec((r2) => r2.bytes("hash"), 1, what, max);

export function writeP2pMessage(w: BincodeWriter, m: P2pMessage): void {
  w.variant(MESSAGE_TYPES.indexOf(m.type));
  switch (m.type) {
    case "Handshake":
    case "HandshakeAck":
      writeHandshakeInfo(w, m.info);
      return;
    case "Version":
      w.string(m.version).u64(m.height);
      return;
    case "VerAck":
      return;
    case "GetHeaders":
      writeHashList(w, m.locatorHashes);
      w.option(m.stopHash, (w2, h) => w2.bytes(h));
      return;
    case "Headers":
      w.vec(m.headers, writeBlockHeader);
      return;
    case "Inv":
    case "GetData":
      w.variant(m.objectType);
      writeHashList(w, m.hashes);
      return;
    case "Block":
      writeBlock(w, m.block);
      return;
    case "Tx":
      writeTransaction(w, m.tx);
      return;
    case "Ping":
    case "Pong":
      w.u64(m.nonce);
      return;
    case "GetAddr":
      return;
    case "Addr":
      w.vec(m.addresses, (w2, a) => w2.string(a.host).u16(a.port).u64(a.lastSeen));
      return;
  }
}

/** Most entries in one Inv or GetData (the seed's bound). */
export const MAX_INVENTORY_ITEMS = 50_000;
/** Most headers in one Headers message (what a GetHeaders answer carries). */
export const MAX_HEADERS_PER_MESSAGE = 2000;
/** Most hashes in a GetHeaders locator (ours has about log2(height) + 10). */
export const MAX_LOCATOR_HASHES = 500;
/** Most feature strings in a HandshakeInfo, and their longest. */
const MAX_FEATURES = 64;
const MAX_SHORT_STRING = 256;

/**
 * The largest payload of each message type, checked before a byte of it is decoded: no message can
 * make a node allocate or loop beyond what its valid form needs. A Block is bounded by the block
 * size limit, a Tx by the transaction size limit, lists by their element counts.
 */
export const MAX_MESSAGE_PAYLOAD: Readonly<Record<P2pMessageType, number>> = {
  Handshake: 32 * 1024,
  HandshakeAck: 32 * 1024,
  Version: 1024,
  VerAck: 16,
  GetHeaders: 16 + 80 * (MAX_LOCATOR_HASHES + 1),
  Headers: 16 + 512 * MAX_HEADERS_PER_MESSAGE,
  Inv: 16 + 40 * MAX_INVENTORY_ITEMS,
  GetData: 16 + 40 * MAX_INVENTORY_ITEMS,
  Block: 16 + MAX_BLOCK_SIZE,
  Tx: 16 + MAX_TX_SIZE,
  Ping: 16,
  Pong: 16,
  GetAddr: 16,
  Addr: 16 + 64 * MAX_ADDR_PER_MESSAGE,
};

/** Messages a peer may send before the handshake completes (all small). */
export const PRE_HANDSHAKE_MESSAGES: ReadonlySet<P2pMessageType> = new Set([
  "Handshake",
  "HandshakeAck",
  "Version",
  "VerAck",
  "Ping",
  "Pong",
]);

/** The largest frame payload accepted before the handshake. */
export const MAX_PRE_HANDSHAKE_PAYLOAD = MAX_MESSAGE_PAYLOAD.Handshake;

/** The message type a payload claims (its leading variant), or undefined when it names none. */
export function peekMessageType(payload: Uint8Array): P2pMessageType | undefined {
  // Variants below 251 are one byte in bincode's varint encoding; every message variant is.
  return payload.length > 0 ? MESSAGE_TYPES[payload[0]!] : undefined;
}

/** The longest IP literal an Addr entry may carry (a full IPv6 text is 39 characters). */
const MAX_ADDR_HOST = 45;

function readPeerAddress(r: BincodeReader): PeerAddress {
  const host = r.string("address host", MAX_ADDR_HOST);
  return { host, port: r.u16(), lastSeen: r.u64n("last_seen") };
}

export function readP2pMessage(r: BincodeReader): P2pMessage {
  const type = MESSAGE_TYPES[r.variant(MESSAGE_TYPES.length, "P2pMessage")]!;
  switch (type) {
    case "Handshake":
    case "HandshakeAck":
      return { type, info: readHandshakeInfo(r) };
    case "Version": {
      const version = r.string("version", MAX_SHORT_STRING);
      return { type, version, height: r.u64n("height") };
    }
    case "VerAck":
      return { type };
    case "GetHeaders": {
      const locatorHashes = readHashList(r, "locator_hashes", MAX_LOCATOR_HASHES);
      const stopHash = r.option((r2) => r2.bytes("stop_hash"), "stop_hash option");
      return { type, locatorHashes, stopHash };
    }
    case "Headers":
      return { type, headers: r.vec(readBlockHeader, 6, "headers", MAX_HEADERS_PER_MESSAGE) };
    case "Inv":
    case "GetData": {
      const objectType = r.variant(3, "InventoryType") as InventoryType;
      return { type, objectType, hashes: readHashList(r, "inventory hashes", MAX_INVENTORY_ITEMS) };
    }
    case "Block":
      return { type, block: readBlock(r) };
    case "Tx":
      return { type, tx: readTransaction(r) };
    case "Ping":
    case "Pong":
      return { type, nonce: r.u64() };
    case "GetAddr":
      return { type };
    case "Addr":
      return { type, addresses: r.vec(readPeerAddress, 4, "addresses", MAX_ADDR_PER_MESSAGE) };
  }
}

/** The bincode payload of a message (what a frame carries). */
export function encodeP2pMessage(m: P2pMessage): Uint8Array {
  const w = new BincodeWriter("standard", m.type === "Block" ? 4096 : 128);
  writeP2pMessage(w, m);
  return w.finish();
}

/**
 * Decodes one whole payload; trailing bytes are a CodecError, and so is a payload larger than its
 * type allows (checked before decoding).
 */
export function decodeP2pMessage(payload: Uint8Array): P2pMessage {
  const steps = decodeP2pMessageInSteps(payload, Number.MAX_SAFE_INTEGER);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * decodeP2pMessage that pauses (yield) every `txsPerStep` transactions of a Block, so that a node
 * decodes a large block a slice per event-loop turn and stays responsive meanwhile.
 */
export function* decodeP2pMessageInSteps(
  payload: Uint8Array,
  txsPerStep: number,
): Generator<void, P2pMessage, void> {
  const type = peekMessageType(payload);
  if (type !== undefined && payload.length > MAX_MESSAGE_PAYLOAD[type]) {
    throw new CodecError(
      "LENGTH_TOO_LARGE",
      `${type} message of ${payload.length} bytes exceeds its limit of ${MAX_MESSAGE_PAYLOAD[type]}`,
      0,
    );
  }
  const r = new BincodeReader(payload);
  let m: P2pMessage;
  if (type === "Block") {
    r.variant(MESSAGE_TYPES.length, "P2pMessage");
    m = { type, block: yield* readBlockInSteps(r, txsPerStep) };
  } else {
    m = readP2pMessage(r);
  }
  r.expectEnd(`${m.type} message`);
  return m;
}

export function isCodecError(e: unknown): e is CodecError {
  return e instanceof CodecError;
}

/** A JSON view of a message for logs and debugging (hashes as hex). */
export function p2pMessageToJSON(
  m: P2pMessage,
):
  | { type: P2pMessageType; [k: string]: unknown }
  | { type: "Block"; block: BlockJSON }
  | { type: "Tx"; tx: TransactionJSON }
  | { type: "Headers"; headers: BlockHeaderJSON[] } {
  switch (m.type) {
    case "Handshake":
    case "HandshakeAck":
      return { type: m.type, info: { ...m.info } };
    case "Version":
      return { type: m.type, version: m.version, height: m.height };
    case "VerAck":
      return { type: m.type };
    case "GetHeaders":
      return {
        type: m.type,
        locator_hashes: m.locatorHashes.map(bytesToHex),
        stop_hash: m.stopHash ? bytesToHex(m.stopHash) : null,
      };
    case "Headers":
      return { type: m.type, headers: m.headers.map(blockHeaderToJSON) };
    case "Inv":
    case "GetData":
      return { type: m.type, object_type: InventoryType[m.objectType], hashes: m.hashes.map(bytesToHex) };
    case "Block":
      return { type: m.type, block: blockToJSON(m.block) };
    case "Tx":
      return { type: m.type, tx: transactionToJSON(m.tx) };
    case "Ping":
    case "Pong":
      return { type: m.type, nonce: m.nonce.toString() };
    case "GetAddr":
      return { type: m.type };
    case "Addr":
      return { type: m.type, addresses: m.addresses.map((a) => ({ ...a })) };
  }
}
