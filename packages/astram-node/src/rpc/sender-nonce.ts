import { BlockCache } from "../api/queries/block-data.js";
import type { AstramNode } from "../node.js";
import { serverError } from "./errors.js";
import { ethFieldsOf, formatQueuedTransfer, formatTransaction, senderOf } from "./eth-format.js";
import { ethState } from "./eth-state.js";

/** Address-history entries read for a confirmed nonce before giving up (eth_getBalance's bound too). */
export const MAX_NONCE_HISTORY = 10_000;
const PAGE = 500;

/**
 * eth_getTransactionBySenderAndNonce (reth and Erigon answer it; viem's receipt wait asks it to find
 * what replaced a transaction the node no longer knows): the sender's transfer holding `nonce` in
 * the mempool, the nonce queue, or the best chain (its address history, newest first, until a lower
 * nonce shows the one asked for is not there). null when there is none.
 */
export function transactionBySenderAndNonce(node: AstramNode, sender: string, nonce: bigint): object | null {
  const pending = node.mempool.getByEthNonce(sender, nonce);
  if (pending) return formatTransaction(pending.tx, undefined, pending.fee);
  const queued = ethState(node).queue.get(sender, nonce);
  if (queued) return formatQueuedTransfer(queued.auth);
  if (nonce >= BigInt(node.store.ethNonce(sender))) return null;
  const cache = new BlockCache(node.store);
  for (let offset = 0; offset < MAX_NONCE_HISTORY; offset += PAGE) {
    const page = node.store.addressHistory(sender, { limit: PAGE, offset });
    for (const h of page) {
      const entry = node.chain.atHeight(h.height);
      const block = entry ? cache.block(entry.hash) : undefined;
      const tx = block?.transactions[h.position];
      if (!entry || !tx || tx.txid !== h.txid) continue; // index and chain disagree mid-reorg
      const eth = ethFieldsOf(tx);
      if (!eth || senderOf(tx) !== sender) continue;
      if (eth.nonce === nonce)
        return formatTransaction(
          tx,
          { blockHash: entry.hash, blockNumber: h.height, index: h.position },
          undefined,
        );
      if (eth.nonce < nonce) return null; // newest first: the nonce asked for would have come already
    }
    if (page.length < PAGE) return null;
  }
  throw serverError(
    `historical state not available: nonces deeper than ${MAX_NONCE_HISTORY} history entries`,
  );
}
