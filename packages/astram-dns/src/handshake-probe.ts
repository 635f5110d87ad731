import { connect } from "node:net";
import {
  decodeP2pMessage,
  encodeFrame,
  encodeP2pMessage,
  FrameDecoder,
  type HandshakeInfo,
  type P2pMessage,
} from "astram-core";
import { describeNetwork, type ExpectedNetwork } from "./network.js";
import type { ProbeFn, ProbeResult } from "./probe.js";

/** A Handshake or HandshakeAck is a few hundred bytes; anything larger is not a node talking to us. */
export const MAX_HANDSHAKE_FRAME = 4096;
/** Bytes read from one probed node before giving up (bounds the work a hostile port can cause). */
export const MAX_PROBE_BYTES = 16 * 1024;
/** Frames read before the HandshakeAck (its Handshake, maybe a Ping or a GetHeaders) before giving up. */
export const MAX_PROBE_FRAMES = 8;

export const PROBE_SOFTWARE_VERSION = "astram-dns/0.1.0";

/**
 * The reachability probe of registrations and health checks: a real Astram P2P handshake.
 *
 * Connects, sends a Handshake for `network` (no session feature, listening port 0, so the node
 * neither mistakes us for itself nor adds us to its address book), and reads frames of at most
 * `MAX_HANDSHAKE_FRAME` bytes until the node's HandshakeAck — the node sends it only after checking
 * our protocol version, network id and chain id, so it proves a node of this network listens.
 * The announced height is the probe's result: registrations and health checks take it from here,
 * never from the HTTP body. Everything (connect and handshake) fits in `timeoutMs`; the
 * connection is closed as soon as the answer is known.
 */
export function createHandshakeProbe(network: ExpectedNetwork): ProbeFn {
  const hello = encodeFrame(
    encodeP2pMessage({
      type: "Handshake",
      info: {
        protocolVersion: network.protocolVersion,
        softwareVersion: PROBE_SOFTWARE_VERSION,
        supportedFeatures: [],
        networkId: network.networkId,
        chainId: network.chainId,
        height: 0,
        listeningPort: 0,
      },
    }),
  );

  return (address, port, timeoutMs, signal) =>
    new Promise<ProbeResult>((resolve) => {
      if (signal?.aborted) {
        resolve({ ok: false, failure: "unreachable", reason: "aborted" });
        return;
      }
      const started = performance.now();
      const socket = connect({ host: address, port });
      const decoder = new FrameDecoder(MAX_HANDSHAKE_FRAME);
      let latencyMs: number | undefined;
      let bytes = 0;
      let frames = 0;
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
      const fail = (reason: string): void =>
        finish({ ok: false, failure: latencyMs === undefined ? "unreachable" : "handshake", reason });
      const onAbort = (): void => fail("aborted");
      const timer = setTimeout(
        () =>
          fail(
            latencyMs === undefined
              ? `no connection within ${timeoutMs} ms`
              : `no handshake within ${timeoutMs} ms`,
          ),
        timeoutMs,
      );
      signal?.addEventListener("abort", onAbort, { once: true });

      /** Returns true when the probe is decided. */
      const onMessage = (m: P2pMessage): boolean => {
        if (m.type !== "Handshake" && m.type !== "HandshakeAck") return false;
        const mismatch = networkMismatch(m.info, network);
        if (mismatch !== undefined) {
          finish({ ok: false, failure: "wrong-network", reason: mismatch });
          return true;
        }
        if (m.type === "Handshake") return false;
        finish({ ok: true, latencyMs: latencyMs ?? 0, height: m.info.height });
        return true;
      };

      socket.once("connect", () => {
        latencyMs = performance.now() - started;
        socket.write(hello);
      });
      socket.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > MAX_PROBE_BYTES) return fail(`more than ${MAX_PROBE_BYTES} bytes without a handshake`);
        let payloads: Uint8Array[];
        try {
          payloads = decoder.push(chunk);
        } catch (e) {
          return fail(`not an Astram P2P frame (${(e as Error).message})`);
        }
        for (const payload of payloads) {
          frames += 1;
          if (frames > MAX_PROBE_FRAMES) return fail(`${MAX_PROBE_FRAMES} frames without a HandshakeAck`);
          let message: P2pMessage;
          try {
            message = decodeP2pMessage(payload);
          } catch (e) {
            return fail(`not an Astram P2P message (${(e as Error).message})`);
          }
          if (onMessage(message)) return;
        }
      });
      socket.once("end", () => fail("closed before the handshake"));
      socket.once("close", () => fail("closed before the handshake"));
      socket.once("error", (err: NodeJS.ErrnoException) => fail(err.code ?? err.message));
    });
}

/** Why `info` is not a node of `network`, or undefined when it is. */
export function networkMismatch(info: HandshakeInfo, network: ExpectedNetwork): string | undefined {
  if (
    info.networkId === network.networkId &&
    info.chainId === network.chainId &&
    info.protocolVersion === network.protocolVersion
  ) {
    return undefined;
  }
  // The id is the remote's text: keep it short and printable in our answers and logs.
  const networkId = info.networkId.replace(/[^\x20-\x7e]/g, "?").slice(0, 64);
  const theirs = { networkId, chainId: info.chainId, protocolVersion: info.protocolVersion };
  return `the node is on ${describeNetwork(theirs)}; this registry serves ${describeNetwork(network)}`;
}
