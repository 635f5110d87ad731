import type { Kysely } from "kysely";
import type { Logger } from "pino";
import { indexedTip } from "../db/meta.js";
import type { Database } from "../db/schema.js";
import { ChainMismatchError, NodeResponseError, NodeUnreachableError } from "../errors.js";
import type { FetchedBlock, NodeClient, NodeStatusInfo } from "../node-client.js";
import { applyBlock } from "./apply-block.js";
import { buildMempoolView, EMPTY_MEMPOOL, type MempoolView } from "./mempool-view.js";
import { NodeReachability } from "./node-reachability.js";
import { rollbackBlock } from "./rollback-block.js";

export interface IndexerOptions {
  /** Pause between polls of the node once caught up (default 2000 ms). */
  readonly pollMs?: number;
  /** Blocks asked per /blockchain/range call (the node also bounds answers by bytes; default 500). */
  readonly batchBlocks?: number;
  /** Bounds of one database transaction while catching up (default 100 blocks, 2500 transactions). */
  readonly groupBlocks?: number;
  readonly groupTxs?: number;
  /** Interval of progress log lines while catching up (default 5000 ms). */
  readonly progressMs?: number;
  /** How long a node that has never answered may stay silent before one warning (default 30 s). */
  readonly startupGraceMs?: number;
  /** Called once when indexing cannot go on (another chain's database); the loop has stopped. */
  readonly onFatal?: (err: Error) => void;
}

export interface IndexerStatus {
  readonly indexedHeight: number;
  readonly indexedHash: string | null;
  readonly nodeHeight: number | null;
  readonly nodeTip: string | null;
  readonly syncing: boolean;
  readonly blocksIndexed: number;
  readonly blocksRolledBack: number;
  readonly reorgs: number;
  readonly lastError: string | null;
  readonly node: NodeStatusInfo | null;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });

/**
 * Follows a node through its HTTP API and keeps the database equal to the node's best chain: every
 * pass compares the indexed tip with the node's, rolls orphaned blocks back to the fork point (found
 * by comparing hashes height by height), then fetches and indexes the missing blocks in order, whole
 * blocks per database transaction (a group of them while catching up). The next range is fetched while the current one is written. A block
 * whose parent is not the indexed tip (the node reorganised meanwhile) ends the pass; the next pass
 * finds the new fork point. It resumes from the database's tip after a restart.
 */
export class Indexer {
  readonly name = "indexer";
  private abort: AbortController | undefined;
  private loop: Promise<void> | undefined;
  private tip: { height: number; hash: string } | undefined;
  private nodeHealth: { height: number; tip: string } | undefined;
  private nodeStatus: NodeStatusInfo | null = null;
  private lastError: string | null = null;
  /** The last failure other than an unreachable node that was logged (logged once until it clears). */
  private lastWarned: string | null = null;
  private reachability: NodeReachability | undefined;
  private blocksIndexed = 0;
  private blocksRolledBack = 0;
  private reorgs = 0;
  private mempoolView: MempoolView = EMPTY_MEMPOOL;
  private lastMempoolAt = 0;
  private lastStatusAt = 0;
  private readonly pollMs: number;
  private readonly batchBlocks: number;
  private readonly progressMs: number;
  private readonly groupBlocks: number;
  private readonly groupTxs: number;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly client: NodeClient,
    private readonly log: Logger,
    private readonly opts: IndexerOptions = {},
  ) {
    this.pollMs = opts.pollMs ?? 2000;
    this.batchBlocks = opts.batchBlocks ?? 500;
    this.progressMs = opts.progressMs ?? 5000;
    this.groupBlocks = opts.groupBlocks ?? 100;
    this.groupTxs = opts.groupTxs ?? 2500;
  }

  get mempool(): MempoolView {
    return this.mempoolView;
  }

  status(): IndexerStatus {
    const nodeHeight = this.nodeHealth?.height ?? null;
    return {
      indexedHeight: this.tip?.height ?? -1,
      indexedHash: this.tip?.hash ?? null,
      nodeHeight,
      nodeTip: this.nodeHealth?.tip ?? null,
      syncing: this.nodeHealth !== undefined && this.tip?.hash !== this.nodeHealth.tip,
      blocksIndexed: this.blocksIndexed,
      blocksRolledBack: this.blocksRolledBack,
      reorgs: this.reorgs,
      lastError: this.lastError,
      node: this.nodeStatus,
    };
  }

  async start(): Promise<void> {
    if (this.loop) return;
    this.tip = await indexedTip(this.db);
    this.abort = new AbortController();
    this.reachability = new NodeReachability(this.log, this.client.baseUrl, this.opts.startupGraceMs);
    const signal = this.abort.signal;
    this.log.info(
      { service: this.name, node: this.client.baseUrl, indexedHeight: this.tip?.height ?? -1 },
      this.tip ? "indexer resuming from the database's tip" : "indexer starting on an empty database",
    );
    this.loop = this.run(signal);
  }

  async stop(): Promise<void> {
    this.abort?.abort();
    await this.loop;
    this.loop = undefined;
    this.abort = undefined;
  }

  private async run(signal: AbortSignal): Promise<void> {
    const reachability = this.reachability!;
    while (!signal.aborted) {
      let changed = false;
      try {
        changed = await this.syncOnce(signal);
        reachability.reached();
        if (this.lastWarned) this.log.info({ service: this.name }, "indexer recovered");
        this.lastWarned = null;
        this.lastError = null;
      } catch (e) {
        if (signal.aborted) break;
        const err = e as Error;
        this.lastError = err.message;
        if (err instanceof ChainMismatchError) {
          this.log.error({ service: this.name, code: err.code }, err.message);
          this.opts.onFatal?.(err);
          return;
        }
        if (err instanceof NodeUnreachableError) reachability.unreachable(err);
        else if (this.lastWarned !== err.message) {
          this.lastWarned = err.message;
          this.log.warn(
            { service: this.name, code: (err as { code?: string }).code, err: err.message },
            "indexing failed; retrying",
          );
        }
      }
      if (!changed) {
        try {
          await this.refreshMempool(signal, true);
        } catch (e) {
          if (!signal.aborted) this.lastError = (e as Error).message;
        }
        await sleep(this.pollMs, signal);
      }
    }
  }

  private async refreshMempool(signal: AbortSignal, force: boolean): Promise<void> {
    const now = Date.now();
    if (!force && now - this.lastMempoolAt < 5000) return;
    this.lastMempoolAt = now;
    this.mempoolView = await buildMempoolView(this.db, await this.client.mempool(1000, signal));
    if (force || now - this.lastStatusAt >= 10_000) {
      this.lastStatusAt = now;
      this.nodeStatus = await this.client.status(signal);
    }
  }

  /** Highest height where the index and the node agree (-1: not even genesis, another chain). */
  private async forkPoint(tip: { height: number; hash: string }, nodeHeight: number, signal: AbortSignal) {
    let h = Math.min(tip.height, nodeHeight);
    while (h >= 0) {
      const theirs = await this.client.blockHashes(h, 100, signal);
      const ours = await this.db
        .selectFrom("blocks")
        .select(["height", "hash"])
        .where("height", "<=", h)
        .where("height", ">", h - 100)
        .execute();
      const oursAt = new Map(ours.map((r) => [r.height, r.hash]));
      for (let k = h; k > h - 100 && k >= 0; k--) if (oursAt.get(k) === theirs.get(k)) return k;
      h -= 100;
    }
    return -1;
  }

  /** One pass; true when it changed the index (then the next pass starts at once). */
  async syncOnce(signal: AbortSignal = new AbortController().signal): Promise<boolean> {
    const health = await this.client.health(signal);
    this.nodeHealth = health;
    if (!this.nodeStatus) {
      this.nodeStatus = await this.client.status(signal);
      this.lastStatusAt = Date.now();
    }
    let tip = this.tip;
    if (tip?.hash === health.tip) return false;
    let rolledBack = false;

    if (tip) {
      const fork = await this.forkPoint(tip, health.height, signal);
      if (fork < 0)
        throw new ChainMismatchError(
          `the database holds another chain than the node at ${this.client.baseUrl} (genesis differs); ` +
            "use another database for this node",
        );
      if (fork < tip.height) {
        const depth = tip.height - fork;
        this.log.warn(
          { service: this.name, from: tip.height, to: fork, depth, orphaned: tip.hash },
          "reorg: rolling back orphaned blocks",
        );
        for (let h = tip.height; h > fork; h--) {
          await this.db.transaction().execute((trx) => rollbackBlock(trx, h));
          this.blocksRolledBack++;
          this.tip = await indexedTip(this.db);
        }
        this.reorgs++;
        rolledBack = true;
        tip = this.tip;
      }
    }

    const target = health.height;
    let next = tip ? tip.height + 1 : 0;
    let prevHash = tip?.hash;
    const startedAt = Date.now();
    const startHeight = next;
    let lastLog = startedAt;
    let txs = 0;
    if (target - next >= 10)
      this.log.info(
        { service: this.name, from: next, target, behind: target - next + 1 },
        "indexing: catching up with the node",
      );
    const fetchFrom = (from: number) =>
      from > target
        ? Promise.resolve([])
        : this.client.range(from, Math.min(target, from + this.batchBlocks - 1), signal);
    let pending: Promise<FetchedBlock[]> = fetchFrom(next);
    while (next <= target && !signal.aborted) {
      const blocks = await pending;
      if (blocks.length === 0) break;
      pending = fetchFrom(next + blocks.length);
      pending.catch(() => {}); // awaited (and reported) on the next round, or dropped on a reorg
      // Consecutive blocks are written in groups, one database transaction each (a commit per block
      // would dominate while catching up); a group is bounded so readers never wait long.
      for (let i = 0; i < blocks.length; ) {
        const group: FetchedBlock[] = [];
        let groupTxs = 0;
        let expectedPrev = prevHash;
        let branchChanged = false;
        for (; i < blocks.length && group.length < this.groupBlocks && groupTxs < this.groupTxs; i++) {
          const f = blocks[i]!;
          const h = f.block.header;
          if (h.index !== next + group.length)
            throw new NodeResponseError(`node sent block ${h.index} where ${next + group.length} was asked`);
          if (expectedPrev !== undefined && h.previousHash !== expectedPrev) {
            branchChanged = true;
            break;
          }
          group.push(f);
          groupTxs += f.block.transactions.length;
          expectedPrev = f.block.hash;
        }
        if (group.length > 0) {
          await this.db.transaction().execute(async (trx) => {
            for (const f of group) await applyBlock(trx, f);
          });
          const last = group[group.length - 1]!;
          prevHash = last.block.hash;
          next += group.length;
          this.tip = { height: next - 1, hash: prevHash };
          this.blocksIndexed += group.length;
          txs += groupTxs;
        }
        if (branchChanged) {
          this.log.info(
            { service: this.name, height: next },
            "node changed branch while indexing; re-checking",
          );
          return true;
        }
        if (signal.aborted) return true;
      }
      const now = Date.now();
      if (now - lastLog >= this.progressMs) {
        lastLog = now;
        const secs = (now - startedAt) / 1000;
        const done = next - startHeight;
        this.log.info(
          {
            service: this.name,
            height: next - 1,
            target,
            percent: Math.floor(((next - 1) * 1000) / Math.max(1, target)) / 10,
            blocksPerSecond: Math.round(done / secs),
            txPerSecond: Math.round(txs / secs),
          },
          "indexing: catching up",
        );
      }
      await this.refreshMempool(signal, false).catch(() => {});
    }
    if (next - startHeight > 1)
      this.log.info(
        { service: this.name, height: next - 1, blocks: next - startHeight, transactions: txs },
        "indexed up to the node's tip",
      );
    else if (next - startHeight === 1)
      this.log.info({ service: this.name, height: next - 1, hash: prevHash }, "indexed block");
    return rolledBack || next > startHeight;
  }
}
