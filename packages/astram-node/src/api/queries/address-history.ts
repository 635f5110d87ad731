import { isCoinbase, type Transaction } from "astram-core";
import type { AstramNode } from "../../node.js";
import { BlockCache } from "./block-data.js";

/** One transaction in an address's history, with what it paid to and took from the address. */
export interface AddressTxSummary {
  readonly txid: string;
  readonly ethHash: string;
  /** undefined while pending. */
  readonly height: number | undefined;
  readonly blockHash: string | undefined;
  readonly position: number | undefined;
  readonly timestamp: number;
  /** Sum of the transaction's outputs to the address. */
  readonly received: bigint;
  /** Sum of the address's outputs the transaction spent. */
  readonly sent: bigint;
  readonly coinbase: boolean;
}

function amountsFor(
  tx: Transaction,
  address: string,
  ownerAmount: (txid: string, vout: number) => { to: string; amount: bigint } | undefined,
): { received: bigint; sent: bigint } {
  let received = 0n;
  for (const o of tx.outputs) if (o.to.toLowerCase() === address) received += o.amount;
  let sent = 0n;
  for (const i of tx.inputs) {
    const u = ownerAmount(i.txid, i.vout);
    if (u && u.to === address) sent += u.amount;
  }
  return { received, sent };
}

/**
 * Best-chain history of an address, newest first, from the address-history index (never a scan):
 * each entry's block is read once per call, its spent amounts come from the block's undo data.
 */
export function confirmedHistory(
  node: AstramNode,
  address: string,
  opts: { limit: number; offset: number },
  cache = new BlockCache(node.store),
): AddressTxSummary[] {
  const out: AddressTxSummary[] = [];
  for (const h of node.store.addressHistory(address, opts)) {
    const entry = node.chain.atHeight(h.height);
    const block = entry ? cache.block(entry.hash) : undefined;
    const tx = block?.transactions[h.position];
    if (!block || !tx || tx.txid !== h.txid) continue; // index and chain disagree mid-reorg: skip
    const spent = cache.spentOutputs(block);
    const { received, sent } = amountsFor(tx, address, (txid, vout) => spent.get(`${txid}:${vout}`));
    out.push({
      txid: tx.txid,
      ethHash: tx.ethHash,
      height: h.height,
      blockHash: block.hash,
      position: h.position,
      timestamp: tx.timestamp,
      received,
      sent,
      coinbase: isCoinbase(tx),
    });
  }
  return out;
}

/** Pending transactions that pay or spend the address (a walk of the in-memory mempool). */
export function pendingHistory(node: AstramNode, address: string): AddressTxSummary[] {
  const out: AddressTxSummary[] = [];
  const lookup = (txid: string, vout: number) => {
    const u = node.store.getUtxo({ txid, vout });
    if (u) return u;
    const parent = node.mempool.get(txid)?.tx.outputs[vout];
    return parent ? { to: parent.to.toLowerCase(), amount: parent.amount } : undefined;
  };
  for (const e of node.mempool.all()) {
    const { received, sent } = amountsFor(e.tx, address, lookup);
    const touches =
      received > 0n ||
      sent > 0n ||
      e.tx.outputs.some((o) => o.to.toLowerCase() === address) ||
      e.ethSender === address;
    if (!touches) continue;
    out.push({
      txid: e.tx.txid,
      ethHash: e.tx.ethHash,
      height: undefined,
      blockHash: undefined,
      position: undefined,
      timestamp: e.tx.timestamp,
      received,
      sent,
      coinbase: false,
    });
  }
  return out.sort((a, b) => b.timestamp - a.timestamp);
}

export class HistoryTooDeepError extends Error {
  override readonly name = "HistoryTooDeepError";
  readonly code = "HISTORY_TOO_DEEP";
}

/**
 * The address's confirmed balance at the end of block `height`: today's balance minus the net effect
 * of its transactions above that height (walked newest first through the history index, at most
 * `maxEntries` of them).
 */
export function balanceAtHeight(
  node: AstramNode,
  address: string,
  height: number,
  maxEntries = 10_000,
): bigint {
  const stats = node.store.addressStats(address);
  let balance = stats.received - stats.sent;
  if (height >= node.chain.height) return balance;
  const cache = new BlockCache(node.store);
  const page = 200;
  for (let offset = 0; offset < maxEntries; offset += page) {
    const entries = confirmedHistory(node, address, { limit: page, offset }, cache);
    for (const e of entries) {
      if ((e.height ?? 0) <= height) return balance;
      balance -= e.received - e.sent;
    }
    if (entries.length < page) return balance;
  }
  throw new HistoryTooDeepError(
    `more than ${maxEntries} transactions of ${address} since block ${height}; historical balance unavailable`,
  );
}

/** Number of Ethereum-signed transactions `address` had sent by the end of block `height` (undo data walk). */
export function ethNonceAtHeight(
  node: AstramNode,
  address: string,
  height: number,
  maxBlocks = 10_000,
): number {
  let nonce = node.store.ethNonce(address);
  const tip = node.chain.height;
  if (height >= tip) return nonce;
  if (tip - height > maxBlocks)
    throw new HistoryTooDeepError(`nonces older than ${maxBlocks} blocks are not available`);
  for (let h = tip; h > height; h--) {
    const entry = node.chain.atHeight(h);
    if (!entry) continue;
    for (const s of node.store.getUndo(entry.hash)?.ethSenders ?? []) if (s === address) nonce--;
  }
  return nonce;
}
