import { randomBytes, randomInt } from "node:crypto";
import { addPow, encodeMessage } from "astreum";
import type { UdpSourceSockets } from "../link/udp-source-sockets.js";

export interface FlooderOptions {
  /** Public endpoints ("host:port") of the nodes to flood (their relays). */
  readonly targets: readonly string[];
  /** Addresses the fake handshakes come from (round robin). */
  readonly sourceHosts: readonly string[];
  /** Fake handshakes per second, over all targets together. */
  readonly ratePerSec: number;
  /** Stops after this many, whatever the time. */
  readonly maxCount: number;
  /** Proof-of-work difficulty put on each datagram (a node asks 1 when not under pressure). */
  readonly difficulty: number;
  readonly sources: UdpSourceSockets;
}

const TICK_MS = 20;

/**
 * A UDP flooder: handshakes from random X25519 public keys (any 32 bytes), claiming random ports, at a
 * set rate, from a few source addresses. Nothing answers them: no fake peer can prove it holds its
 * key or receives at its address. Bounded by `maxCount` and by `stop()`.
 */
export class HandshakeFlooder {
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  sent = 0;
  sendErrors = 0;

  constructor(private readonly opts: FlooderOptions) {
    if (opts.targets.length === 0 || opts.sourceHosts.length === 0)
      throw new RangeError("a flooder needs at least one target and one source address");
    if (!(opts.ratePerSec > 0) || !Number.isFinite(opts.ratePerSec))
      throw new RangeError(`flood rate must be > 0, got ${opts.ratePerSec}`);
    if (!Number.isInteger(opts.maxCount) || opts.maxCount < 0)
      throw new RangeError(`flood count must be an integer ≥ 0, got ${opts.maxCount}`);
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  start(): void {
    if (this.timer) return;
    this.startedAt = Date.now();
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    const due = Math.min(
      this.opts.maxCount,
      Math.floor(((Date.now() - this.startedAt) / 1000) * this.opts.ratePerSec),
    );
    // At most one second's worth per tick, so a stalled event loop does not burst.
    const now = Math.min(due - this.sent, Math.ceil(this.opts.ratePerSec));
    for (let i = 0; i < now; i++) this.sendOne();
    if (this.sent >= this.opts.maxCount) this.stop();
  }

  private sendOne(): void {
    const n = this.sent++;
    const { targets, sourceHosts } = this.opts;
    const target = targets[n % targets.length]!;
    const source = sourceHosts[Math.floor(n / targets.length) % sourceHosts.length]!;
    const colon = target.lastIndexOf(":");
    const host = target.slice(0, colon);
    const port = Number(target.slice(colon + 1));
    const datagram = addPow(
      encodeMessage({
        handshake: true,
        senderPublicKey: randomBytes(32),
        incomingPort: randomInt(1024, 65_536),
        body: new Uint8Array(0),
      }),
      this.opts.difficulty,
    );
    this.opts.sources.socketFor(source).then(
      (socket) =>
        socket.send(datagram, port, host, (err) => {
          if (err) this.sendErrors++;
        }),
      () => {
        this.sendErrors++;
      },
    );
  }
}
