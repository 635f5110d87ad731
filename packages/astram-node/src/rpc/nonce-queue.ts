import type { EthAuthorization } from "astram-core";
import { REPLACEMENT_BUMP_PERCENT } from "../mempool/mempool.js";
import { serverError } from "./errors.js";

/** Future nonces one sender may have waiting (geth's account queue is 64 too). */
export const MAX_QUEUED_PER_SENDER = 64;
/** Future nonces waiting in all (geth's global queue is 1024). */
export const MAX_QUEUED_TOTAL = 1024;
/** Seconds a queued transaction waits for its gap to fill before it is dropped (geth: 3 hours). */
export const QUEUED_LIFETIME_SECONDS = 3 * 3600;

export interface QueuedTransfer {
  readonly auth: EthAuthorization;
  readonly addedAt: number;
}

/**
 * Ethereum transfers whose nonce is ahead of the sender's next one: they wait here (not relayed,
 * not in the mempool: they cannot be checked against a state they do not follow yet) until the gap
 * fills, then enter the mempool through the ordinary path. Bounded per sender, in all and in age;
 * a queued nonce is replaced by a transfer paying at least 10% more per gas, as in the mempool.
 */
export class NonceQueue {
  private readonly bySender = new Map<string, Map<bigint, QueuedTransfer>>();
  private readonly byHash = new Map<string, QueuedTransfer>();

  get size(): number {
    return this.byHash.size;
  }
  getByHash(hash: string): QueuedTransfer | undefined {
    return this.byHash.get(hash.toLowerCase());
  }
  /** The transfer of `sender` queued with `nonce`, if any. */
  get(sender: string, nonce: bigint): QueuedTransfer | undefined {
    return this.bySender.get(sender)?.get(nonce);
  }
  senders(): string[] {
    return [...this.bySender.keys()];
  }

  /** Queues `auth` (nonce > next). Throws an RpcError and changes nothing when it may not wait. */
  add(auth: EthAuthorization, next: bigint, now: number): void {
    this.expire(now);
    if (auth.nonce >= next + BigInt(MAX_QUEUED_PER_SENDER))
      throw serverError(
        `nonce too high: next nonce ${next}, tx nonce ${auth.nonce} (at most ${MAX_QUEUED_PER_SENDER} future nonces wait)`,
      );
    const mine = this.bySender.get(auth.sender) ?? new Map<bigint, QueuedTransfer>();
    const old = mine.get(auth.nonce);
    if (old) {
      const bump = (a: bigint, b: bigint) => b * 100n >= a * (100n + REPLACEMENT_BUMP_PERCENT);
      if (
        !bump(old.auth.maxFeePerGas, auth.maxFeePerGas) ||
        !bump(old.auth.maxPriorityFeePerGas, auth.maxPriorityFeePerGas)
      )
        throw serverError(
          `replacement transaction underpriced: queued nonce ${auth.nonce} pays ${old.auth.maxFeePerGas} wei per gas; ` +
            `a replacement pays at least ${REPLACEMENT_BUMP_PERCENT}% more`,
        );
    } else {
      if (mine.size >= MAX_QUEUED_PER_SENDER)
        throw serverError(`txpool is full: ${auth.sender} has ${mine.size} queued transactions`);
      if (this.byHash.size >= MAX_QUEUED_TOTAL) throw serverError("txpool is full");
    }
    if (old) this.byHash.delete(old.auth.hash);
    const queued = { auth, addedAt: now };
    mine.set(auth.nonce, queued);
    this.bySender.set(auth.sender, mine);
    this.byHash.set(auth.hash, queued);
  }

  /** Removes and returns the queued transfer of `sender` with `nonce`. */
  take(sender: string, nonce: bigint): QueuedTransfer | undefined {
    const mine = this.bySender.get(sender);
    const queued = mine?.get(nonce);
    if (!mine || !queued) return undefined;
    mine.delete(nonce);
    if (mine.size === 0) this.bySender.delete(sender);
    this.byHash.delete(queued.auth.hash);
    return queued;
  }

  /** Drops what the chain made stale (nonces below `confirmed`). */
  dropBelow(sender: string, confirmed: bigint): void {
    for (const nonce of [...(this.bySender.get(sender)?.keys() ?? [])])
      if (nonce < confirmed) this.take(sender, nonce);
  }

  /** Drops transfers older than the lifetime. */
  expire(now: number): void {
    for (const q of [...this.byHash.values()])
      if (q.addedAt + QUEUED_LIFETIME_SECONDS < now) this.take(q.auth.sender, q.auth.nonce);
  }
}
