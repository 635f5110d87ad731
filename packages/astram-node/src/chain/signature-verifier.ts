// Signature checks of incoming blocks on worker threads, ahead of the (synchronous) block checks on
// the main thread. During sync, while the main thread connects one run of blocks, the workers verify
// the signatures of the next; what they verified goes into the node's SignatureCache, so the block
// checks find every signature already done. Nothing is trusted that the workers did not check: a
// missing or failed entry only means the main thread verifies that signature itself.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { type Block, encodeBlock, type SignatureCache } from "astram-core";
import { compiledModulePath } from "../util/dist-path.js";
import type { SignatureAnswer, SignatureJob } from "./signature-worker.js";

/** Workers by default: the cores the main thread leaves, at least 1, at most 4 (`VERIFY_THREADS`). */
const defaultWorkers = () => Math.min(4, Math.max(1, availableParallelism() - 1));

export class SignatureVerifier {
  private workers: Worker[] = [];
  private readonly waiting = new Map<number, () => void>();
  private nextId = 0;
  private broken = false;

  /** `count` worker threads (0: none, every signature is verified by the block checks). */
  constructor(
    private readonly cache: SignatureCache,
    private readonly count = defaultWorkers(),
  ) {}

  /**
   * Verifies the signatures of `blocks` on the workers and fills the cache. Resolves when done;
   * never rejects (without workers the block checks simply verify everything themselves).
   */
  async prepare(blocks: readonly Block[]): Promise<void> {
    if (blocks.length === 0 || this.broken || this.count === 0) return;
    this.startWorkers();
    const chunks: Uint8Array[][] = this.workers.map(() => []);
    for (const [i, b] of blocks.entries()) chunks[i % chunks.length]!.push(encodeBlock(b));
    await Promise.all(
      chunks.map((chunk, i) => (chunk.length === 0 ? undefined : this.run(this.workers[i]!, chunk))),
    );
  }

  /** Stops the workers. prepare() may start them again. */
  async stop(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((w) => w.terminate()));
    for (const done of this.waiting.values()) done();
    this.waiting.clear();
  }

  private startWorkers(): void {
    if (this.workers.length > 0) return;
    const file = compiledModulePath(import.meta.url, "./signature-worker.js");
    for (let i = 0; i < this.count; i++) {
      const w = new Worker(file);
      w.unref();
      w.on("message", (answer: SignatureAnswer) => {
        for (const k of answer.keys) this.cache.add(k);
        this.waiting.get(answer.id)?.();
        this.waiting.delete(answer.id);
      });
      // A worker that fails or exits on its own: checks fall back to the main thread for good, and
      // whoever waits is released (nothing waits forever on a thread that is gone).
      const fail = () => {
        if (!this.workers.includes(w)) return; // stop() is ending it
        this.broken = true;
        void this.stop();
      };
      w.on("error", fail);
      w.on("exit", fail);
      this.workers.push(w);
    }
  }

  private run(worker: Worker, blocks: Uint8Array[]): Promise<void> {
    const id = this.nextId++;
    return new Promise<void>((resolve) => {
      this.waiting.set(id, resolve);
      const job: SignatureJob = { id, blocks };
      worker.postMessage(
        job,
        blocks.map((b) => b.buffer as ArrayBuffer),
      );
    });
  }
}
