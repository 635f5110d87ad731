// The incoming path (facts §3.5, §3.6): socket handler (size and PoW checks, enqueue) -> processor
// (header, handshake or decrypt, replay check) -> the node's dispatch by topic. Every failure on
// that path is a counted drop (stats.dropped); nothing a datagram contains can throw out of the
// socket handler or stop the processor. A known peer's address changes only when an authenticated
// message arrives from the new address (the reference also moves it on unauthenticated bytes).
import type { RemoteInfo } from "node:dgram";
import { performance } from "node:perf_hooks";
import type { Logger } from "../logger.js";
import { ExprDecodeError } from "../machine/errors.js";
import { idsEqual } from "../storage/atom-id.js";
import { addressKey, normalizeHost, type PeerAddress, sameAddress } from "./address.js";
import { openBody } from "./cipher.js";
import { CHACHA_NONCE_BYTES, POW_NONCE_BYTES } from "./constants.js";
import { DecryptionError, MessageDecodeError } from "./errors.js";
import type { IncomingQueue } from "./incoming-queue.js";
import { decodeMessage, type RelayMessage } from "./message.js";
import type { Peer } from "./peer.js";
import { checkPow } from "./pow.js";
import type { KeyedRateLimit } from "./rate-limit.js";
import { ReplayGuard } from "./replay-guard.js";
import type { DropReason, RelayStats } from "./stats.js";

/** Slice of the processor before it yields to the socket (milliseconds). */
const PROCESS_SLICE_MS = 8;

/** What the incoming path needs from its relay node. */
export interface IntakeHost {
  readonly publicKey: Uint8Array;
  readonly maxDatagramSize: number;
  readonly stats: RelayStats;
  readonly log: Logger;
  /** Rate limit of sends no authenticated message asked for (here: re-key handshakes). */
  readonly unpromptedSends: KeyedRateLimit;
  isConnected(): boolean;
  /** The registered or transient peer with this key, or a new transient one; else why not. */
  peerFor(publicKey: Uint8Array, address: PeerAddress): Peer | "bad_key" | "rate_limited";
  onHandshake(m: RelayMessage, address: PeerAddress): void;
  sendHandshake(address: PeerAddress): boolean;
  /** Handles an authenticated message's content; decode errors it throws count as "content" drops. */
  dispatch(peer: Peer, topic: number, content: Uint8Array): void;
  drop(reason: DropReason): void;
}

export class DatagramIntake {
  private readonly replay = new ReplayGuard();
  private processingScheduled = false;

  constructor(
    private readonly host: IntakeHost,
    private readonly queue: IncomingQueue,
  ) {}

  /** The incoming socket's "message" handler. */
  onDatagram(datagram: Buffer, rinfo: RemoteInfo): void {
    const h = this.host;
    try {
      const msg = new Uint8Array(datagram.buffer, datagram.byteOffset, datagram.length);
      h.stats.received++;
      h.stats.receivedBytes += msg.length;
      if (msg.length > h.maxDatagramSize) {
        h.drop("oversized");
        return;
      }
      if (msg.length <= POW_NONCE_BYTES) {
        h.drop("too_short");
        return;
      }
      if (!checkPow(msg, this.queue.difficulty())) {
        h.drop("pow");
        return;
      }
      const from = { host: normalizeHost(rinfo.address), port: rinfo.port };
      const r = this.queue.offer(msg.subarray(POW_NONCE_BYTES), from, msg.length);
      if (r === "full") {
        h.drop("queue_full");
        return;
      }
      this.scheduleProcessing();
    } catch (err) {
      h.drop("internal");
      h.log.error(`relay socket handler: ${(err as Error).message}`);
    }
  }

  private scheduleProcessing(): void {
    if (this.processingScheduled) return;
    this.processingScheduled = true;
    setImmediate(() => this.drain());
  }

  private drain(): void {
    const h = this.host;
    this.processingScheduled = false;
    if (!h.isConnected()) return;
    const until = performance.now() + PROCESS_SLICE_MS;
    for (let item = this.queue.take(); item !== null; item = this.queue.take()) {
      h.stats.processed++;
      try {
        this.handleMessage(item.message, item.from);
      } catch (err) {
        h.drop("internal");
        h.log.error(`relay processor: ${(err as Error).message}`);
      } finally {
        h.stats.dropped.queue_timeout += this.queue.release(item);
      }
      if (performance.now() > until) break;
    }
    if (this.queue.length > 0 || this.queue.waitingCount > 0) this.scheduleProcessing();
  }

  /** One message (without its PoW nonce) from `from` (the datagram's source address). */
  private handleMessage(bytes: Uint8Array, from: PeerAddress): void {
    const h = this.host;
    let m: RelayMessage;
    try {
      m = decodeMessage(bytes);
    } catch {
      h.drop("header");
      return;
    }
    if (m.incomingPort === null) {
      h.log.warn(`dropping message from ${from.host}:${from.port}: missing incoming_port`);
      h.drop("missing_port");
      return;
    }
    if (idsEqual(m.senderPublicKey, h.publicKey)) {
      h.drop("self");
      return;
    }
    const address = { host: from.host, port: m.incomingPort };
    if (m.handshake) {
      h.onHandshake(m, address);
      return;
    }

    const peer = h.peerFor(m.senderPublicKey, address);
    if (typeof peer === "string") {
      h.drop(peer);
      return;
    }
    let topic: number;
    let content: Uint8Array;
    try {
      ({ topic, content } = openBody(peer.sharedKey, m.body));
    } catch (err) {
      if (!(err instanceof DecryptionError)) {
        h.drop("body");
        return;
      }
      h.drop("decrypt");
      // Maybe the sender lost our shared state: offer a fresh handshake (at most 1/s per address).
      if (h.unpromptedSends.allow(`rekey|${addressKey(address)}`)) h.sendHandshake(address);
      return;
    }
    const nonce = Buffer.from(m.body.buffer, m.body.byteOffset, CHACHA_NONCE_BYTES).toString("latin1");
    if (this.replay.seen(`${nonce}${peer.key.slice(0, 16)}`)) {
      h.drop("replay");
      return;
    }
    peer.lastSeen = Date.now();
    peer.totalNetworkDownload += bytes.length + POW_NONCE_BYTES;
    if (!sameAddress(peer.address, address)) {
      if (peer.registered)
        h.log.info(`peer ${peer.key.slice(0, 16)} moved to ${address.host}:${address.port}`);
      peer.address = address;
    }
    h.stats.accepted++;
    try {
      h.dispatch(peer, topic, content);
    } catch (err) {
      if (err instanceof MessageDecodeError || err instanceof ExprDecodeError) {
        h.drop("content");
        return;
      }
      throw err;
    }
  }
}
