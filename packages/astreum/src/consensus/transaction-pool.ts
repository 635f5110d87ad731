// The validator's transaction queue (facts §4.12: `enqueue_transaction_hash`). Hashes announced by
// TRANSACTION messages are fetched and checked (decodes, chain id, Ed25519 signature) before they
// join the ready queue; locally sent transactions join directly. Block production takes the whole
// ready queue, ordered by counter so one sender's transactions apply in order; whatever a block
// could not use is dropped (rejected) or handed back (requeue).
import type { Logger } from "../logger.js";
import { idKey } from "../storage/atom-id.js";
import { ConsensusError } from "./errors.js";
import type { Transaction } from "./transaction.js";

export interface PoolOptions {
  chainId: number;
  log: Logger;
  /** Fetches and decodes a transaction by hash (from storage or peers); throws when it cannot. */
  load: (hash: Uint8Array) => Promise<Transaction>;
  /** Most transactions waiting at once (default 100,000). */
  limit?: number;
}

const SEEN_LIMIT = 200_000;

export class TransactionPool {
  private readonly ready = new Map<string, Transaction>();
  private readonly fetching = new Set<string>();
  private readonly seen = new Set<string>();
  private readonly limit: number;

  constructor(private readonly o: PoolOptions) {
    this.limit = o.limit ?? 100_000;
  }

  get size(): number {
    return this.ready.size;
  }

  /** True when the hash is waiting or being fetched. */
  has(hash: Uint8Array): boolean {
    const k = idKey(hash);
    return this.ready.has(k) || this.fetching.has(k);
  }

  /** Adds a transaction held locally. False when it is invalid, known, or the pool is full. */
  submit(tx: Transaction): boolean {
    const k = idKey(tx.hash());
    if (this.seen.has(k) || this.ready.size >= this.limit) return false;
    const problem = this.check(tx);
    if (problem !== null) {
      this.o.log.warn(`transaction ${k.slice(0, 16)} refused: ${problem}`);
      return false;
    }
    this.remember(k);
    this.ready.set(k, tx);
    return true;
  }

  /** A hash announced by a peer: fetched, checked and queued in the background. */
  intake(hash: Uint8Array): void {
    const k = idKey(hash);
    if (this.seen.has(k) || this.fetching.has(k) || this.ready.size >= this.limit) return;
    this.fetching.add(k);
    this.o
      .load(hash)
      .then((tx) => {
        this.fetching.delete(k);
        this.submit(tx);
      })
      .catch((err: unknown) => {
        this.fetching.delete(k);
        const msg = err instanceof ConsensusError || err instanceof Error ? err.message : String(err);
        this.o.log.warn(`transaction ${k.slice(0, 16)} not queued: ${msg}`);
      });
  }

  /** Takes every ready transaction, ordered by counter (stable), leaving the queue empty. */
  take(): Transaction[] {
    const txs = [...this.ready.values()];
    this.ready.clear();
    return txs
      .map((tx, i) => ({ tx, i }))
      .sort((a, b) => (a.tx.counter < b.tx.counter ? -1 : a.tx.counter > b.tx.counter ? 1 : a.i - b.i))
      .map((e) => e.tx);
  }

  /** Hands transactions back (a block that was not published). */
  requeue(txs: readonly Transaction[]): void {
    for (const tx of txs) this.ready.set(idKey(tx.hash()), tx);
  }

  /** Forgets that a hash was seen (so it may be announced again). */
  forget(hash: Uint8Array): void {
    this.seen.delete(idKey(hash));
  }

  private check(tx: Transaction): string | null {
    if (tx.chainId !== this.o.chainId) return `chain id ${tx.chainId}, this chain is ${this.o.chainId}`;
    if (!tx.verifySignature()) return "the signature does not verify";
    return null;
  }

  private remember(k: string): void {
    if (this.seen.size >= SEEN_LIMIT) this.seen.delete(this.seen.values().next().value!);
    this.seen.add(k);
  }
}
