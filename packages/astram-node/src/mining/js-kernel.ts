// The node:crypto kernel: two full SHA-256 calls per nonce. The slowest; the reference the others
// are compared with, and the last fallback.
import { hash } from "node:crypto";
import { meetsDifficultyBytes } from "astram-core";
import type { KernelJob, KernelResult, SearchKernel } from "./kernel.js";
import { U64_MASK } from "./kernel.js";
import { NONCE_OFFSET } from "./sha256-midstate.js";

const CHECK_EVERY = 4096;

export const jsKernel: SearchKernel = {
  name: "js",
  implementation: "node:crypto",
  search(job: KernelJob): KernelResult {
    const buf = Buffer.from(job.header);
    let nonce = job.startNonce & U64_MASK;
    for (let i = 0; i < job.count; i++) {
      buf.writeBigUInt64LE(nonce, NONCE_OFFSET);
      if (meetsDifficultyBytes(hash("sha256", hash("sha256", buf, "buffer"), "buffer"), job.difficulty)) {
        return { found: true, nonce, hashes: i + 1 };
      }
      nonce = (nonce + 1n) & U64_MASK;
      if (
        i % CHECK_EVERY === CHECK_EVERY - 1 &&
        job.cancel &&
        Atomics.load(job.cancel, 0) !== job.generation
      ) {
        return { found: false, nonce: 0n, hashes: i + 1 };
      }
    }
    return { found: false, nonce: 0n, hashes: job.count };
  },
};

/** sha256d of the header with `nonce` patched in (used to confirm candidates). */
export function headerDigest(header: Uint8Array, nonce: bigint): Buffer {
  const buf = Buffer.from(header);
  buf.writeBigUInt64LE(nonce & U64_MASK, NONCE_OFFSET);
  return hash("sha256", hash("sha256", buf, "buffer"), "buffer");
}
