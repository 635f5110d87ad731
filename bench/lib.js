// Shared helpers for benchmarks. A benchmark module default-exports an async function that
// returns rows: { name, value, unit, ref?: { name, value, unit }, note? }. The ratio value/ref.value
// is printed beside each row; nothing here asserts on time.
import { performance } from "node:perf_hooks";

/** Runs fn repeatedly for at least minMs (after a warm-up) and returns operations per second. */
export function opsPerSecond(fn, { minMs = 1000, batch = 1 } = {}) {
  const warmEnd = performance.now() + Math.min(200, minMs / 5);
  while (performance.now() < warmEnd) fn();
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < minMs) {
    fn();
    ops += batch;
    now = performance.now();
  }
  return (ops * 1000) / (now - start);
}

/** Async variant: awaits fn each round. */
export async function opsPerSecondAsync(fn, { minMs = 1000, batch = 1 } = {}) {
  const warmEnd = performance.now() + Math.min(200, minMs / 5);
  while (performance.now() < warmEnd) await fn();
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < minMs) {
    await fn();
    ops += batch;
    now = performance.now();
  }
  return (ops * 1000) / (now - start);
}

/** Times one call of an async function in milliseconds. */
export async function timeMs(fn) {
  const start = performance.now();
  const result = await fn();
  return { ms: performance.now() - start, result };
}
