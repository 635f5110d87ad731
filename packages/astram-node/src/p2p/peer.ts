import { EventEmitter } from "node:events";
import type { Socket } from "node:net";
import {
  CodecError,
  decodeP2pMessage,
  encodeFrame,
  encodeP2pMessage,
  FrameDecoder,
  FrameTooLargeError,
  type HandshakeInfo,
  type P2pMessage,
} from "astram-core";
import { type Endpoint, formatEndpoint, normalizeIp } from "./addresses.js";
import { BoundedSet, SlidingWindow } from "./ban-list.js";

export type Direction = "inbound" | "outbound";

interface PeerEvents {
  message: [P2pMessage];
  /** The peer sent something bannable; the manager adds the score. */
  misbehave: [number, string];
  close: [string];
}

/** Writes beyond this many queued bytes mean the peer does not read: it is dropped. */
const MAX_WRITE_BACKLOG = 32 * 1024 * 1024;

let nextId = 1;

/** One TCP connection to a peer: framing, decoding, sending, and what we know about it. */
export class Peer extends EventEmitter<PeerEvents> {
  readonly id: string;
  readonly remote: Endpoint;
  readonly connectedAt = Date.now();
  info: HandshakeInfo | undefined;
  /** The peer's session nonce (from its Handshake features), used to spot self and duplicate connections. */
  session: string | undefined;
  handshakeDone = false;
  /** Best height the peer is known to have (tip index + 1, as in HandshakeInfo). */
  height = 0;
  banScore = 0;
  stalls = 0;
  lastMessageAt = Date.now();
  /** Hashes the peer has or was told about (we never announce these to it again). */
  readonly knownInventory = new BoundedSet(20_000);
  /** Blocks the peer announced or delivered to us: announcing one again is junk. */
  readonly heardFrom = new BoundedSet(20_000);
  /** Blocks we delivered to the peer: announcing one of them back to us is junk. */
  readonly servedTo = new BoundedSet(20_000);
  /** Junk the peer sent in the last minute (see Relay: duplicate announcements, unwanted blocks). */
  readonly junk: SlidingWindow;
  /** Extensions both sides announced in the handshake (FEATURES). */
  features: ReadonlySet<string> = new Set();
  /** GetHeaders sent and not yet answered: a Headers message beyond these is an announcement. */
  headersRequested = 0;
  /** Address gossip: whether we asked for addresses, answered its request, and its rate budget. */
  addrRequested = false;
  addrServed = false;
  addrTokens = 1;
  addrTokensAt = Date.now();
  bytesSent = 0;
  bytesReceived = 0;
  /** The nonce and send time of the ping awaiting its pong. */
  pendingPing: { nonce: bigint; at: number } | undefined;
  /** Round trip of the last answered ping (ms). */
  pingMs: number | null = null;
  /** Block hashes requested from this peer and when. */
  readonly blocksInFlight = new Map<string, number>();
  private readonly decoder = new FrameDecoder();
  private closed = false;

  constructor(
    private readonly socket: Socket,
    readonly direction: Direction,
    /** For outbound peers: the endpoint dialled. */
    readonly dialed: Endpoint | undefined,
  ) {
    super();
    this.remote = {
      host: normalizeIp(socket.remoteAddress ?? dialed?.host ?? "unknown"),
      port: socket.remotePort ?? dialed?.port ?? 0,
    };
    this.id = `${formatEndpoint(this.remote)}#${nextId++}`;
    this.junk = new SlidingWindow(60_000);
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("error", (e) => this.close(`socket error: ${e.message}`));
    socket.on("close", () => this.close("connection closed"));
  }

  /** Where the peer accepts connections: its IP and the port it announced. */
  get listenEndpoint(): Endpoint | undefined {
    if (this.direction === "outbound") return this.dialed;
    return this.info && this.info.listeningPort > 0
      ? { host: this.remote.host, port: this.info.listeningPort }
      : undefined;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.lastMessageAt = Date.now();
    this.bytesReceived += chunk.length;
    let payloads: Uint8Array[];
    try {
      payloads = this.decoder.push(chunk);
    } catch (e) {
      if (e instanceof FrameTooLargeError) {
        this.emit("misbehave", 100, e.message);
        this.close("oversize frame");
        return;
      }
      throw e;
    }
    for (const payload of payloads) {
      if (this.closed) return;
      let msg: P2pMessage;
      try {
        msg = decodeP2pMessage(payload);
      } catch (e) {
        if (!(e instanceof CodecError)) throw e;
        this.emit("misbehave", 100, `undecodable message: ${e.message}`);
        this.close("undecodable message");
        return;
      }
      this.emit("message", msg);
    }
  }

  send(msg: P2pMessage): void {
    this.sendPayload(encodeP2pMessage(msg));
  }

  /** Sends an already-encoded message payload (e.g. a stored block behind its variant byte). */
  sendPayload(payload: Uint8Array): void {
    if (this.closed) return;
    if (this.socket.writableLength > MAX_WRITE_BACKLOG) {
      this.close("peer does not read (write backlog full)");
      return;
    }
    const frame = encodeFrame(payload);
    this.bytesSent += frame.length;
    this.socket.write(frame);
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
    this.emit("close", reason);
  }
}
