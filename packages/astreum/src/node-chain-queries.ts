// Reading the chain from atoms for the node: blocks by hash (through a bounded cache, fetching from
// peers while connected), transactions for the pool, and the search for a transaction's receipt.
// A block whose atoms do not decode is recorded in the node's rejectedBlocks as "malformed".
import { Block } from "./consensus/block.js";
import { ConsensusDecodeError, MissingAtomError } from "./consensus/errors.js";
import { hashListIds } from "./consensus/expr-chain.js";
import { Receipt } from "./consensus/receipt.js";
import { Transaction } from "./consensus/transaction.js";
import type { Logger } from "./logger.js";
import type { Prefetcher } from "./node-prefetch.js";
import type { Peer } from "./relay/peer.js";
import { idKey, idsEqual } from "./storage/atom-id.js";
import type { AtomLookup } from "./storage/lists.js";

const BLOCK_CACHE = 4096;

export interface TransactionLocation {
  blockHash: Uint8Array;
  block: Block;
  index: number;
  receipt: Receipt;
}

/** What chain queries need from the node. */
export interface ChainQueriesHost {
  /** Reads atoms locally, then from peers (waiting as configured). */
  readonly lookup: AtomLookup;
  readonly prefetch: Prefetcher;
  /** The node's rejected blocks, by hex hash, with the rule they broke. */
  readonly rejectedBlocks: Map<string, string>;
  readonly logger: Logger;
  isConnected(): boolean;
}

export class ChainQueries {
  private readonly blocks = new Map<string, Block>();

  constructor(private readonly host: ChainQueriesHost) {}

  /** A block by hash (cache, storage, then peers; `peer` is tried first as its provider), or null. */
  async getBlock(hash: Uint8Array, peer?: Peer): Promise<Block | null> {
    const h = this.host;
    const k = idKey(hash);
    const hit = this.blocks.get(k);
    if (hit !== undefined) return hit;
    try {
      if (h.isConnected()) await h.prefetch.object(hash, 4, peer);
      const block = await Block.load(h.lookup, hash);
      this.rememberBlock(hash, block);
      return block;
    } catch (err) {
      if (err instanceof MissingAtomError) return null;
      if (err instanceof ConsensusDecodeError) {
        h.rejectedBlocks.set(k, "malformed");
        h.logger.warn(`block ${k.slice(0, 16)} is malformed: ${err.message}`);
        return null;
      }
      throw err;
    }
  }

  /**
   * Finds a transaction in the last `depth` blocks of the chain ending at `head`: its block,
   * position and receipt; null when it is not there.
   */
  async findTransaction(
    head: Uint8Array | null,
    txHash: Uint8Array,
    depth: number,
  ): Promise<TransactionLocation | null> {
    const lookup = this.host.lookup;
    let hash = head;
    for (let i = 0; i < depth && hash !== null; i++) {
      const block = await this.getBlock(hash);
      if (block === null) return null;
      const ids = await hashListIds(lookup, block.transactionsHash, "transaction list");
      const index = ids.findIndex((id) => idsEqual(id, txHash));
      if (index >= 0) {
        const receipts = await hashListIds(lookup, block.receiptsHash, "receipt list");
        return { blockHash: hash, block, index, receipt: await Receipt.load(lookup, receipts[index]!) };
      }
      if (block.isGenesis) return null;
      hash = block.previousBlockHash;
    }
    return null;
  }

  /** A transaction by hash, its atoms fetched first (the pool's loader). */
  async loadTransaction(hash: Uint8Array): Promise<Transaction> {
    await this.host.prefetch.object(hash, 4);
    return Transaction.load(this.host.lookup, hash);
  }

  /** Keeps a block in the cache (the oldest is forgotten past 4,096). */
  rememberBlock(hash: Uint8Array, block: Block): void {
    const k = idKey(hash);
    if (this.blocks.has(k)) return;
    if (this.blocks.size >= BLOCK_CACHE) this.blocks.delete(this.blocks.keys().next().value!);
    this.blocks.set(k, block);
  }
}
