// Worker thread: searches nonces for one header template at a time. The main thread posts jobs;
// a shared generation counter lets it cancel a job within a few thousand hashes.
import { hash } from "node:crypto";
import { parentPort } from "node:worker_threads";

export interface SearchJob {
  /** 172-byte fixint header with any nonce. */
  readonly header: Uint8Array;
  readonly difficulty: number;
  readonly startNonce: bigint;
  readonly count: number;
  /** The job's generation; the job stops when `cancel[0]` differs. */
  readonly generation: number;
  readonly cancel: Int32Array;
}

export type SearchResult =
  | { readonly kind: "found"; readonly nonce: bigint; readonly hashes: number; readonly generation: number }
  | { readonly kind: "done"; readonly hashes: number; readonly generation: number };

const NONCE_OFFSET = 160;
const CHECK_EVERY = 4096;

function meets(digest: Buffer, difficulty: number): boolean {
  const full = difficulty >> 1;
  for (let i = 0; i < full; i++) if (digest[i] !== 0) return false;
  return (difficulty & 1) === 0 || (digest[full]! & 0xf0) === 0;
}

export function search(job: SearchJob): SearchResult {
  const buf = Buffer.from(job.header);
  let nonce = job.startNonce;
  for (let i = 0; i < job.count; i++) {
    buf.writeBigUInt64LE(nonce, NONCE_OFFSET);
    if (meets(hash("sha256", hash("sha256", buf, "buffer"), "buffer"), job.difficulty)) {
      return { kind: "found", nonce, hashes: i + 1, generation: job.generation };
    }
    nonce = (nonce + 1n) & 0xffffffffffffffffn;
    if (i % CHECK_EVERY === CHECK_EVERY - 1 && Atomics.load(job.cancel, 0) !== job.generation) {
      return { kind: "done", hashes: i + 1, generation: job.generation };
    }
  }
  return { kind: "done", hashes: job.count, generation: job.generation };
}

parentPort?.on("message", (job: SearchJob) => parentPort!.postMessage(search(job)));
