import {
  type BlockHeader,
  ban,
  blockHeaderHash,
  blockWork,
  checkHeader,
  checkHeaderContext,
  MAX_REORG_DEPTH,
  MEDIAN_TIME_SPAN,
  type NetworkParams,
  scheduledDifficulty,
  VerifyError,
} from "astram-core";
import type { Chainstate } from "../chain/chainstate.js";

interface HeaderNode {
  readonly hash: string;
  readonly header: BlockHeader;
  readonly height: number;
  /** Cumulative work of the chain ending here. */
  readonly work: bigint;
}

/** A pending header and the peers (ids) known to have its block: they sent it or a descendant. */
interface PendingHeader extends HeaderNode {
  readonly sources: Set<string>;
}

/**
 * Headers received during headers-first sync whose blocks we do not have yet. Each header is
 * validated before its block is requested: hash and proof of work, linkage to a known block or
 * header, height, the difficulty schedule and median-time-past, computed along its own branch.
 */
export class HeaderTree {
  private readonly pending = new Map<string, PendingHeader>();
  /** The pending header with the most work (the best chain we know of and lack blocks for). */
  private best: PendingHeader | undefined;

  constructor(
    private readonly chain: Chainstate,
    private readonly params: NetworkParams,
    private readonly now: () => number,
    private readonly maxPending = 200_000,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  has(hash: string): boolean {
    return this.pending.has(hash);
  }

  height(hash: string): number | undefined {
    return this.pending.get(hash)?.height ?? this.chain.getEntry(hash)?.height;
  }

  private node(hash: string): HeaderNode | undefined {
    const p = this.pending.get(hash);
    if (p) return p;
    const e = this.chain.getEntry(hash);
    return e ? { hash: e.hash, header: e.header, height: e.height, work: e.chainWork } : undefined;
  }

  /** The pending header with the most work, or undefined when none has more than our tip. */
  bestAhead(): HeaderNode | undefined {
    return this.best && this.best.work > this.chain.tip.chainWork ? this.best : undefined;
  }

  /** Whether `source` (a peer id) sent this pending header or one built on it; undefined when it is not pending. */
  canServe(hash: string, source: string): boolean | undefined {
    return this.pending.get(hash)?.sources.has(source);
  }

  /**
   * Pending headers on the branch of `tipHash` (itself and its pending ancestors), lowest first:
   * the blocks to download for that branch.
   */
  branch(tipHash: string): { hash: string; height: number }[] {
    const out: { hash: string; height: number }[] = [];
    for (let n = this.pending.get(tipHash); n; n = this.pending.get(n.header.previousHash))
      out.push({ hash: n.hash, height: n.height });
    return out.reverse();
  }

  /**
   * A peer is gone: it no longer vouches for any header. Headers no connected peer can serve are
   * forgotten (a peer that sent headers and left cannot make us chase their blocks); returns them.
   */
  dropSource(source: string): string[] {
    const dropped: string[] = [];
    for (const n of this.pending.values()) {
      if (!n.sources.delete(source) || n.sources.size > 0) continue;
      this.pending.delete(n.hash);
      dropped.push(n.hash);
    }
    if (this.best && !this.pending.has(this.best.hash)) {
      this.best = undefined;
      for (const n of this.pending.values()) if (!this.best || n.work > this.best.work) this.best = n;
    }
    return dropped;
  }

  /** The ancestor at `height` of the header `from` (walking pending headers, then the block index). */
  private ancestor(from: HeaderNode, height: number): HeaderNode | undefined {
    let cur: HeaderNode | undefined = from;
    while (cur && cur.height > height) {
      const entry = this.chain.getEntry(cur.hash);
      if (entry) {
        const a = this.chain.ancestorAt(entry, height);
        return a ? { hash: a.hash, header: a.header, height: a.height, work: a.chainWork } : undefined;
      }
      cur = this.node(cur.header.previousHash);
    }
    return cur?.height === height ? cur : undefined;
  }

  /**
   * Validates headers in order; returns the hashes of those that are new (not stored, not pending).
   * Throws VerifyError at the first invalid header (earlier ones stay accepted).
   */
  add(headers: readonly BlockHeader[], source = "local"): string[] {
    const fresh: string[] = [];
    for (const header of headers) {
      const hash = blockHeaderHash(header);
      if (this.chain.getEntry(hash)) continue;
      if (this.pending.has(hash)) {
        this.vouch(hash, source);
        continue;
      }
      checkHeader(header, hash, this.now());
      const parent = this.node(header.previousHash);
      if (!parent) {
        // Not connected to anything we know: stop here; the caller asks for headers from our locator.
        break;
      }
      // A branch that leaves our chain further back than a reorg may reach can never be adopted.
      const depth = this.chain.height - parent.height;
      if (depth > MAX_REORG_DEPTH) {
        throw new VerifyError(
          "fork-too-deep",
          `header at height ${parent.height + 1} forks ${depth} blocks below our tip (limit ${MAX_REORG_DEPTH})`,
          ban(20),
        );
      }
      const timestamps: number[] = [];
      for (let cur: HeaderNode | undefined = parent; cur && timestamps.length < MEDIAN_TIME_SPAN; ) {
        timestamps.push(cur.header.timestamp);
        cur = cur.height === 0 ? undefined : this.node(cur.header.previousHash);
      }
      checkHeaderContext(header, {
        parentHash: parent.hash,
        parentHeight: parent.height,
        parentDifficulty: parent.header.difficulty,
        ancestorTimestamps: timestamps,
        scheduledDifficulty: scheduledDifficulty({
          height: parent.height + 1,
          parentDifficulty: parent.header.difficulty,
          timestampAt: (h) => this.ancestor(parent, h)!.header.timestamp,
          targetSpacing: this.params.targetSpacing,
        }),
      });
      if (this.pending.size >= this.maxPending) break;
      const node: PendingHeader = {
        hash,
        header,
        height: parent.height + 1,
        work: parent.work + blockWork(header.difficulty),
        sources: new Set(),
      };
      this.pending.set(hash, node);
      this.vouch(hash, source);
      if (!this.best || node.work > this.best.work) this.best = node;
      fresh.push(hash);
    }
    return fresh;
  }

  /** `source` has this header's block and its ancestors': record it up the pending branch. */
  private vouch(hash: string, source: string): void {
    for (
      let n = this.pending.get(hash);
      n && !n.sources.has(source);
      n = this.pending.get(n.header.previousHash)
    )
      n.sources.add(source);
  }

  /** Forgets a header once its block is stored (or found invalid). */
  remove(hash: string): void {
    if (!this.pending.delete(hash) || this.best?.hash !== hash) return;
    // Stored: our tip now carries its work. Invalid: the next best branch (if any) takes over.
    const entry = this.chain.getEntry(hash);
    if (entry && entry.status !== "invalid") return;
    this.best = undefined;
    for (const n of this.pending.values()) if (!this.best || n.work > this.best.work) this.best = n;
  }

  /**
   * The blocks to download, lowest first: the branch of the best pending header when it has more
   * work than our tip (headers-first: nothing is fetched for a branch that could not win). Pending
   * headers whose blocks arrived meanwhile are dropped.
   */
  wanted(): { hash: string; height: number }[] {
    for (const n of this.pending.values()) if (this.chain.getEntry(n.hash)) this.pending.delete(n.hash);
    const best = this.bestAhead();
    return best && this.pending.has(best.hash) ? this.branch(best.hash) : [];
  }
}
