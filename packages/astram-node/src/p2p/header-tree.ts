import {
  type BlockHeader,
  blockHeaderHash,
  checkHeader,
  checkHeaderContext,
  MEDIAN_TIME_SPAN,
  type NetworkParams,
  scheduledDifficulty,
} from "astram-core";
import type { Chainstate } from "../chain/chainstate.js";

interface HeaderNode {
  readonly hash: string;
  readonly header: BlockHeader;
  readonly height: number;
}

/**
 * Headers received during headers-first sync whose blocks we do not have yet. Each header is
 * validated before its block is requested: hash and proof of work, linkage to a known block or
 * header, height, the difficulty schedule and median-time-past, computed along its own branch.
 */
export class HeaderTree {
  private readonly pending = new Map<string, HeaderNode>();

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
    return e ? { hash: e.hash, header: e.header, height: e.height } : undefined;
  }

  /** The ancestor at `height` of the header `from` (walking pending headers, then the block index). */
  private ancestor(from: HeaderNode, height: number): HeaderNode | undefined {
    let cur: HeaderNode | undefined = from;
    while (cur && cur.height > height) {
      const entry = this.chain.getEntry(cur.hash);
      if (entry) {
        const a = this.chain.ancestorAt(entry, height);
        return a ? { hash: a.hash, header: a.header, height: a.height } : undefined;
      }
      cur = this.node(cur.header.previousHash);
    }
    return cur?.height === height ? cur : undefined;
  }

  /**
   * Validates headers in order; returns the hashes of those that are new (not stored, not pending).
   * Throws VerifyError at the first invalid header (earlier ones stay accepted).
   */
  add(headers: readonly BlockHeader[]): string[] {
    const fresh: string[] = [];
    for (const header of headers) {
      const hash = blockHeaderHash(header);
      if (this.pending.has(hash) || this.chain.getEntry(hash)) continue;
      checkHeader(header, hash, this.now());
      const parent = this.node(header.previousHash);
      if (!parent) {
        // Not connected to anything we know: stop here; the caller asks for headers from our locator.
        break;
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
      this.pending.set(hash, { hash, header, height: parent.height + 1 });
      fresh.push(hash);
    }
    return fresh;
  }

  /** Forgets a header once its block is stored (or found invalid). */
  remove(hash: string): void {
    this.pending.delete(hash);
  }

  /** Pending headers in height order whose blocks are not in the block index yet (others are dropped). */
  wanted(chain: { getEntry(hash: string): unknown }): { hash: string; height: number }[] {
    const out: { hash: string; height: number }[] = [];
    for (const n of this.pending.values()) {
      if (chain.getEntry(n.hash)) this.pending.delete(n.hash);
      else out.push({ hash: n.hash, height: n.height });
    }
    return out.sort((a, b) => a.height - b.height);
  }
}
