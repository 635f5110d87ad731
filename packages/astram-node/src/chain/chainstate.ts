import { EventEmitter } from "node:events";
import {
  type Block,
  blockWork,
  type CheckedTransaction,
  checkBlock,
  checkHeaderContext,
  connectBlockTransactions,
  encodeBlock,
  genesisBlock,
  MAX_REORG_DEPTH,
  MEDIAN_TIME_SPAN,
  type NetworkParams,
  type SignatureCache,
  scheduledDifficulty,
  VerifyError,
} from "astram-core";
import type { ChainStore } from "./chain-store.js";
import { OrphanPool } from "./orphan-pool.js";
import type { BlockIndexRecord, BlockStatus } from "./records.js";

/** An in-memory block index entry, linked to its parent. */
export interface IndexEntry extends BlockIndexRecord {
  readonly parent: IndexEntry | undefined;
  status: BlockStatus;
}

export type AcceptResult =
  | { readonly status: "connected"; readonly entry: IndexEntry }
  | { readonly status: "reorganized"; readonly entry: IndexEntry; readonly disconnected: number }
  | { readonly status: "side-branch"; readonly entry: IndexEntry }
  | { readonly status: "orphan"; readonly missing: string }
  | { readonly status: "duplicate" };

/** Emitted after each committed change of the best chain, in order. */
export interface ChainUpdate {
  readonly disconnected: readonly Block[];
  readonly connected: readonly Block[];
  readonly tip: IndexEntry;
}

export interface ChainstateEvents {
  update: [ChainUpdate];
  "reorg-refused": [{ depth: number; candidate: IndexEntry }];
  invalid: [{ hash: string; error: VerifyError }];
}

/** Blocks per commit when reindexing. */
const REINDEX_RUN = 64;

type Announcement = { [E in keyof ChainstateEvents]: [E, ChainstateEvents[E][0]] }[keyof ChainstateEvents];

export interface ChainstateOptions {
  now?: () => number;
  orphanLimits?: ConstructorParameters<typeof OrphanPool>[0];
  onProgress?: (what: string, done: number, total: number) => void;
  /** Signatures verified before (mempool admission, the sync verifier) are not verified again. */
  signatureCache?: SignatureCache;
}

/**
 * The chain's brain: a block index of every stored block (any branch), fork choice by most
 * cumulative work (ties keep the first seen), orphans kept until their parent arrives, and reorgs
 * that disconnect with undo data and connect the new branch in one atomic store transaction.
 */
export class Chainstate extends EventEmitter<ChainstateEvents> {
  private readonly index = new Map<string, IndexEntry>();
  /** best[h] = the best-chain entry at height h. */
  private best: IndexEntry[] = [];
  readonly orphans: OrphanPool;
  private readonly now: () => number;
  /** Events held back until the open commit lands (see inOneCommit). */
  private deferred: Announcement[] | null = null;

  constructor(
    readonly store: ChainStore,
    readonly params: NetworkParams,
    private readonly opts: ChainstateOptions = {},
  ) {
    super();
    this.now = opts.now ?? (() => Math.floor(Date.now() / 1000));
    this.orphans = new OrphanPool(opts.orphanLimits, this.now);
  }

  /** Loads the block index and best chain, creating genesis on an empty store. */
  init(): void {
    const total = this.store.indexCount();
    if (total === 0) {
      this.createGenesis();
      return;
    }
    const records: BlockIndexRecord[] = [];
    let n = 0;
    for (const r of this.store.indexRecords()) {
      records.push(r);
      if (++n % 10_000 === 0) this.opts.onProgress?.("loading block index", n, total);
    }
    this.opts.onProgress?.("loading block index", n, total);
    records.sort((a, b) => a.height - b.height);
    for (const r of records) {
      const parent = r.height === 0 ? undefined : this.index.get(r.header.previousHash);
      if (r.height > 0 && !parent) continue; // unreachable record (should not happen): ignore it
      this.index.set(r.hash, { ...r, parent });
    }
    const tipHash = this.store.getTipHash();
    const tip = tipHash ? this.index.get(tipHash) : undefined;
    if (!tip) throw new Error("chain store has blocks but no valid tip; run with --reindex");
    this.best = this.pathFromGenesis(tip);
    if (this.store.getHashAtHeight(tip.height) !== tip.hash) {
      throw new Error(`height index disagrees with tip ${tip.hash}; run with --reindex`);
    }
  }

  /**
   * Rebuilds the UTXO set and every index from the stored blocks of the best known chain, 64 blocks
   * per commit (each block in its own nested transaction), reporting progress.
   */
  reindex(): void {
    const target = this.bestCandidate() ?? this.tip;
    const path = this.pathFromGenesis(target);
    this.store.transaction(() => this.store.clearChainstate());
    this.best = [];
    let stopped = false;
    for (let start = 0; start < path.length && !stopped; start += REINDEX_RUN) {
      this.store.transaction(() => {
        for (const e of path.slice(start, start + REINDEX_RUN)) {
          const block = this.store.getBlock(e.hash);
          if (!block) throw new Error(`block ${e.hash} at height ${e.height} is missing from the store`);
          const checked = checkBlock(block, {
            now: Number.MAX_SAFE_INTEGER,
            chainId: this.params.chainId,
            skipSignatures: true,
          });
          try {
            this.store.transaction(() => this.connectInTxn(block, checked, e.height));
          } catch (err) {
            if (!(err instanceof VerifyError)) throw err;
            this.rememberInvalid(block, e, encodeBlock(block), err);
            stopped = true;
            return;
          }
          e.status = "valid";
          this.best.push(e);
        }
      });
      const done = this.best.length;
      if (
        stopped ||
        done === path.length ||
        Math.floor(done / 1000) > Math.floor((done - REINDEX_RUN) / 1000)
      )
        this.opts.onProgress?.("reindexing", done, path.length);
    }
  }

  private createGenesis(): void {
    const block = genesisBlock(this.params);
    const checked = checkBlock(block, { now: this.now(), chainId: this.params.chainId });
    const encoded = encodeBlock(block);
    const entry: IndexEntry = {
      hash: block.hash,
      header: block.header,
      height: 0,
      chainWork: blockWork(block.header.difficulty),
      status: "valid",
      size: encoded.length,
      txCount: block.transactions.length,
      parent: undefined,
    };
    this.store.transaction(() => {
      this.store.putBlock(block, entry, encoded);
      const changes = connectBlockTransactions(block, checked, 0, this.store);
      this.store.connectBlock(block, 0, changes);
    });
    this.index.set(entry.hash, entry);
    this.best = [entry];
  }

  get tip(): IndexEntry {
    return this.best[this.best.length - 1]!;
  }

  get height(): number {
    return this.best.length - 1;
  }

  get genesis(): IndexEntry {
    return this.best[0]!;
  }

  getEntry(hash: string): IndexEntry | undefined {
    return this.index.get(hash);
  }

  /** Best-chain entry at a height. */
  atHeight(height: number): IndexEntry | undefined {
    return this.best[height];
  }

  isOnBestChain(entry: IndexEntry): boolean {
    return this.best[entry.height] === entry;
  }

  /** Known as stored block or orphan. */
  hasBlock(hash: string): boolean {
    return this.index.has(hash) || this.orphans.has(hash);
  }

  get indexSize(): number {
    return this.index.size;
  }

  /** The ancestor of `entry` at `height` on entry's own branch. */
  ancestorAt(entry: IndexEntry, height: number): IndexEntry | undefined {
    if (height > entry.height || height < 0) return undefined;
    let cur: IndexEntry | undefined = entry;
    while (cur && !this.isOnBestChain(cur)) {
      if (cur.height === height) return cur;
      cur = cur.parent;
    }
    return cur && height <= cur.height ? this.best[height] : undefined;
  }

  /** The difficulty the schedule requires for a child of `parent`. */
  nextDifficulty(parent: IndexEntry = this.tip): number {
    return scheduledDifficulty({
      height: parent.height + 1,
      parentDifficulty: parent.header.difficulty,
      timestampAt: (h) => this.ancestorAt(parent, h)!.header.timestamp,
      targetSpacing: this.params.targetSpacing,
    });
  }

  /** Timestamps of up to 11 ancestors, starting at `entry`. */
  ancestorTimestamps(entry: IndexEntry): number[] {
    const out: number[] = [];
    for (let cur: IndexEntry | undefined = entry; cur && out.length < MEDIAN_TIME_SPAN; cur = cur.parent) {
      out.push(cur.header.timestamp);
    }
    return out;
  }

  /** A block locator of the best chain: the last 10 hashes, then exponentially sparser, then genesis. */
  locator(from: IndexEntry = this.tip): string[] {
    const out: string[] = [];
    let step = 1;
    let h = from.height;
    while (h > 0) {
      out.push(this.ancestorAt(from, h)!.hash);
      if (out.length >= 10) step *= 2;
      h -= step;
    }
    out.push(this.genesis.hash);
    return out;
  }

  /**
   * Validates and stores a block from any source. Throws VerifyError for an invalid block (nothing
   * changes); returns what happened otherwise. Orphans waiting for this block are processed after.
   */
  acceptBlock(block: Block): AcceptResult {
    const [outcome] = this.acceptBlocks([block]);
    if (outcome instanceof VerifyError) throw outcome;
    return outcome!;
  }

  /**
   * Accepts a run of blocks (what a sync peer delivered at once, an import) with one store commit.
   * Each block still connects in its own nested transaction, so an invalid block rolls back alone
   * and the blocks before and after it stand. Outcomes come back per block, in order: the result,
   * or the VerifyError that rejected it. Orphans waiting for an accepted block join the same commit.
   */
  acceptBlocks(blocks: readonly Block[]): (AcceptResult | VerifyError)[] {
    const outcomes: (AcceptResult | VerifyError)[] = [];
    this.inOneCommit(() => {
      for (const block of blocks) {
        try {
          const result = this.acceptOne(block);
          if (
            result.status === "connected" ||
            result.status === "reorganized" ||
            result.status === "side-branch"
          )
            this.processOrphans(block.hash);
          outcomes.push(result);
        } catch (e) {
          if (!(e instanceof VerifyError)) throw e;
          outcomes.push(e);
        }
      }
    });
    return outcomes;
  }

  /**
   * Runs `fn` in one store transaction. The block index in memory moves with each block inside it;
   * if the commit itself fails (the disk, not a block), memory is reloaded from what the store holds.
   */
  private inOneCommit(fn: () => void): void {
    const events: Announcement[] = [];
    this.deferred = events;
    try {
      this.store.transaction(fn);
    } catch (e) {
      this.index.clear();
      this.best = [];
      this.init();
      throw e;
    } finally {
      this.deferred = null;
    }
    for (const [name, payload] of events) this.announce(name, payload);
  }

  /** Emits now, or after the commit when inside one (listeners only ever see committed state). */
  private announce<E extends keyof ChainstateEvents>(name: E, payload: ChainstateEvents[E][0]): void {
    if (this.deferred) this.deferred.push([name, payload] as Announcement);
    else (this.emit as (n: E, p: ChainstateEvents[E][0]) => boolean)(name, payload);
  }

  private acceptOne(block: Block): AcceptResult {
    const known = this.index.get(block.hash);
    if (known) {
      if (known.status === "invalid")
        throw new VerifyError("known-invalid", `block ${block.hash} is known invalid`);
      return { status: "duplicate" };
    }
    if (this.orphans.has(block.hash)) return { status: "duplicate" };
    // Always the canonical encoding: bincode readers accept padded varints, so bytes as received
    // could differ (in size, too) from what every node measures and stores.
    const bytes = encodeBlock(block);
    const checked = checkBlock(block, {
      now: this.now(),
      chainId: this.params.chainId,
      encodedSize: bytes.length,
      signatureCache: this.opts.signatureCache,
    });

    if (block.header.index === 0)
      throw new VerifyError("bad-genesis", "a second genesis block is not accepted");
    const parent = this.index.get(block.header.previousHash);
    if (!parent) {
      this.orphans.add(block, bytes.length);
      return { status: "orphan", missing: this.orphans.missingRoot(block.hash) ?? block.header.previousHash };
    }
    if (parent.status === "invalid") {
      throw new VerifyError("bad-prevblk", `parent ${parent.hash} is known invalid`);
    }
    checkHeaderContext(block.header, {
      parentHash: parent.hash,
      parentHeight: parent.height,
      parentDifficulty: parent.header.difficulty,
      ancestorTimestamps: this.ancestorTimestamps(parent),
      scheduledDifficulty: this.nextDifficulty(parent),
    });

    const entry: IndexEntry = {
      hash: block.hash,
      header: block.header,
      height: parent.height + 1,
      chainWork: parent.chainWork + blockWork(block.header.difficulty),
      status: "stored",
      size: bytes.length,
      txCount: block.transactions.length,
      parent,
    };

    if (parent === this.tip) {
      // Extends the best chain: store and connect in one transaction.
      try {
        this.store.transaction(() => {
          this.store.putBlock(block, { ...entry, status: "valid" }, bytes);
          this.connectInTxn(block, checked, entry.height);
        });
      } catch (e) {
        if (e instanceof VerifyError) this.rememberInvalid(block, entry, bytes, e);
        throw e;
      }
      entry.status = "valid";
      this.index.set(entry.hash, entry);
      this.best.push(entry);
      this.announce("update", { disconnected: [], connected: [block], tip: entry });
      return { status: "connected", entry };
    }

    this.store.transaction(() => this.store.putBlock(block, entry, bytes));
    this.index.set(entry.hash, entry);
    if (entry.chainWork <= this.tip.chainWork) return { status: "side-branch", entry };
    const outcome = this.activate(entry, new Map([[block.hash, { block, checked }]]));
    return outcome;
  }

  /** Connects orphans that were waiting for `parentHash`, breadth first. */
  private processOrphans(parentHash: string): void {
    const queue = [parentHash];
    while (queue.length > 0) {
      for (const child of this.orphans.takeChildren(queue.shift()!)) {
        try {
          const r = this.acceptOne(child);
          if (r.status !== "duplicate" && r.status !== "orphan") queue.push(child.hash);
        } catch (e) {
          if (!(e instanceof VerifyError)) throw e;
          this.announce("invalid", { hash: child.hash, error: e });
        }
      }
    }
  }

  private connectInTxn(block: Block, checked: readonly CheckedTransaction[], height: number): void {
    const changes = connectBlockTransactions(block, checked, height, this.store);
    this.store.connectBlock(block, height, changes);
  }

  private rememberInvalid(block: Block, entry: IndexEntry, bytes: Uint8Array, error: VerifyError): void {
    if (error.action.kind === "ignore") return;
    entry.status = "invalid";
    this.store.transaction(() => this.store.putBlock(block, entry, bytes));
    this.index.set(entry.hash, entry);
    this.announce("invalid", { hash: block.hash, error });
  }

  /** Switches the best chain to end at `target` (more work than the tip). */
  private activate(
    target: IndexEntry,
    known: Map<string, { block: Block; checked: readonly CheckedTransaction[] }>,
  ): AcceptResult {
    const oldTip = this.tip;
    let fork: IndexEntry = target;
    const connectPath: IndexEntry[] = [];
    while (!this.isOnBestChain(fork)) {
      connectPath.push(fork);
      fork = fork.parent!;
    }
    connectPath.reverse();
    const depth = oldTip.height - fork.height;
    if (depth > MAX_REORG_DEPTH) {
      this.announce("reorg-refused", { depth, candidate: target });
      return { status: "side-branch", entry: target };
    }

    const disconnected: Block[] = [];
    const connected: Block[] = [];
    let failing: { entry: IndexEntry; block: Block; error: VerifyError } | undefined;
    try {
      this.store.transaction(() => {
        for (let e = oldTip; e !== fork; e = e.parent!) {
          const block = this.store.getBlock(e.hash)!;
          this.store.disconnectBlock(block, e.height, e.parent!.hash);
          disconnected.push(block);
        }
        for (const e of connectPath) {
          const cached = known.get(e.hash);
          const block = cached?.block ?? this.store.getBlock(e.hash)!;
          // Stored blocks passed the context-free checks when they arrived; signatures need no re-check.
          const checked =
            cached?.checked ??
            checkBlock(block, {
              now: Number.MAX_SAFE_INTEGER,
              chainId: this.params.chainId,
              skipSignatures: true,
            });
          try {
            this.connectInTxn(block, checked, e.height);
          } catch (err) {
            if (err instanceof VerifyError) failing = { entry: e, block, error: err };
            throw err;
          }
          this.store.putIndexRecord({ ...e, status: "valid" });
          connected.push(block);
        }
      });
    } catch (err) {
      if (!(err instanceof VerifyError) || !failing) throw err;
      // The transaction rolled back; the old chain stands. Remember the bad block and look again.
      const { entry, block, error } = failing;
      this.rememberInvalid(block, entry, encodeBlock(block), error);
      const next = this.bestCandidate();
      if (next && next.chainWork > this.tip.chainWork) this.activate(next, known);
      if (entry === target) throw error;
      return { status: "side-branch", entry: target };
    }

    for (const e of connectPath) e.status = "valid";
    this.best = this.best.slice(0, fork.height + 1).concat(connectPath);
    this.announce("update", { disconnected, connected, tip: target });
    return depth === 0
      ? { status: "connected", entry: target }
      : { status: "reorganized", entry: target, disconnected: depth };
  }

  /** The stored entry with the most work whose branch has no known-invalid block. */
  private bestCandidate(): IndexEntry | undefined {
    let best: IndexEntry | undefined;
    for (const e of this.index.values()) {
      if (best && e.chainWork <= best.chainWork) continue;
      let ok = true;
      for (let cur: IndexEntry | undefined = e; cur && !this.isOnBestChain(cur); cur = cur.parent) {
        if (cur.status === "invalid") {
          ok = false;
          break;
        }
      }
      if (ok) best = e;
    }
    return best;
  }

  /**
   * Deletes side branches (blocks valid or remembered invalid) that leave the best chain more than
   * MAX_REORG_DEPTH blocks below the tip, from the store and the in-memory index: a reorg to them
   * would disconnect more than the limit allows, so they can never matter again. A branch goes
   * whole (every block of it shares its fork point). Returns how many blocks were pruned.
   */
  pruneDeadBranches(): number {
    const floor = this.height - MAX_REORG_DEPTH;
    const forkHeight = new Map<IndexEntry, number>();
    const forkOf = (e: IndexEntry): number => {
      const path: IndexEntry[] = [];
      let cur: IndexEntry | undefined = e;
      let h = -1;
      for (; cur; cur = cur.parent) {
        const known = forkHeight.get(cur);
        if (known !== undefined) {
          h = known;
          break;
        }
        if (this.isOnBestChain(cur)) {
          h = cur.height;
          break;
        }
        path.push(cur);
      }
      for (const p of path) forkHeight.set(p, h);
      return h;
    };
    const dead = [...this.index.values()].filter((e) => !this.isOnBestChain(e) && forkOf(e) < floor);
    if (dead.length === 0) return 0;
    this.store.transaction(() => {
      for (const e of dead) this.store.deleteBlock(e.hash);
    });
    for (const e of dead) this.index.delete(e.hash);
    return dead.length;
  }

  private pathFromGenesis(tip: IndexEntry): IndexEntry[] {
    const path: IndexEntry[] = [];
    for (let cur: IndexEntry | undefined = tip; cur; cur = cur.parent) path.push(cur);
    return path.reverse();
  }
}
