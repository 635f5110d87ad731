import { EventEmitter } from "node:events";
import { Worker } from "node:worker_threads";
import { type Block, blockHeaderHash, headerHashInput, meetsDifficulty, VerifyError } from "astram-core";
import type { Logger } from "pino";
import type { Chainstate } from "../chain/chainstate.js";
import type { Mempool } from "../mempool/mempool.js";
import { compiledModulePath } from "../util/dist-path.js";
import { buildBlockTemplate } from "./block-template.js";
import type { SearchJob, SearchResult } from "./search-worker.js";

export interface MinerOptions {
  readonly chain: Chainstate;
  readonly mempool: Mempool;
  readonly minerAddress: string;
  /** How a found block enters the chain (the node's submitBlock); defaults to chain.acceptBlock. */
  readonly submit?: (block: Block) => void;
  readonly threads?: number;
  readonly now?: () => number;
  readonly log?: Logger;
}

interface MinerEvents {
  block: [Block];
}

/** Hashes counted over a sliding window, for the H/s figure in logs and /status. */
class RateMeter {
  private samples: { t: number; n: number }[] = [];
  add(n: number): void {
    this.samples.push({ t: Date.now(), n });
    const cutoff = Date.now() - 10_000;
    while (this.samples.length > 1 && this.samples[0]!.t < cutoff) this.samples.shift();
  }
  rate(): number {
    if (this.samples.length < 2) return 0;
    const span = (this.samples[this.samples.length - 1]!.t - this.samples[0]!.t) / 1000;
    const n = this.samples.slice(1).reduce((s, x) => s + x.n, 0);
    return span > 0 ? n / span : 0;
  }
}

/** "1.23 MH/s" */
export function formatHashrate(hps: number): string {
  if (hps >= 1e9) return `${(hps / 1e9).toFixed(2)} GH/s`;
  if (hps >= 1e6) return `${(hps / 1e6).toFixed(2)} MH/s`;
  if (hps >= 1e3) return `${(hps / 1e3).toFixed(2)} kH/s`;
  return `${hps.toFixed(0)} H/s`;
}

/**
 * The mining loop: builds a template on the tip, searches nonces on worker threads (the nonce space
 * split between them), and starts over when the tip changes or the mempool changes. A found block is
 * verified on this thread and goes through the same acceptBlock as a block from a peer.
 */
export class Miner extends EventEmitter<MinerEvents> {
  private workers: Worker[] = [];
  private readonly cancel = new Int32Array(new SharedArrayBuffer(4));
  private generation = 0;
  private running = false;
  private loop: Promise<void> | undefined;
  private stale = false;
  private readonly meter = new RateMeter();
  private chunk = 20_000;
  private wake: (() => void) | undefined;
  blocksFound = 0;

  constructor(private readonly opts: MinerOptions) {
    super();
  }

  get threads(): number {
    return this.opts.threads ?? 1;
  }
  get hashrate(): number {
    return this.meter.rate();
  }
  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const file = compiledModulePath(import.meta.url, "./search-worker.js");
    this.workers = Array.from({ length: this.threads }, () => new Worker(file));
    for (const w of this.workers) w.unref();
    this.loop = this.run().catch((e) => {
      this.opts.log?.error({ err: e }, "mining loop stopped");
    });
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.notify();
    await this.loop;
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers = [];
  }

  /** The tip or the mempool changed: abandon the current template. */
  notify(): void {
    this.stale = true;
    Atomics.store(this.cancel, 0, ++this.generation);
    this.wake?.();
  }

  private async run(): Promise<void> {
    const now = this.opts.now ?? (() => Math.floor(Date.now() / 1000));
    while (this.running) {
      this.stale = false;
      const template = buildBlockTemplate(this.opts.chain, this.opts.mempool, this.opts.minerAddress, now());
      if (template.block.header.timestamp > now() + 7000) {
        // Blocks came faster than the clock for a long time; wait instead of producing future blocks.
        await this.sleep(1000);
        continue;
      }
      const header = headerHashInput(template.block.header);
      const generation = this.generation;
      let next = 0n;
      let found: bigint | undefined;
      while (this.running && !this.stale && found === undefined) {
        const started = Date.now();
        const jobs = this.workers.map((w) => {
          const job: SearchJob = {
            header,
            difficulty: template.block.header.difficulty,
            startNonce: next,
            count: this.chunk,
            generation,
            cancel: this.cancel,
          };
          next += BigInt(this.chunk);
          return this.runJob(w, job);
        });
        const results = await Promise.all(jobs);
        for (const r of results) {
          this.meter.add(r.hashes);
          if (r.kind === "found" && found === undefined && r.generation === this.generation) found = r.nonce;
        }
        // Aim for jobs of about 250 ms so cancellation and hashrate stay responsive.
        const ms = Math.max(1, Date.now() - started);
        this.chunk = Math.max(4096, Math.min(50_000_000, Math.round((this.chunk * 250) / ms)));
      }
      if (found === undefined || this.stale || !this.running) continue;
      const headerWithNonce = { ...template.block.header, nonce: found };
      const hash = blockHeaderHash(headerWithNonce);
      if (!meetsDifficulty(hash, headerWithNonce.difficulty)) {
        this.opts.log?.error(
          { nonce: found.toString() },
          "search kernel reported a nonce that does not meet the target",
        );
        continue;
      }
      const block: Block = { header: headerWithNonce, transactions: template.block.transactions, hash };
      try {
        if (this.opts.submit) this.opts.submit(block);
        else this.opts.chain.acceptBlock(block);
        this.blocksFound++;
        this.emit("block", block);
      } catch (e) {
        if (!(e instanceof VerifyError)) throw e;
        // Never stall on a bad template: re-check every pending transaction.
        this.opts.log?.error(
          { code: e.code, reason: e.reason },
          "mined block was rejected; revalidating the mempool",
        );
        const txs = template.transactions;
        for (const tx of txs) this.opts.mempool.remove(tx.txid);
        this.opts.mempool.readmit(txs);
      }
    }
  }

  private runJob(worker: Worker, job: SearchJob): Promise<SearchResult> {
    return new Promise((resolve, reject) => {
      const onMessage = (r: SearchResult) => {
        worker.off("error", onError);
        resolve(r);
      };
      const onError = (e: Error) => {
        worker.off("message", onMessage);
        reject(e);
      };
      worker.once("message", onMessage);
      worker.once("error", onError);
      worker.postMessage(job);
    });
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
