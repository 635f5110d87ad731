/**
 * LMDB layout of the chain store. One environment (`<datadir>/chain.lmdb`), one named database per
 * concept, binary keys and values. Every block connect or disconnect is one write transaction.
 *
 * | db         | key                                              | value                                   |
 * | ---------- | ------------------------------------------------ | --------------------------------------- |
 * | `meta`     | "schema" / "tip" / "network"                       | u32 BE / 32-byte hash / network id text |
 * | `blocks`   | block hash (32)                                  | bincode Block (standard), any branch    |
 * | `index`    | block hash (32)                                  | BlockIndexRecord (see encodeIndexRecord)|
 * | `height`   | height u32 BE                                    | block hash (32) on the best chain       |
 * | `tx`       | txid (32)                                        | block hash (32) ‖ position u32 BE       |
 * | `ethtx`    | eth hash (32) (our eth_hash and keccak(raw))     | txid (32)                               |
 * | `utxo`     | txid (32) ‖ vout u32 BE                          | bincode Utxo                            |
 * | `undo`     | block hash (32)                                  | bincode BlockUndo                       |
 * | `addrutxo` | address (20) ‖ txid (32) ‖ vout u32 BE           | amount as U256 limbs (bincode)          |
 * | `addrhist` | address (20) ‖ height u32 BE ‖ position u32 BE   | txid (32)                               |
 * | `addrstat` | address (20)                                     | bincode AddressStats                    |
 * | `ethnonce` | address (20)                                     | u32 BE count of Ethereum-signed txs     |
 *
 * The block index (`index`) holds every stored block, side branches included, and is loaded into
 * memory at startup; `height`, `tx`, `utxo`, `undo`, `addr*` and `ethnonce` describe the best chain only.
 */
import { hexToBytes } from "astram-core";

export const SCHEMA_VERSION = 1;

export const DB_NAMES = [
  "meta",
  "blocks",
  "index",
  "height",
  "tx",
  "ethtx",
  "utxo",
  "undo",
  "addrutxo",
  "addrhist",
  "addrstat",
  "ethnonce",
] as const;
export type DbName = (typeof DB_NAMES)[number];

export const META_SCHEMA = Buffer.from("schema");
export const META_TIP = Buffer.from("tip");
export const META_NETWORK = Buffer.from("network");

export function u32be(n: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(n, 0);
  return b;
}

export function hashKey(hex: string): Buffer {
  return Buffer.from(hexToBytes(hex));
}

/** Addresses are stored as their 20 raw bytes. */
export function addressKey(address: string): Buffer {
  return Buffer.from(address.slice(2), "hex");
}

export function outPointKey(txid: string, vout: number): Buffer {
  return Buffer.concat([hashKey(txid), u32be(vout)]);
}

export function addrUtxoKey(address: string, txid: string, vout: number): Buffer {
  return Buffer.concat([addressKey(address), hashKey(txid), u32be(vout)]);
}

export function addrHistKey(address: string, height: number, position: number): Buffer {
  return Buffer.concat([addressKey(address), u32be(height), u32be(position)]);
}

/** Range bounds covering every key that starts with `prefix`. */
export function prefixRange(prefix: Buffer): { start: Buffer; end: Buffer } {
  return { start: prefix, end: Buffer.concat([prefix, Buffer.alloc(40, 0xff)]) };
}
