// The verification worker (facts §4.13). Every `verify_blockchain_interval` seconds: collect the
// heads peers report in their pings; for each head not yet known, walk back to a verified block (or
// genesis), then verify forward: header rules, then re-execution of the transactions on the
// parent's state. A block that breaks a rule is remembered as rejected (with its reason), and so is
// everything built on it. Among verified heads reported by at least one peer, whose timestamp is
// neither older than `verification_max_stale_seconds` nor more than
// `verification_max_future_skew` ahead, the highest is adopted if it is higher than the current
// head (equal heights: the lexicographically smaller hash among candidates). With a default seed
// configured, the node trusts the default seed's head instead (no re-execution, no age window).
// A round also runs soon after a peer announces a head this node does not have.

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

export class VerificationWorker extends BackgroundLoop {
  private waker: AbortController | null = null;
  private wakeRequested = false;
  readonly stats = { rounds: 0, verified: 0, rejected: 0, adopted: 0 };

  constructor(private readonly host: VerifierHost) {
    super("verification worker", host.log);
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
    for (const { hash, peers } of heads.values()) {
      if (signal?.aborted) return;
      if (current !== null && idsEqual(current.hash, hash)) continue;
      if (this.host.rejection(hash) !== undefined) continue;
      if (this.host.trustDefaultSeed) {
        const block = await this.host.getBlock(hash, peers[0]);
        if (block !== null && block.chainId === this.host.chainId) candidates.push({ hash, block });
        continue;
      }
      const block = await this.verifyChain(hash, peers[0]!);
      if (block !== null) candidates.push({ hash, block });
    }
    const now = (this.host.now?.() ?? Date.now()) / 1000;
    const fresh = candidates.filter(
      (c) =>
        this.host.trustDefaultSeed ||
        ((this.host.maxStaleSeconds < 0 || now - c.block.timestamp <= this.host.maxStaleSeconds) &&
          (this.host.maxFutureSkew < 0 || c.block.timestamp - now <= this.host.maxFutureSkew)),
    );
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
