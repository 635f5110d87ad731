import { BincodeReader, MIN_TRANSACTION_SIZE, readBlockHeader, readTransaction } from "astram-core";
import type { Chainstate, IndexEntry } from "../chain/chainstate.js";

/** Entries kept: enough for a window on the tip and a competing branch. */
const CACHE_LIMIT = 256;

/**
 * Who mined recent blocks: the first coinbase output's address of each. Only the header and the
 * coinbase are decoded from the stored bytes, once per block.
 */
export class RecentProducers {
  private readonly byHash = new Map<string, string>();

  constructor(private readonly chain: Chainstate) {}

  /** Producers of up to `count` blocks ending at `tip` (newest first), genesis excluded. */
  of(tip: IndexEntry, count: number): string[] {
    const out: string[] = [];
    for (let e: IndexEntry | undefined = tip; e && e.height > 0 && out.length < count; ) {
      const producer = this.producer(e.hash);
      if (producer) out.push(producer);
      e = this.chain.getEntry(e.header.previousHash);
    }
    return out;
  }

  private producer(hash: string): string | undefined {
    const known = this.byHash.get(hash);
    if (known) return known;
    const bytes = this.chain.store.getBlockBytes(hash);
    if (!bytes) return undefined;
    const r = new BincodeReader(bytes);
    readBlockHeader(r);
    r.len(MIN_TRANSACTION_SIZE, "transactions");
    const producer = readTransaction(r).outputs[0]?.to;
    if (!producer) return undefined;
    if (this.byHash.size >= CACHE_LIMIT) this.byHash.delete(this.byHash.keys().next().value!);
    this.byHash.set(hash, producer);
    return producer;
  }
}
