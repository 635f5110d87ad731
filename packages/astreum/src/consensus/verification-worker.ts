// The verification worker (facts §4.13). Every `verify_blockchain_interval` seconds: collect the
// heads proven peers report in their pings; for each head not yet known, walk back to a verified
// block (or genesis), then verify forward: header rules, then re-execution of the transactions on
// the parent's state. A block that breaks a rule is remembered as rejected (with its reason), and
// so is everything built on it. A head that cannot be fetched is tried again after a growing pause
// (UnavailableHeads). Among verified heads reported by at least one peer, not more than
// `verification_max_future_skew` ahead of the clock and not more than
// `verification_max_stale_seconds` older than the newest of them and the current head (the
// staleness bound compares candidates, so an idle chain's head is still adopted), the highest is
// adopted if it is higher than the current head (equal heights: the lexicographically smaller
// hash among candidates). With a default seed configured, the node trusts the default seed's head
// instead (no re-execution, no age window). A round also runs soon after a peer announces a head
// this node does not have.

import type { Logger } from "../logger.js";
import type { Expr } from "../machine/expr.js";
import type { Peer } from "../relay/peer.js";
import { idKey, idsEqual } from "../storage/atom-id.js";
import { BackgroundLoop } from "./background-loop.js";
import type { Block } from "./block.js";
import { MissingAtomError, VerifyError } from "./errors.js";
import type { AtomLookup } from "./expr-chain.js";
import { sleep } from "./sleep.js";
import type { Head } from "./validation-worker.js";
import { verifyBlockState, verifyGenesis, verifyHeader } from "./verify-block.js";

export interface VerifierHost {
  readonly chainId: number;
  readonly log: Logger;
  readonly lookup: AtomLookup;
  /** Seconds between rounds. */
  readonly intervalSeconds: number;
  /** Negative = no check. */
  readonly maxStaleSeconds: number;
  readonly maxFutureSkew: number;
  /** Trust the heads of default-seed peers (a default seed is configured). */
  readonly trustDefaultSeed: boolean;
  peers(): Iterable<Peer>;
  latest(): Head | null;
  /** Loads a block (from peers if needed; `peer` is a likely provider); null when unavailable. */
  getBlock(hash: Uint8Array, peer?: Peer): Promise<Block | null>;
  isVerified(hash: Uint8Array): boolean;
  markVerified(hash: Uint8Array): void;
  rejection(hash: Uint8Array): string | undefined;
  reject(hash: Uint8Array, reason: string): void;
  /** Fetches what re-executing `block` reads (its transactions), preferably from `peer`. */
  prepare?(block: Block, peer?: Peer): Promise<void>;
  /** Stores atoms computed by re-execution. */
  storeAtoms(atoms: readonly Expr[]): Promise<void>;
  adopt(head: Head, how: "verified" | "trusted"): void;
  now?(): number;
}

/** Shortest pause between two rounds (ms), however often peers announce heads. */
const MIN_ROUND_GAP_MS = 100;
/** Longest walk back from a reported head in one round. */
const MAX_WALK = 100_000;
/** Heads that could not be fetched, remembered at most. */
const MAX_UNAVAILABLE = 1024;
/** The pause before retrying an unavailable head grows to at most this many intervals. */
const MAX_BACKOFF_INTERVALS = 64;

/**
 * Heads no peer could serve: after its n-th failure a head is skipped for 2^(n−1) intervals (the
 * first retry is the next regular round), up to MAX_BACKOFF_INTERVALS. Bounded: only heads some
 * peer still reports are kept, and at most MAX_UNAVAILABLE of them (the oldest failure forgotten).
 */
export class UnavailableHeads {
  private readonly entries = new Map<string, { failures: number; retryAt: number }>();

  constructor(private readonly intervalMs: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** True when `key` may be tried at `now`. */
  due(key: string, now: number): boolean {
    const e = this.entries.get(key);
    return e === undefined || now >= e.retryAt;
  }

  failed(key: string, now: number): void {
    const failures = (this.entries.get(key)?.failures ?? 0) + 1;
    const pause = this.intervalMs * Math.min(2 ** (failures - 1), MAX_BACKOFF_INTERVALS);
    this.entries.delete(key);
    // 0.9: the regular round one pause later must not find it a few milliseconds early.
    this.entries.set(key, { failures, retryAt: now + pause * 0.9 });
    if (this.entries.size > MAX_UNAVAILABLE) this.entries.delete(this.entries.keys().next().value!);
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets heads no peer reports any more. */
  keepOnly(reported: ReadonlySet<string>): void {
    for (const k of this.entries.keys()) if (!reported.has(k)) this.entries.delete(k);
  }
}

export class VerificationWorker extends BackgroundLoop {
  private waker: AbortController | null = null;
  private wakeRequested = false;
  readonly stats = { rounds: 0, verified: 0, rejected: 0, adopted: 0, unavailable: 0 };
  /** Reported heads that could not be fetched, with their retry backoff. */
  readonly unavailable: UnavailableHeads;

  constructor(private readonly host: VerifierHost) {
    super("verification worker", host.log);
    this.unavailable = new UnavailableHeads(host.intervalSeconds * 1000);
  }

  /**
   * Runs the next round soon (a peer announced a new head) instead of at the end of the interval;
   * rounds stay at least MIN_ROUND_GAP_MS apart.
   */
  wake(): void {
    this.wakeRequested = true;
    this.waker?.abort();
  }

  protected async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      this.wakeRequested = false;
      try {
        await this.round(signal);
      } catch (err) {
        this.host.log.error(`verification: ${(err as Error).message}`);
      }
      await sleep(MIN_ROUND_GAP_MS, signal);
      if (this.wakeRequested) continue;
      this.waker = new AbortController();
      await sleep(
        this.host.intervalSeconds * 1000 - MIN_ROUND_GAP_MS,
        AbortSignal.any([signal, this.waker.signal]),
      );
      this.waker = null;
    }
  }

  /** One round: scan peer heads, verify them, adopt the best. */
  async round(signal?: AbortSignal): Promise<void> {
    this.stats.rounds++;
    const heads = new Map<string, { hash: Uint8Array; peers: Peer[] }>();
    for (const p of this.host.peers()) {
      if (p.latestBlockHash === null) continue;
      if (this.host.trustDefaultSeed && !p.isDefaultSeed) continue;
      const k = idKey(p.latestBlockHash);
      let h = heads.get(k);
      if (h === undefined) {
        h = { hash: p.latestBlockHash, peers: [] };
        heads.set(k, h);
      }
      h.peers.push(p);
    }
    const current = this.host.latest();
    const candidates: Head[] = [];
    this.unavailable.keepOnly(new Set(heads.keys()));
    for (const [key, { hash, peers }] of heads) {
      if (signal?.aborted) return;
      if (current !== null && idsEqual(current.hash, hash)) continue;
      if (this.host.rejection(hash) !== undefined) continue;
      if (!this.unavailable.due(key, this.now())) continue;
      let block: Block | null;
      if (this.host.trustDefaultSeed) {
        block = await this.host.getBlock(hash, peers[0]);
        if (block !== null && block.chainId !== this.host.chainId) continue;
      } else block = await this.verifyChain(hash, peers[0]!);
      if (block !== null) {
        this.unavailable.forget(key);
        candidates.push({ hash, block });
      } else if (this.host.rejection(hash) === undefined) {
        this.unavailable.failed(key, this.now());
        this.stats.unavailable++;
      }
    }
    const fresh = this.host.trustDefaultSeed ? candidates : this.withinWindow(candidates, current);
    let best: Head | null = null;
    for (const c of fresh)
      if (
        best === null ||
        c.block.height > best.block.height ||
        (c.block.height === best.block.height && Buffer.compare(c.hash, best.hash) < 0)
      )
        best = c;
    const latest = this.host.latest();
    if (best !== null && (latest === null || best.block.height > latest.block.height)) {
      if (this.host.trustDefaultSeed) this.host.markVerified(best.hash);
      this.host.adopt(best, this.host.trustDefaultSeed ? "trusted" : "verified");
      this.stats.adopted++;
    }
  }

  private now(): number {
    return this.host.now?.() ?? Date.now();
  }

  /**
   * The candidates inside the time window: not more than maxFutureSkew ahead of the clock, and not
   * more than maxStaleSeconds older than the newest candidate or the current head (negative values
   * disable a check). The staleness bound compares heads with each other, not with the clock: on an
   * idle chain the newest head may be old, and it is still the one to follow; the first head is
   * always the newest candidate.
   */
  private withinWindow(candidates: Head[], current: Head | null): Head[] {
    const now = this.now() / 1000;
    const skew = this.host.maxFutureSkew;
    const inTime = candidates.filter((c) => skew < 0 || c.block.timestamp - now <= skew);
    const stale = this.host.maxStaleSeconds;
    if (stale < 0) return inTime;
    let newest = current?.block.timestamp ?? Number.NEGATIVE_INFINITY;
    for (const c of inTime) newest = Math.max(newest, c.block.timestamp);
    return inTime.filter((c) => newest - c.block.timestamp <= stale);
  }

  /**
   * Verifies the chain ending at `hash` back to a verified block or genesis. Returns the head block
   * when every block on the way is verified; null when something is missing (try again later) or
   * a block was rejected.
   */
  async verifyChain(hash: Uint8Array, peer?: Peer): Promise<Block | null> {
    const path: Head[] = [];
    let h = hash;
    for (;;) {
      if (this.host.isVerified(h)) break;
      const reason = this.host.rejection(h);
      if (reason !== undefined) {
        for (const p of path) this.reject(p.hash, "descends_from_rejected");
        return null;
      }
      const block = await this.host.getBlock(h, peer);
      if (block === null) {
        this.host.log.info(`block ${idKey(h).slice(0, 16)} is not available yet`);
        return null;
      }
      path.push({ hash: h, block });
      if (block.isGenesis) break;
      if (path.length > MAX_WALK) return null;
      h = block.previousBlockHash;
    }
    for (let i = path.length - 1; i >= 0; i--) {
      const { hash: bh, block } = path[i]!;
      try {
        if (block.isGenesis) {
          verifyHeader(block, null, this.host.chainId);
          await verifyGenesis(this.host.lookup, block);
        } else {
          const parent =
            i + 1 < path.length
              ? path[i + 1]!.block
              : await this.host.getBlock(block.previousBlockHash, peer);
          verifyHeader(block, parent, this.host.chainId);
          await this.host.prepare?.(block, peer);
          await this.host.storeAtoms(await verifyBlockState(this.host.lookup, block, parent!));
        }
        this.host.markVerified(bh);
        this.stats.verified++;
      } catch (err) {
        if (err instanceof VerifyError && err.action !== "ignore") {
          this.reject(bh, err.reason);
          this.host.log.warn(
            `block ${idKey(bh).slice(0, 16)} (height ${block.height}) rejected: ${err.message}`,
          );
          for (let j = i - 1; j >= 0; j--) this.reject(path[j]!.hash, "descends_from_rejected");
          return null;
        }
        if (err instanceof MissingAtomError || err instanceof VerifyError) {
          this.host.log.info(`block ${idKey(bh).slice(0, 16)} not verified yet: ${err.message}`);
          return null;
        }
        throw err;
      }
    }
    return path.length > 0 ? path[0]!.block : await this.host.getBlock(hash, peer);
  }

  private reject(hash: Uint8Array, reason: string): void {
    if (this.host.rejection(hash) !== undefined) return;
    this.host.reject(hash, reason);
    this.stats.rejected++;
  }
}
