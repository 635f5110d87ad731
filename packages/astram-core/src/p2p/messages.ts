import { CodecError } from "../codec/errors.js";
import { BincodeReader } from "../codec/reader.js";
import { BincodeWriter } from "../codec/writer.js";
import { bytesToHex } from "../crypto/hex.js";
import { type Block, type BlockJSON, blockToJSON, readBlock, writeBlock } from "../primitives/block.js";
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
  const softwareVersion = r.string("software_version");
  const supportedFeatures = r.vec((r2) => r2.string("feature"), 1, "supported_features");
  const networkId = r.string("network_id");
  const chainId = r.u64n("chain_id");
  const height = r.u64n("height");
  const listeningPort = r.u16();
  return { protocolVersion, softwareVersion, supportedFeatures, networkId, chainId, height, listeningPort };
}

const writeHashList = (w: BincodeWriter, hashes: readonly Uint8Array[]) =>
  w.vec(hashes, (w2, h) => w2.bytes(h));
const readHashList = (r: BincodeReader, what: string) => r.vec((r2) => r2.bytes("hash"), 1, what);

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
      const version = r.string("version");
      return { type, version, height: r.u64n("height") };
    }
    case "VerAck":
      return { type };
    case "GetHeaders": {
      const locatorHashes = readHashList(r, "locator_hashes");
      const stopHash = r.option((r2) => r2.bytes("stop_hash"), "stop_hash option");
      return { type, locatorHashes, stopHash };
    }
    case "Headers":
      return { type, headers: r.vec(readBlockHeader, 6, "headers") };
    case "Inv":
    case "GetData": {
      const objectType = r.variant(3, "InventoryType") as InventoryType;
      return { type, objectType, hashes: readHashList(r, "inventory hashes") };
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

/** Decodes one whole payload; trailing bytes are a CodecError. */
export function decodeP2pMessage(payload: Uint8Array): P2pMessage {
  const r = new BincodeReader(payload);
  const m = readP2pMessage(r);
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
