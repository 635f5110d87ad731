// The validation worker (facts §4.12). While a validation key is set and the node has a head: when
// this key is the scheduled validator of the head, wait until shortly before the next block's
// time, take the queued transactions, build, sign and nonce the block, wait for its timestamp and
// publish it (store, advertise, set the head, ping peers). Otherwise poll every 0.5 s.
// Spacing: 2 s after a block with fees; each empty block adds a second (the reference's rule).
import type { Logger } from "../logger.js";
import { idKey, idsEqual } from "../storage/atom-id.js";
import { BackgroundLoop } from "./background-loop.js";
import type { Block } from "./block.js";
import { type BuiltBlock, buildBlock } from "./build-block.js";
import { TARGET_BLOCK_SPACING } from "./difficulty.js";
import { publicKeyOf } from "./ed25519.js";
import { MissingAtomError } from "./errors.js";
import type { AtomLookup } from "./expr-chain.js";
import { sleep } from "./sleep.js";
import type { TransactionPool } from "./transaction-pool.js";
import { currentValidator } from "./validator-schedule.js";

export interface Head {
  hash: Uint8Array;
  block: Block;
}

export interface ValidatorHost {
  readonly chainId: number;
  readonly log: Logger;
  readonly lookup: AtomLookup;
  readonly pool: TransactionPool;
  latest(): Head | null;
  validationSecretKey(): Uint8Array | null;
  /** Stores and advertises the block's atoms, makes it the head and pings peers. */
  publish(built: BuiltBlock): Promise<void>;
  /** Clock in ms (default Date.now). */
  now?(): number;
}

const IDLE_MS = 500;
/** A block is dropped when it is ready this many seconds after its timestamp. */
const LATE_SECONDS = 2;
/** Minimum head start for building before the timestamp (ms). */
const MIN_LEAD_MS = 100;

export class ValidationWorker extends BackgroundLoop {
  private spacing = TARGET_BLOCK_SPACING;
  private buildMs = 0;
  /** Schedule answers per head (the draw depends on the head only). */
  private scheduled: { head: string; validator: Uint8Array } | null = null;
  readonly stats = { produced: 0, dropped: 0, transactions: 0, rejected: 0 };

  constructor(private readonly host: ValidatorHost) {
    super("validation worker", host.log);
  }

  get blockSpacing(): number {
    return this.spacing;
  }

  /** Resets the spacing to the target (after adopting another head). */
  resetSpacing(): void {
    this.spacing = TARGET_BLOCK_SPACING;
  }

  private now(): number {
    return this.host.now?.() ?? Date.now();
  }

  protected async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        if (!(await this.step(signal))) await sleep(IDLE_MS, signal);
      } catch (err) {
        if (err instanceof MissingAtomError) this.host.log.warn(`validation: ${err.message}`);
        else this.host.log.error(`validation: ${(err as Error).message}`);
        await sleep(IDLE_MS, signal);
      }
    }
  }

  /** One attempt; false when there was nothing to do (idle). */
  private async step(signal: AbortSignal): Promise<boolean> {
    const secret = this.host.validationSecretKey();
    const head = this.host.latest();
    if (secret === null || head === null) return false;
    const own = publicKeyOf(secret);
    const headKey = idKey(head.hash);
    if (this.scheduled?.head !== headKey) {
      const s = await currentValidator(this.host.lookup, head.block);
      this.scheduled = { head: headKey, validator: s.validator };
    }
    if (!idsEqual(this.scheduled.validator, own)) return false;

    const prev = head.block;
    const timestamp = Math.max(
      Math.ceil((this.now() + this.buildMs) / 1000 + this.spacing),
      prev.timestamp + this.spacing,
    );
    // Collect transactions until shortly before the block's time, then build.
    const lead = Math.max(MIN_LEAD_MS, 2 * this.buildMs);
    if (!(await sleep(timestamp * 1000 - lead - this.now(), signal))) return true;
    if (!this.isHead(head)) return true;
    const txs = this.host.pool.take();
    const started = this.now();
    let built: BuiltBlock;
    try {
      built = await buildBlock({
        lookup: this.host.lookup,
        previous: prev,
        validatorSecretKey: secret,
        chainId: this.host.chainId,
        transactions: txs,
        timestamp,
      });
    } catch (err) {
      this.host.pool.requeue(txs);
      throw err;
    }
    this.buildMs = this.now() - started;
    for (const r of built.rejected)
      this.host.log.warn(
        `transaction ${idKey(r.transaction.hash()).slice(0, 16)} left out: ${r.error.message}`,
      );
    this.stats.rejected += built.rejected.length;
    if (this.now() > (timestamp + LATE_SECONDS) * 1000) {
      this.stats.dropped++;
      this.host.log.warn(`block ${prev.height + 1} was ready too late for its timestamp; dropped`);
      this.host.pool.requeue(built.included);
      return true;
    }
    if (!(await sleep(timestamp * 1000 - this.now(), signal)) || !this.isHead(head)) {
      this.host.pool.requeue(built.included);
      return true;
    }
    await this.host.publish(built);
    this.stats.produced++;
    this.stats.transactions += built.included.length;
    this.spacing = built.block.totalFee > 0n ? TARGET_BLOCK_SPACING : this.spacing + 1;
    return true;
  }

  private isHead(head: Head): boolean {
    const now = this.host.latest();
    return now !== null && idsEqual(now.hash, head.hash);
  }
}
