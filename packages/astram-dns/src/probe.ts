import { connect } from "node:net";

export type ProbeResult = { ok: true; latencyMs: number } | { ok: false; reason: string };

/** Checks that something accepts TCP connections at address:port. Never rejects. */
export type ProbeFn = (
  address: string,
  port: number,
  timeoutMs: number,
  signal?: AbortSignal,
) => Promise<ProbeResult>;

/**
 * A TCP connect probe: opens a connection, measures the time to establishment, closes it at once
 * without sending a byte (the P2P protocol has no anonymous "ping"; an accepted connection is
 * proof enough that a listener is there).
 */
export const tcpProbe: ProbeFn = (address, port, timeoutMs, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted) {
      resolve({ ok: false, reason: "aborted" });
      return;
    }
    const started = performance.now();
    const socket = connect({ host: address, port });
    let done = false;
    const finish = (result: ProbeResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      socket.removeAllListeners();
      socket.on("error", () => {});
      socket.destroy();
      resolve(result);
    };
    const onAbort = (): void => finish({ ok: false, reason: "aborted" });
    const timer = setTimeout(() => finish({ ok: false, reason: `timeout after ${timeoutMs} ms` }), timeoutMs);
    signal?.addEventListener("abort", onAbort, { once: true });
    socket.once("connect", () => finish({ ok: true, latencyMs: performance.now() - started }));
    socket.once("error", (err: NodeJS.ErrnoException) =>
      finish({ ok: false, reason: err.code ?? err.message }),
    );
  });
