import { EventEmitter } from "node:events";
import {
  type Block,
  type NetworkParams,
  SignatureCache,
  selectNetwork,
  type Transaction,
  VerifyError,
} from "astram-core";
import type { Logger } from "pino";
import { ChainStore } from "./chain/chain-store.js";
import type { AcceptResult } from "./chain/chainstate.js";
import { Chainstate } from "./chain/chainstate.js";
import type { NodeSettings } from "./config/settings.js";
import { createLogger } from "./log.js";
import type { MempoolEntry } from "./mempool/mempool.js";
import { Mempool, type MempoolLimits } from "./mempool/mempool.js";
import { formatHashrate, Miner } from "./mining/miner.js";

export interface NodeOptions {
  settings: NodeSettings;
  log?: Logger;
  /** Clock in Unix seconds (tests may move it). */
  now?: () => number;
  mempoolLimits?: Partial<MempoolLimits>;
}

/** The network parameters the settings select (network name, custom id and chain id). */
export function networkFromSettings(s: NodeSettings): NetworkParams {
  return selectNetwork({
    ASTRAM_NETWORK: s.network,
    ASTRAM_NETWORK_ID: s.networkId,
    ASTRAM_CHAIN_ID: s.chainId === undefined ? undefined : String(s.chainId),
  });
}

/** Where a transaction or block came from (for logs and relay decisions). */
export type Source = "local" | "http" | "rpc" | "miner" | { readonly peer: string };

/** A block to submit and where it came from. */
export interface SourcedBlock {
  readonly block: Block;
  readonly source: Source;
}

/** Where chain sync stands (eth_syncing, /status, the dashboard). Heights are tip heights. */
export interface SyncProgress {
  readonly syncing: boolean;
  /** The height this round of catching up started from (the current height when not syncing). */
  readonly startingHeight: number;
  readonly currentHeight: number;
  /** The highest tip a connected peer reports (at least the current height). */
  readonly highestHeight: number;
}

/** What the P2P layer reports about one connected peer (for /status and the dashboard). */
export interface PeerSummary {
  readonly id: string;
  readonly address: string;
  readonly direction: "inbound" | "outbound";
  readonly height: number;
  readonly version: string;
  readonly connectedAt: number;
  readonly banScore: number;
}

export interface NodeEvents {
  /** A transaction entered the mempool. */
  tx: [MempoolEntry, Source];
  /** A block was accepted (connected, side branch or reorg). */
  block: [Block, AcceptResult, Source];
  /** A block or transaction was refused (for counters and logs). */
  rejected: ["block" | "tx", string, VerifyError, Source];
}

/**
 * An Astram full node: chain store, chainstate, mempool and miner, with a start()/stop() lifecycle.
 * Services (P2P, HTTP API, JSON-RPC) attach to it. Every transaction, from any source, enters through
 * submitTransaction and every block through submitBlock.
 */
export class AstramNode extends EventEmitter<NodeEvents> {
  /** Set by the P2P service when it is attached. */
  peers: () => PeerSummary[] = () => [];
  /** Set by the P2P service; without it the node is never syncing. */
  syncProgress: () => SyncProgress = () => {
    const h = this.chain?.height ?? 0;
    return { syncing: false, startingHeight: h, currentHeight: h, highestHeight: h };
  };
  readonly params: NetworkParams;
  readonly log: Logger;
  readonly now: () => number;
  store!: ChainStore;
  chain!: Chainstate;
  mempool!: Mempool;
  miner: Miner | undefined;
  /** Signatures verified once (mempool, sync verifier) that block checks need not verify again. */
  readonly signatureCache = new SignatureCache();
  readonly startedAt = Date.now();
  private started = false;
  private timers: NodeJS.Timeout[] = [];
  private readonly services: { name: string; start(): Promise<void>; stop(): Promise<void> }[] = [];

  constructor(readonly options: NodeOptions) {
    super();
    this.params = networkFromSettings(options.settings);
    this.log = options.log ?? createLogger(options.settings.logLevel);
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
  }

  get settings(): NodeSettings {
    return this.options.settings;
  }

  /** The single admission path for transactions: throws VerifyError, or returns the mempool entry. */
  submitTransaction(tx: Transaction, source: Source): MempoolEntry {
    let entry: MempoolEntry;
    try {
      entry = this.mempool.add(tx);
    } catch (e) {
      if (e instanceof VerifyError) this.emit("rejected", "tx", tx.txid, e, source);
      throw e;
    }
    this.emit("tx", entry, source);
    this.miner?.notify();
    return entry;
  }

  /** The single path for blocks from peers, the API and the miner: throws VerifyError on invalid blocks. */
  submitBlock(block: Block, source: Source): AcceptResult {
    const [outcome] = this.submitBlocks([{ block, source }]);
    if (outcome instanceof VerifyError) throw outcome;
    return outcome!;
  }

  /**
   * Blocks that arrived together (a sync peer's delivery) with one store commit: each block is
   * accepted or rejected on its own, and the outcomes come back in order.
   */
  submitBlocks(arrivals: readonly SourcedBlock[]): (AcceptResult | VerifyError)[] {
    const outcomes = this.chain.acceptBlocks(arrivals.map((a) => a.block));
    for (const [i, outcome] of outcomes.entries()) {
      const { block, source } = arrivals[i]!;
      if (outcome instanceof VerifyError) this.emit("rejected", "block", block.hash, outcome, source);
      else if (outcome.status !== "duplicate") {
        if (outcome.status === "side-branch")
          this.log.info({ hash: block.hash, height: block.header.index }, "block stored on a side branch");
        this.emit("block", block, outcome, source);
      }
    }
    return outcomes;
  }

  /** Registers a service started after the chain is loaded and stopped before it closes. */
  addService(service: { name: string; start(): Promise<void>; stop(): Promise<void> }): void {
    this.services.push(service);
  }

  async start(opts: { reindex?: boolean } = {}): Promise<void> {
    if (this.started) return;
    const s = this.settings;
    this.log.info(
      { network: this.params.networkId, chainId: this.params.chainId, dataDir: s.dataDir },
      "starting Astram node",
    );
    this.store = ChainStore.open(s.dataDir, this.params.networkId);
    try {
      this.chain = new Chainstate(this.store, this.params, {
        now: this.now,
        signatureCache: this.signatureCache,
        onProgress: (what, done, total) => this.log.info({ done, total }, `${what}: ${done}/${total}`),
      });
      this.chain.init();
      if (opts.reindex) {
        this.log.info("reindexing the chain from stored blocks");
        this.chain.reindex();
      }
    } catch (e) {
      await this.store.close();
      throw e;
    }
    this.mempool = new Mempool(this.store, {
      chainId: this.params.chainId,
      now: this.now,
      signatureCache: this.signatureCache,
      limits: this.options.mempoolLimits,
    });
    this.chain.on("update", (u) => {
      for (const b of u.connected) this.mempool.removeForBlock(b.transactions);
      if (u.disconnected.length > 0) {
        const back = this.mempool.readmit(u.disconnected.flatMap((b) => b.transactions.slice(1)).reverse());
        this.log.warn(
          {
            disconnected: u.disconnected.length,
            connected: u.connected.length,
            readmitted: back,
            tip: u.tip.hash,
          },
          "chain reorganized",
        );
      }
      // The hashes connected (up to 16): operators and the network simulator see every block arrive.
      this.log.info(
        {
          height: u.tip.height,
          hash: u.tip.hash,
          txs: u.connected.at(-1)?.transactions.length,
          ...(u.connected.length > 1 && u.connected.length <= 16
            ? { connected: u.connected.map((b) => b.hash) }
            : {}),
        },
        "new tip",
      );
      this.miner?.notify();
    });
    this.chain.on("reorg-refused", ({ depth, candidate }) =>
      this.log.warn({ depth, candidate: candidate.hash }, "refused a reorg deeper than 100 blocks"),
    );
    this.chain.on("invalid", ({ hash, error }) =>
      this.log.warn({ hash, code: error.code, reason: error.reason }, "invalid block"),
    );
    this.log.info(
      { height: this.chain.height, tip: this.chain.tip.hash, utxos: this.store.utxoCount() },
      "chain loaded",
    );
    // Not unref'd: a running node keeps its process alive until stop().
    this.timers.push(setInterval(() => this.mempool.expire(), 60_000));
    // Side branches that fell below the reorg limit can never win: their blocks leave disk and memory.
    this.timers.push(
      setInterval(() => {
        const pruned = this.chain.pruneDeadBranches();
        if (pruned > 0) this.log.info({ pruned }, "pruned side-branch blocks below the reorg limit");
      }, 60_000).unref(),
    );

    for (const svc of this.services) await svc.start();

    if (s.mine && s.minerAddress) {
      this.miner = new Miner({
        chain: this.chain,
        mempool: this.mempool,
        minerAddress: s.minerAddress,
        submit: (block) => this.submitBlock(block, "miner"),
        threads: s.minerThreads,
        gpu: s.gpu,
        ...(s.minerPace ? { pace: this.params.targetSpacing } : {}),
        now: this.now,
        log: this.log,
      });
      // Throws GpuUnavailableError (code GPU_UNAVAILABLE) for --gpu on a machine without a GPU.
      await this.miner.start();
      this.log.info({ address: s.minerAddress, threads: s.minerThreads }, "mining started");
      this.timers.push(
        setInterval(
          () =>
            this.log.info(
              { hashrate: this.miner?.hashrate ?? 0 },
              `mining at ${formatHashrate(this.miner?.hashrate ?? 0)}`,
            ),
          30_000,
        ).unref(),
      );
    }
    this.started = true;
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.miner?.stop();
    for (const svc of [...this.services].reverse()) {
      try {
        await svc.stop();
      } catch (e) {
        this.log.error({ err: e, service: svc.name }, "service failed to stop cleanly");
      }
    }
    await this.store.close();
    this.log.info("node stopped");
  }
}
