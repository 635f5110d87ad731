import { EventEmitter } from "node:events";
import { Worker } from "node:worker_threads";
import {
  type Block,
  type BlockHeader,
  blockHeaderHash,
  headerHashInput,
  meetsDifficulty,
  VerifyError,
} from "astram-core";
import type { Logger } from "pino";
import type { Chainstate } from "../chain/chainstate.js";
import type { Mempool } from "../mempool/mempool.js";
import { compiledModulePath } from "../util/dist-path.js";
import { type BlockTemplate, buildBlockTemplate } from "./block-template.js";
import { type GpuInfo, GpuSearch, type GpuSearchOptions } from "./gpu-search.js";
import { formatHashrate, RateMeter } from "./hashrate.js";
import {
  type KernelJob,
  type KernelName,
  type KernelPreference,
  type KernelResult,
  parseKernelPreference,
} from "./kernel.js";
import { activeMiners, PACE_WINDOW, pacedHashrate } from "./pace.js";
import { RecentProducers } from "./recent-producers.js";
import type { WorkerInit, WorkerMessage } from "./search-worker.js";
import { selectKernel } from "./select-kernel.js";

export { type GpuInfo, GpuUnavailableError } from "./gpu-search.js";
export { formatHashrate } from "./hashrate.js";
export type { KernelName, KernelPreference } from "./kernel.js";

export interface MinerOptions {
  readonly chain: Chainstate;
  readonly mempool: Mempool;
  readonly minerAddress: string;
  /** How a found block enters the chain (the node's submitBlock); defaults to chain.acceptBlock. */
  readonly submit?: (block: Block) => void;
  /** CPU worker threads (default 1; the node passes one per core). 0 is allowed with a GPU. */
  readonly threads?: number;
  /** Search kernel of the CPU workers; default ASTRAM_MINER_KERNEL or "auto" (native, else wasm, else js). */
  readonly kernel?: KernelPreference;
  /** Where the native kernel is loaded from (default native/build/Release/astram_mining.node). */
  readonly nativeAddonPath?: string;
  /** Also search on the GPU (WebGPU). start() fails with GpuUnavailableError when there is none. */
  readonly gpu?: boolean | GpuSearchOptions;
  /**
   * Nonces searched per template before its timestamp is bumped by a second (default 2^64, the
   * whole u64 nonce; smaller values exist for tests).
   */
  readonly nonceSpace?: bigint;
  /** How often a changed mempool is checked for a better template, in ms (default 1000). */
  readonly templateRefreshMs?: number;
  /**
   * Hold the hashrate to what the difficulty needs for one block per `pace` seconds from all paced
   * miners together: 16^d / (pace * N) hashes per second, N the miners seen on the chain (pace.ts).
   * A difficulty step is 16x, wider than the schedule's [0.75, 1.5] band, so a fixed hashrate makes
   * the difficulty oscillate instead of settling; a paced devnet keeps its target block time at any
   * difficulty and leaves the CPU free. Off unless set.
   */
  readonly pace?: number;
  readonly now?: () => number;
  readonly log?: Logger;
}

/** What /status and the dashboard show about mining. */
export interface MinerStatus {
  readonly running: boolean;
  /** Total hashes per second (CPU + GPU) over the last 10 s. */
  readonly hashrate: number;
  /** The same, formatted: "12.34 MH/s". */
  readonly hashrateText: string;
  readonly threads: number;
  /** The CPU workers' kernel. */
  readonly backend: KernelName;
  /** Its code path: "sha-ni", "avx512", "avx2", "vec4", "portable", "simd128", "node:crypto". */
  readonly kernel: string;
  readonly cpuHashrate: number;
  readonly gpu: (GpuInfo & { readonly hashrate: number }) | null;
  readonly blocksFound: number;
  /** The template being searched: height, difficulty, transaction count (coinbase excluded). */
  readonly template: {
    readonly height: number;
    readonly difficulty: number;
    readonly transactions: number;
  } | null;
}

/** What pacing decided for the current template. */
export interface PaceStatus {
  /** Distinct producers of the last PACE_WINDOW blocks, this miner included. */
  readonly miners: number;
  /** Hashes per second allowed: 16^d / (pace * miners). */
  readonly hashrate: number;
}

interface MinerEvents {
  block: [Block];
}

/** Blocks are never produced more than this far past the clock (the consensus bound is 2 h). */
const FUTURE_SLACK_SECONDS = 7000;
/** Search jobs are sized to take about this long, so the hashrate and cancellation stay responsive. */
const JOB_TARGET_MS = 250;
const U64_SPACE = 1n << 64n;
const KERNEL_TITLE: Record<KernelName, string> = {
  native: "native mining kernel",
  wasm: "WebAssembly mining kernel",
  js: "JavaScript (node:crypto) mining kernel",
};

/** One template's nonce space being handed out in chunks to the lanes. */
class Round {
  next = 0n;
  hashes = 0;
  readonly startedAt = Date.now();
  winner: { nonce: bigint; by: "cpu" | "gpu" } | undefined;
  constructor(
    readonly header: BlockHeader,
    readonly input: Uint8Array,
    readonly generation: number,
    readonly space: bigint,
    /** Hashes per second allowed when paced. */
    readonly pacedRate: number | undefined,
  ) {}

  take(count: number): { start: bigint; count: number } | undefined {
    if (this.winner || this.next >= this.space) return undefined;
    const n = this.space - this.next < BigInt(count) ? Number(this.space - this.next) : count;
    const start = this.next;
    this.next += BigInt(n);
    return { start, count: n };
  }
}

/** A search backend fed by the miner: one CPU worker thread, or the GPU. */
interface Lane {
  readonly kind: "cpu" | "gpu";
  chunk: number;
  readonly meter: RateMeter;
  search(job: KernelJob): Promise<KernelResult>;
}

class WorkerLane implements Lane {
  readonly kind = "cpu";
  chunk = 1 << 16;
  constructor(
    readonly worker: Worker,
    readonly meter: RateMeter,
  ) {}

  /** Resolves with the worker's first message (ready or error). */
  ready(): Promise<{ kernel: KernelName; implementation: string }> {
    return this.next().then((m) => {
      if (m.type === "ready") return m;
      throw new Error(m.type === "error" ? m.message : "search worker did not start");
    });
  }

  async search(job: KernelJob): Promise<KernelResult> {
    const reply = this.next();
    this.worker.postMessage(job);
    const m = await reply;
    if (m.type !== "result") throw new Error(m.type === "error" ? m.message : "unexpected worker message");
    return m;
  }

  private next(): Promise<WorkerMessage> {
    return new Promise((resolve, reject) => {
      const onMessage = (m: WorkerMessage) => {
        this.worker.off("error", onError);
        this.worker.off("exit", onExit);
        resolve(m);
      };
      const onError = (e: Error) => {
        this.worker.off("message", onMessage);
        this.worker.off("exit", onExit);
        reject(e);
      };
      const onExit = (code: number) => onError(new Error(`search worker exited with code ${code}`));
      this.worker.once("message", onMessage);
      this.worker.once("error", onError);
      this.worker.once("exit", onExit);
    });
  }
}

class GpuLane implements Lane {
  readonly kind = "gpu";
  // The GPU backend sizes its own dispatches; a lane chunk is several of them.
  chunk = 1 << 22;
  constructor(
    readonly gpu: GpuSearch,
    readonly meter: RateMeter,
  ) {}
  search(job: KernelJob): Promise<KernelResult> {
    return this.gpu.search(job);
  }
}

/**
 * The mining loop: builds a template on the tip and searches its nonces on worker threads (one
 * kernel per thread; the nonce space is handed out in chunks) and optionally the GPU. A new template
 * is built when the tip changes, or when the mempool changed and a rebuilt template pays more fees.
 * When a template's nonce space is exhausted its timestamp is bumped and the search continues. A
 * winner (from any backend) is re-hashed on this thread and goes through the same submit path as a
 * block from a peer.
 */
export class Miner extends EventEmitter<MinerEvents> {
  private lanes: Lane[] = [];
  private gpuSearch: GpuSearch | undefined;
  private readonly cancel = new Int32Array(new SharedArrayBuffer(4));
  private generation = 0;
  private running = false;
  private loop: Promise<void> | undefined;
  private starting: Promise<void> | undefined;
  private stale = false;
  private mempoolDirty = false;
  private refreshTimer: NodeJS.Timeout | undefined;
  private template: BlockTemplate | undefined;
  private readonly producers: RecentProducers;
  private pacing: PaceStatus | undefined;
  private readonly cpuMeter = new RateMeter();
  private readonly gpuMeter = new RateMeter();
  private wake: (() => void) | undefined;
  private kernelName: KernelName = "js";
  private kernelImpl = "";
  blocksFound = 0;
  /** Times a template's nonce space ran out and its timestamp was bumped. */
  timestampBumps = 0;

  constructor(private readonly opts: MinerOptions) {
    super();
    this.producers = new RecentProducers(opts.chain);
  }

  /** With `pace`: the miners seen on the chain and the hashrate allowed on the current template. */
  get pace(): PaceStatus | undefined {
    return this.pacing;
  }

  get threads(): number {
    return this.opts.threads ?? 1;
  }
  /** Total H/s (CPU + GPU). */
  get hashrate(): number {
    return this.cpuMeter.rate() + this.gpuMeter.rate();
  }
  get backend(): KernelName {
    return this.kernelName;
  }
  get gpu(): (GpuInfo & { hashrate: number }) | null {
    return this.gpuSearch ? { ...this.gpuSearch.info, hashrate: this.gpuMeter.rate() } : null;
  }
  get isRunning(): boolean {
    return this.running;
  }

  status(): MinerStatus {
    const hashrate = this.hashrate;
    const t = this.template;
    return {
      running: this.running,
      hashrate,
      hashrateText: formatHashrate(hashrate),
      threads: this.running ? this.lanes.filter((l) => l.kind === "cpu").length : this.threads,
      backend: this.kernelName,
      kernel: this.kernelImpl,
      cpuHashrate: this.cpuMeter.rate(),
      gpu: this.gpu,
      blocksFound: this.blocksFound,
      template: t
        ? { height: t.height, difficulty: t.block.header.difficulty, transactions: t.transactions.length }
        : null,
    };
  }

  /**
   * Loads the kernel, opens the GPU when asked (throws GpuUnavailableError without one), starts
   * the worker threads and the mining loop.
   */
  start(): Promise<void> {
    if (this.loop) return Promise.resolve();
    this.starting ??= this.launch().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async launch(): Promise<void> {
    const log = this.opts.log;
    const preference = this.opts.kernel ?? parseKernelPreference(process.env.ASTRAM_MINER_KERNEL);
    const choice = selectKernel(preference, { addonPath: this.opts.nativeAddonPath });
    choice.fallbacks.forEach((f, i) => {
      const next = choice.fallbacks[i + 1]?.kernel ?? choice.kernel.name;
      log?.warn(
        { reason: f.reason },
        `${KERNEL_TITLE[f.kernel]} unavailable: using the ${KERNEL_TITLE[next]}`,
      );
    });
    this.kernelName = choice.kernel.name;
    this.kernelImpl = choice.kernel.implementation;
    if (this.opts.gpu) {
      this.gpuSearch = await GpuSearch.open(this.opts.gpu === true ? {} : this.opts.gpu);
      log?.info({ adapter: this.gpuSearch.info.adapter }, "GPU mining enabled");
    }
    if (this.threads === 0 && !this.gpuSearch)
      throw new RangeError("the miner needs at least one thread or a GPU");
    const file = compiledModulePath(import.meta.url, "./search-worker.js");
    const init: WorkerInit = {
      kernel: this.kernelName,
      addonPath: this.opts.nativeAddonPath,
      implementation: this.kernelName === "native" ? this.kernelImpl : undefined,
    };
    const workers = Array.from({ length: this.threads }, () => new Worker(file, { workerData: init }));
    const lanes = workers.map((w) => new WorkerLane(w, this.cpuMeter));
    try {
      await Promise.all(lanes.map((l) => l.ready()));
    } catch (e) {
      await Promise.all(workers.map((w) => w.terminate()));
      this.gpuSearch?.close();
      this.gpuSearch = undefined;
      throw e;
    }
    for (const w of workers) w.unref();
    this.lanes = [...lanes];
    if (this.gpuSearch) this.lanes.push(new GpuLane(this.gpuSearch, this.gpuMeter));
    this.cpuMeter.reset();
    this.gpuMeter.reset();
    this.running = true;
    this.refreshTimer = setInterval(() => this.checkMempool(), this.opts.templateRefreshMs ?? 1000);
    this.refreshTimer.unref();
    log?.info(
      {
        threads: this.threads,
        kernel: this.kernelName,
        implementation: this.kernelImpl,
        gpu: this.gpu?.adapter,
      },
      `mining on ${this.threads} thread(s) with the ${this.kernelName} kernel (${this.kernelImpl})` +
        (this.gpuSearch ? ` and the GPU (${this.gpuSearch.info.adapter})` : ""),
    );
    this.loop = this.run().catch((e) => {
      this.running = false;
      log?.error({ err: e }, "mining loop stopped");
    });
  }

  async stop(): Promise<void> {
    await this.starting?.catch(() => undefined);
    if (!this.loop) return;
    this.running = false;
    this.invalidate();
    clearInterval(this.refreshTimer);
    await this.loop;
    this.loop = undefined;
    await Promise.all(this.lanes.map((l) => (l instanceof WorkerLane ? l.worker.terminate() : undefined)));
    this.lanes = [];
    this.gpuSearch?.close();
    this.gpuSearch = undefined;
  }

  /**
   * The tip or the mempool changed. A new tip abandons the template at once; a mempool change is
   * looked at within templateRefreshMs and switches templates only if the new one pays more.
   */
  notify(): void {
    const t = this.template;
    if (!t || this.opts.chain.tip.hash !== t.parent.hash) this.invalidate();
    else this.mempoolDirty = true;
  }

  private invalidate(): void {
    this.stale = true;
    Atomics.store(this.cancel, 0, ++this.generation);
    this.wake?.();
  }

  private checkMempool(): void {
    const current = this.template;
    if (!this.running || !this.mempoolDirty || !current) return;
    this.mempoolDirty = false;
    const now = (this.opts.now ?? (() => Math.floor(Date.now() / 1000)))();
    const candidate = buildBlockTemplate(this.opts.chain, this.opts.mempool, this.opts.minerAddress, now);
    if (candidate.parent.hash !== current.parent.hash || candidate.fees > current.fees) {
      this.opts.log?.debug(
        { fees: candidate.fees.toString(), txs: candidate.transactions.length },
        "better template",
      );
      this.invalidate();
    }
  }

  private async run(): Promise<void> {
    const now = this.opts.now ?? (() => Math.floor(Date.now() / 1000));
    const space = this.opts.nonceSpace ?? U64_SPACE;
    while (this.running) {
      this.stale = false;
      this.mempoolDirty = false;
      const template = buildBlockTemplate(this.opts.chain, this.opts.mempool, this.opts.minerAddress, now());
      this.template = template;
      const pacedRate = this.paceFor(template);
      let header = template.block.header;
      while (this.running && !this.stale) {
        if (header.timestamp > now() + FUTURE_SLACK_SECONDS) {
          // Blocks came faster than the clock for a long time; wait instead of producing future blocks.
          await this.sleep(1000);
          break;
        }
        const generation = ++this.generation;
        Atomics.store(this.cancel, 0, generation);
        const round = new Round(header, headerHashInput(header), generation, space, pacedRate);
        await Promise.all(
          this.lanes.map((lane) => this.runLane(lane, round).catch((e) => this.dropLane(lane, e))),
        );
        if (this.lanes.length === 0) throw new Error("every search backend failed");
        if (round.winner) {
          this.submitWinner(template, header, round.winner);
          break;
        }
        if (this.stale || !this.running) break;
        // Every nonce of this template was tried: move the timestamp on and search again.
        header = { ...header, timestamp: Math.max(header.timestamp + 1, now()) };
        this.timestampBumps++;
        this.opts.log?.debug(
          { height: template.height, timestamp: header.timestamp },
          "nonce space exhausted",
        );
      }
    }
  }

  private async runLane(lane: Lane, round: Round): Promise<void> {
    while (this.running && round.generation === this.generation) {
      if (this.opts.pace) await this.paceRound(round);
      if (!this.running || round.generation !== this.generation) return;
      const chunk = round.take(this.opts.pace ? this.pacedChunk(round, lane) : lane.chunk);
      if (!chunk) return;
      const began = Date.now();
      const r = await lane.search({
        header: round.input,
        difficulty: round.header.difficulty,
        startNonce: chunk.start,
        count: chunk.count,
        cancel: this.cancel,
        generation: round.generation,
      });
      lane.meter.add(r.hashes);
      round.hashes += r.hashes;
      if (r.found) {
        if (!round.winner && round.generation === this.generation) {
          round.winner = { nonce: r.nonce, by: lane.kind };
          Atomics.store(this.cancel, 0, ++this.generation);
        }
        return;
      }
      if (r.hashes === chunk.count) {
        const ms = Math.max(1, Date.now() - began);
        lane.chunk = Math.max(4096, Math.min(2 ** 32, Math.round((chunk.count * JOB_TARGET_MS) / ms)));
      }
    }
  }

  /** The hashrate a paced miner may use on this template (pace.ts), or undefined when unpaced. */
  private paceFor(template: BlockTemplate): number | undefined {
    const pace = this.opts.pace;
    if (!pace) return undefined;
    const recent = this.producers.of(template.parent, PACE_WINDOW);
    const miners = activeMiners(recent, this.opts.minerAddress);
    const hashrate = pacedHashrate(template.block.header.difficulty, pace, miners);
    this.pacing = { miners, hashrate };
    return hashrate;
  }

  /** Hashes per second the pace allows on this round. */
  private pacedRate(round: Round): number {
    return round.pacedRate!;
  }

  /** A chunk of about a quarter second at the paced rate, shared between the lanes. */
  private pacedChunk(round: Round, lane: Lane): number {
    const share = Math.ceil(this.pacedRate(round) / 4 / Math.max(1, this.lanes.length));
    return Math.max(1, Math.min(lane.chunk, share));
  }

  /** Waits while the round is ahead of its paced hash budget. */
  private async paceRound(round: Round): Promise<void> {
    const elapsed = (Date.now() - round.startedAt) / 1000;
    const ahead = round.hashes / this.pacedRate(round) - elapsed;
    if (ahead > 0) await this.sleep(Math.min(1000, ahead * 1000));
  }

  /** A backend failed (worker crash, GPU device lost, bad GPU result): mine on without it. */
  private dropLane(lane: Lane, e: unknown): void {
    this.lanes = this.lanes.filter((l) => l !== lane);
    const rest = `${this.lanes.length} backend(s) left`;
    if (lane instanceof GpuLane) {
      this.opts.log?.error({ err: e }, `GPU search failed; mining without the GPU (${rest})`);
      this.gpuSearch?.close();
      this.gpuSearch = undefined;
    } else if (lane instanceof WorkerLane) {
      this.opts.log?.error({ err: e }, `a search worker failed (${rest})`);
      void lane.worker.terminate();
    }
  }

  /** Re-hashes the winner on this thread and submits the block. */
  private submitWinner(
    template: BlockTemplate,
    header: BlockHeader,
    winner: { nonce: bigint; by: string },
  ): void {
    const log = this.opts.log;
    const mined: BlockHeader = { ...header, nonce: winner.nonce };
    const hash = blockHeaderHash(mined);
    if (!meetsDifficulty(hash, mined.difficulty)) {
      log?.error(
        { nonce: winner.nonce.toString(), by: winner.by },
        "search reported a nonce that misses the target",
      );
      return;
    }
    const block: Block = { header: mined, transactions: template.block.transactions, hash };
    try {
      if (this.opts.submit) this.opts.submit(block);
      else this.opts.chain.acceptBlock(block);
      this.blocksFound++;
      log?.debug({ height: mined.index, hash, by: winner.by }, "mined a block");
      this.emit("block", block);
    } catch (e) {
      if (!(e instanceof VerifyError)) throw e;
      // Never stall on a bad template: re-check every pending transaction.
      log?.error({ code: e.code, reason: e.reason }, "mined block was rejected; revalidating the mempool");
      const txs = template.transactions;
      for (const tx of txs) this.opts.mempool.remove(tx.txid);
      this.opts.mempool.readmit(txs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }
}
