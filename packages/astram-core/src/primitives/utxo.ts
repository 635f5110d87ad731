import { BincodeReader } from "../codec/reader.js";
import { readU256, writeU256 } from "../codec/u256.js";
import { BincodeWriter } from "../codec/writer.js";
import { bigintToHex } from "../crypto/hex.js";

/** A reference to one output of one transaction. */
export interface OutPoint {
  readonly txid: string;
  readonly vout: number;
}

/** An unspent output: where it is, who owns it (lowercase address) and how much it holds. */
export interface Utxo extends OutPoint {
  readonly to: string;
  readonly amount: bigint;
}

/** The key the reference uses for an outpoint, "txid:vout" (also handy for maps). */
export function outPointKey(o: OutPoint): string {
  return `${o.txid}:${o.vout}`;
}

export function writeOutPoint(w: BincodeWriter, o: OutPoint): void {
  w.string(o.txid).u32(o.vout);
}

export function readOutPoint(r: BincodeReader): OutPoint {
  const txid = r.string("outpoint txid");
  const vout = r.u32();
  return { txid, vout };
}

export function encodeOutPoint(o: OutPoint): Uint8Array {
  const w = new BincodeWriter("standard", 72);
  writeOutPoint(w, o);
  return w.finish();
}

export function decodeOutPoint(bytes: Uint8Array): OutPoint {
  const r = new BincodeReader(bytes);
  const o = readOutPoint(r);
  r.expectEnd("outpoint");
  return o;
}

export function writeUtxo(w: BincodeWriter, u: Utxo): void {
  w.string(u.txid).u32(u.vout).string(u.to);
  writeU256(w, u.amount);
}

export function readUtxo(r: BincodeReader): Utxo {
  const txid = r.string("utxo txid");
  const vout = r.u32();
  const to = r.string("utxo owner");
  const amount = readU256(r);
  return { txid, vout, to, amount };
}

/** Field order of the reference's Utxo: txid, vout, to, amount_raw. */
export function encodeUtxo(u: Utxo): Uint8Array {
  const w = new BincodeWriter("standard", 128);
  writeUtxo(w, u);
  return w.finish();
}

export function decodeUtxo(bytes: Uint8Array): Utxo {
  const r = new BincodeReader(bytes);
  const u = readUtxo(r);
  r.expectEnd("utxo");
  return u;
}

export interface UtxoJSON {
  txid: string;
  vout: number;
  to: string;
  amount: string;
}

export function utxoToJSON(u: Utxo): UtxoJSON {
  return { txid: u.txid, vout: u.vout, to: u.to, amount: bigintToHex(u.amount) };
}

export function utxoFromJSON(j: UtxoJSON): Utxo {
  return { txid: j.txid, vout: j.vout, to: j.to, amount: BigInt(j.amount) };
}

export function outPointToJSON(o: OutPoint): { txid: string; vout: number } {
  return { txid: o.txid, vout: o.vout };
}
