import { connect, createServer, type Server, type Socket } from "node:net";
import { seededRandom } from "../report/seeded-random.js";
import { DelayLine } from "./delay-line.js";
import { LinkDirection, type LinkParams, validateLinkParams } from "./link-model.js";
import type { Partition } from "./partition.js";

export interface TcpRelayOptions {
  /** The node's public address: the relay listens here and the node is bound here too. */
  readonly host: string;
  /** Port to listen on (0 = any free one). */
  readonly port?: number;
  readonly link: LinkParams;
  /** Seed of this relay's random streams (each connection derives its own from it). */
  readonly seed: number;
  /** Consulted for every new connection and on `enforcePartition()`. */
  readonly partition?: Partition;
}

/** One relayed connection: the dialer's side, the node's side and the two directions between. */
interface Relayed {
  readonly sourceIp: string;
  readonly outside: Socket;
  readonly inside: Socket;
  readonly lines: DelayLine[];
}

/**
 * A TCP relay in front of one node's P2P port. It listens on the node's public address; for each
 * connection it dials the node's real port from the dialer's own IP (`localAddress`), so the node
 * sees the true peer address, and carries each direction through its own link model (latency,
 * jitter, bandwidth, loss stalls, resets). Connections across a partition are refused and cut.
 */
export class TcpRelay {
  private server: Server | undefined;
  private readonly connections = new Set<Relayed>();
  private targetPort: number | undefined;
  private connectionCount = 0;
  private boundPort = 0;
  /** Counters for the report and tests. */
  readonly stats = { accepted: 0, refused: 0, resets: 0, cut: 0 };

  constructor(private readonly opts: TcpRelayOptions) {
    validateLinkParams(opts.link);
  }

  get host(): string {
    return this.opts.host;
  }

  /** The public port (where peers dial). */
  get port(): number {
    return this.boundPort;
  }

  get openConnections(): number {
    return this.connections.size;
  }

  async start(): Promise<number> {
    // Half-open sockets let each direction's FIN travel through its own delay line.
    const server = createServer({ allowHalfOpen: true }, (socket) => this.onConnection(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.opts.port ?? 0, this.opts.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const addr = server.address();
    this.boundPort = typeof addr === "object" && addr ? addr.port : 0;
    return this.boundPort;
  }

  /** Where the node really listens; until set (or after `clearTarget`), connections are refused. */
  setTarget(port: number): void {
    this.targetPort = port;
  }

  /** The node went away (killed): refuse new connections and drop the open ones. */
  clearTarget(): void {
    this.targetPort = undefined;
    for (const c of [...this.connections]) this.drop(c, false);
  }

  /** Cuts every open connection the partition no longer allows. */
  enforcePartition(): number {
    let cut = 0;
    for (const c of [...this.connections]) {
      if (!this.allowed(c.sourceIp)) {
        this.drop(c, true);
        cut++;
      }
    }
    this.stats.cut += cut;
    return cut;
  }

  async stop(): Promise<void> {
    this.targetPort = undefined;
    for (const c of [...this.connections]) this.drop(c, false);
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private allowed(sourceIp: string): boolean {
    return this.opts.partition?.allows(sourceIp, this.opts.host) ?? true;
  }

  private onConnection(outside: Socket): void {
    const sourceIp = normalizeIpv4(outside.remoteAddress ?? "");
    if (this.targetPort === undefined || !this.allowed(sourceIp)) {
      this.stats.refused++;
      outside.resetAndDestroy();
      return;
    }
    this.stats.accepted++;
    outside.pause();
    const inside = connect({
      host: this.opts.host,
      port: this.targetPort,
      localAddress: sourceIp,
      allowHalfOpen: true,
    });
    const n = this.connectionCount++;
    const link = (direction: number) =>
      new LinkDirection(this.opts.link, seededRandom((this.opts.seed + n * 2 + direction) | 0));
    const relayed: Relayed = { sourceIp, outside, inside, lines: [] };
    this.connections.add(relayed);
    const reset = () => {
      this.stats.resets++;
      this.drop(relayed, true);
    };
    inside.once("connect", () => {
      relayed.lines.push(
        new DelayLine(outside, inside, link(0), reset),
        new DelayLine(inside, outside, link(1), reset),
      );
      outside.resume();
    });
    for (const [i, s] of [outside, inside].entries()) {
      s.setNoDelay(true);
      s.on("error", () => this.drop(relayed, false));
      // A clean close (FIN) travels through the delay line like data; anything else ends both sides.
      s.on("close", () => {
        const ended = relayed.lines[i]?.ended ?? false;
        if (!ended || (outside.destroyed && inside.destroyed)) this.drop(relayed, false);
      });
    }
  }

  /** Closes both sides at once (a reset when `abrupt`: the peers see ECONNRESET). */
  private drop(c: Relayed, abrupt: boolean): void {
    if (!this.connections.delete(c)) return;
    for (const line of c.lines) line.stop();
    for (const s of [c.outside, c.inside]) {
      if (s.destroyed) continue;
      if (abrupt && s.readyState === "open") s.resetAndDestroy();
      else s.destroy();
    }
  }
}

/** "::ffff:127.1.2.3" → "127.1.2.3" (Node reports IPv4 peers of a dual-stack socket that way). */
export function normalizeIpv4(host: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(host);
  return mapped ? mapped[1]! : host;
}
