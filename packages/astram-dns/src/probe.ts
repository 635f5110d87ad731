/**
 * Why a probe failed: nothing accepted the connection (`unreachable`), something did but did not
 * complete an Astram P2P handshake (`handshake`), or it did for another network (`wrong-network`).
 */
export type ProbeFailure = "unreachable" | "handshake" | "wrong-network";

export type ProbeResult =
  | {
      ok: true;
      /** Time to establish the TCP connection. */
      latencyMs: number;
      /** The height the node announced in its handshake (tip index + 1). */
      height: number;
    }
  | { ok: false; failure: ProbeFailure; reason: string };

/** Checks that an Astram node of the right network answers at address:port. Never rejects. */
export type ProbeFn = (
  address: string,
  port: number,
  timeoutMs: number,
  signal?: AbortSignal,
) => Promise<ProbeResult>;
