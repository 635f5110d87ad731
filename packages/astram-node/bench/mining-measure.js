// Shared by mining.bench.js and its worker: hashes/s of a kernel searching an unwinnable target.
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";

/** Runs the kernel for about `ms` milliseconds (after a short warm-up) and returns hashes/s. */
export function measureKernel(kernel, ms) {
  const header = new Uint8Array(randomBytes(172));
  const job = (startNonce, count) => ({ header, difficulty: 64, startNonce, count });
  // Warm-up (also lets V8 tier the WebAssembly module up) and a first size estimate.
  let count = 10_000;
  let warm = performance.now();
  while (performance.now() - warm < Math.min(300, ms / 4)) {
    const t = performance.now();
    kernel.search(job(0n, count));
    const dt = Math.max(0.1, performance.now() - t);
    count = Math.max(1000, Math.round((count * 50) / dt));
  }
  let hashes = 0;
  let nonce = 0n;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    hashes += kernel.search(job(nonce, count)).hashes;
    nonce += BigInt(count);
    now = performance.now();
  }
  warm = undefined;
  return (hashes * 1000) / (now - start);
}
