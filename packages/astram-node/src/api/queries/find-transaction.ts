import type { Transaction } from "astram-core";
import type { MempoolEntry } from "../../mempool/mempool.js";
import type { AstramNode } from "../../node.js";
import { transactionAt } from "./block-data.js";

/** A transaction located in the mempool or on the best chain. */
export type FoundTransaction =
  | { readonly status: "pending"; readonly tx: Transaction; readonly entry: MempoolEntry }
  | {
      readonly status: "confirmed";
      readonly tx: Transaction;
      readonly blockHash: string;
      readonly height: number;
      readonly position: number;
      readonly confirmations: number;
    };

/** Looks a transaction up by txid (64 hex): the mempool first, then the chain's tx index. */
export function findByTxid(node: AstramNode, txid: string): FoundTransaction | undefined {
  const id = txid.toLowerCase();
  const entry = node.mempool.get(id);
  if (entry) return { status: "pending", tx: entry.tx, entry };
  const loc = node.store.getTxLocation(id);
  if (!loc) return undefined;
  const index = node.chain.getEntry(loc.blockHash);
  const tx = transactionAt(node.store, loc.blockHash, loc.position);
  if (!index || !tx) return undefined;
  return {
    status: "confirmed",
    tx,
    blockHash: loc.blockHash,
    height: index.height,
    position: loc.position,
    confirmations: node.chain.height - index.height + 1,
  };
}

/**
 * Looks a transaction up by an Ethereum-style hash ("0x" + 64 hex, either case): our eth_hash
 * (keccak of the preimage) or keccak256 of the raw signed Ethereum transaction it carries.
 */
export function findByEthHash(node: AstramNode, ethHash: string): FoundTransaction | undefined {
  const h = ethHash.toLowerCase().replace(/^0x/, "");
  const entry = node.mempool.getByEthHash("0x" + h);
  if (entry) return { status: "pending", tx: entry.tx, entry };
  const txid = node.store.txidForEthHash(h);
  return txid ? findByTxid(node, txid) : undefined;
}

/** Either form: 64 hex is a txid, "0x" + 64 hex an eth hash (falling back to a txid). */
export function findTransaction(node: AstramNode, id: string): FoundTransaction | undefined {
  if (/^0x/i.test(id)) return findByEthHash(node, id) ?? findByTxid(node, id.slice(2));
  return findByTxid(node, id);
}
