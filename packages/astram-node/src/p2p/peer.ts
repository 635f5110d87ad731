import { EventEmitter } from "node:events";
import type { Socket } from "node:net";
import {
  CodecError,
  decodeP2pMessageInSteps,
  encodeFrame,
  encodeP2pMessage,
  FrameDecoder,
  FrameTooLargeError,
  type HandshakeInfo,
  MAX_FRAME_PAYLOAD,
  MAX_PRE_HANDSHAKE_PAYLOAD,
  type P2pMessage,
  PRE_HANDSHAKE_MESSAGES,
  peekMessageType,
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

/** Blocks larger than this are decoded over several event-loop turns... */
const SLICED_DECODE_BYTES = 256 * 1024;
/** ...this many transactions per turn (a few milliseconds). */
const TXS_PER_DECODE_STEP = 500;

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
  private shookHands = false;
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
  /** An extra short-lived outbound connection (see P2pService.maintain). */
  feeler = false;
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
  /** Until the handshake only small frames are read: nothing big is buffered for a stranger. */
  private readonly decoder = new FrameDecoder(MAX_PRE_HANDSHAKE_PAYLOAD);
  private closed = false;
  /** Payloads received and not yet decoded (in order), and whether a sliced decode is running. */
  private inbox: Uint8Array[] = [];
  private decoding = false;

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

  get handshakeDone(): boolean {
    return this.shookHands;
  }

  /** The handshake completed: full-size frames and every message type are read from now on. */
  completeHandshake(): void {
    this.shookHands = true;
    this.decoder.maxPayload = MAX_FRAME_PAYLOAD;
  }

  /** True while a large block from this peer is being decoded (its later messages wait). */
  get busy(): boolean {
    return this.decoding;
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
    this.inbox.push(...payloads);
    this.drain();
  }

  /**
   * Decodes and hands on received payloads in order. A large Block is decoded a slice of
   * transactions per event-loop turn, with the socket paused and later payloads waiting, so one
   * peer's block never freezes the node (its API, other peers) for the whole decode.
   */
  private drain(): void {
    while (!this.decoding && !this.closed && this.inbox.length > 0) {
      const payload = this.inbox.shift()!;
      const type = peekMessageType(payload);
      if (!this.shookHands && type !== undefined && !PRE_HANDSHAKE_MESSAGES.has(type)) {
        // Checked before decoding: a stranger's Block is never decoded.
        this.emit("misbehave", 100, `${type} before the handshake`);
        this.close("protocol abuse before the handshake");
        return;
      }
      const sliced = type === "Block" && payload.length > SLICED_DECODE_BYTES;
      const steps = decodeP2pMessageInSteps(payload, sliced ? TXS_PER_DECODE_STEP : Number.MAX_SAFE_INTEGER);
      if (sliced) {
        this.decoding = true;
        this.socket.pause();
      }
      this.step(steps);
    }
  }

  /** Runs one slice of a decode; schedules the next turn's slice, or hands the message on. */
  private step(steps: Generator<void, P2pMessage, void>): void {
    if (this.closed) return;
    let next: IteratorResult<void, P2pMessage>;
    try {
      next = steps.next();
    } catch (e) {
      if (!(e instanceof CodecError)) throw e;
      this.emit("misbehave", 100, `undecodable message: ${e.message}`);
      this.close("undecodable message");
      return;
    }
    if (!next.done) {
      setImmediate(() => this.step(steps));
      return;
    }
    this.emit("message", next.value);
    if (this.decoding) {
      this.decoding = false;
      if (!this.closed) this.socket.resume();
      this.drain();
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
