/** Thrown when a condition was not met before its deadline; says what was awaited. */
export class WaitTimeoutError extends Error {
  readonly code = "WAIT_TIMEOUT";
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
  ) {
    super(`timed out after ${timeoutMs} ms waiting for ${what}`);
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * Polls `condition` (sync or async) every `intervalMs` until it holds; bounded by `timeoutMs`
 * (throws WaitTimeoutError) and by `signal` (throws its reason).
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  opts: { what: string; timeoutMs?: number; intervalMs?: number; signal?: AbortSignal },
): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    opts.signal?.throwIfAborted();
    if (await condition()) return;
    if (Date.now() >= deadline) throw new WaitTimeoutError(opts.what, timeoutMs);
    await sleep(opts.intervalMs ?? 20, opts.signal);
  }
}
