import { createSocket, type RemoteInfo, type Socket } from "node:dgram";
import { seededRandom } from "../report/seeded-random.js";
import { DatagramLink } from "./datagram-link.js";
import { type LinkParams, validateLinkParams } from "./link-model.js";
import type { Partition } from "./partition.js";
import { normalizeIpv4 } from "./tcp-relay.js";
import type { UdpSourceSockets } from "./udp-source-sockets.js";

export interface UdpRelayOptions {
  /** The node's public address: the relay listens here. */
  readonly host: string;
  /** Port to listen on (0 = any free one). */
  readonly port?: number;
  readonly link: LinkParams;
  /** Seed of this relay's random streams (each flow derives its own from it and its source: `flowSeed`). */
  readonly seed: number;
  /** Sockets bound to senders' addresses, shared by the relays of a run. */
  readonly sources: UdpSourceSockets;
  /**
   * The address a datagram from `ip` is forwarded from: a simulated node sends from its private
   * address and is known to its peers only by its public one (its relay's). Default: `ip` itself
   * (hosts outside the simulation, such as flooders, keep their own address).
   */
  readonly publicAddressOf?: (ip: string) => string;
  /** Consulted for every datagram (by public source address and this relay's host). */
  readonly partition?: Partition;
  /** Datagrams waiting per flow before new ones are dropped (a router's queue; default 4096). */
  readonly maxQueuedPerFlow?: number;
  /** Flows kept at once; the least recently used one is forgotten past this (default 4096). */
  readonly maxFlows?: number;
  readonly now?: () => number;
}

/** One (source address → this relay's node) flow: its own link and FIFO of datagrams in flight. */
interface Flow {
  readonly from: string;
  readonly link: DatagramLink;
  readonly queue: { readonly at: number; readonly data: Buffer }[];
  timer: NodeJS.Timeout | undefined;
}

/**
 * A UDP relay in front of one node. It listens on the node's public address; every datagram that
 * arrives is one of a flow (its source address → this node), goes through that flow's link model
 * (latency ± jitter, bandwidth, real loss: a lost datagram is dropped) and is forwarded to the
 * node's real port from a socket bound to the sender's public address, so the node sees who sent it.
 * Order within a flow is kept (one FIFO and one timer per flow). Everything is bounded: flows,
 * datagrams queued per flow.
 */
export class UdpRelay {
  private socket: Socket | undefined;
  private target: { readonly host: string; readonly port: number } | undefined;
  private readonly flows = new Map<string, Flow>();
  private boundPort = 0;
  private readonly now: () => number;
  /** Counters for the report and tests. */
  readonly stats = { received: 0, forwarded: 0, lost: 0, refused: 0, overflow: 0, sendErrors: 0 };

  constructor(private readonly opts: UdpRelayOptions) {
    validateLinkParams(opts.link);
    this.now = opts.now ?? Date.now;
  }

  get host(): string {
    return this.opts.host;
  }

  /** The public port (where peers send). */
  get port(): number {
    return this.boundPort;
  }

  async start(): Promise<number> {
    const socket = createSocket({ type: "udp4", recvBufferSize: 4 << 20 });
    this.socket = socket;
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.bind(this.opts.port ?? 0, this.opts.host, () => {
        socket.off("error", reject);
        resolve();
      });
    });
    socket.on("error", () => {});
    socket.on("message", (data, rinfo) => this.onDatagram(data, rinfo));
    this.boundPort = socket.address().port;
    return this.boundPort;
  }

  /** Where the node really receives; until set (or after `clearTarget`), datagrams are refused. */
  setTarget(host: string, port: number): void {
    this.target = { host, port };
  }

  /** The node went away: refuse new datagrams and drop those in flight (its socket is gone). */
  clearTarget(): void {
    this.target = undefined;
    for (const flow of this.flows.values()) this.clearFlow(flow);
  }

  async stop(): Promise<void> {
    this.clearTarget();
    this.flows.clear();
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  private onDatagram(data: Buffer, rinfo: RemoteInfo): void {
    this.stats.received++;
    const from = (this.opts.publicAddressOf ?? ((ip: string) => ip))(normalizeIpv4(rinfo.address));
    if (this.target === undefined || !(this.opts.partition?.allows(from, this.opts.host) ?? true)) {
      this.stats.refused++;
      return;
    }
    const flow = this.flowFrom(from);
    const fate = flow.link.send(this.now(), data.length);
    if (fate.kind === "lost") {
      this.stats.lost++;
      return;
    }
    if (flow.queue.length >= (this.opts.maxQueuedPerFlow ?? 4096)) {
      this.stats.overflow++;
      return;
    }
    flow.queue.push({ at: fate.at, data });
    if (flow.queue.length === 1) this.arm(flow);
  }

  private flowFrom(from: string): Flow {
    const known = this.flows.get(from);
    if (known) {
      // Most recently used last, so the first entry is the one to forget.
      this.flows.delete(from);
      this.flows.set(from, known);
      return known;
    }
    if (this.flows.size >= (this.opts.maxFlows ?? 4096)) {
      const oldest = this.flows.values().next().value;
      if (oldest) {
        this.clearFlow(oldest);
        this.flows.delete(oldest.from);
      }
    }
    const flow: Flow = {
      from,
      link: new DatagramLink(this.opts.link, seededRandom(flowSeed(this.opts.seed, from))),
      queue: [],
      timer: undefined,
    };
    this.flows.set(from, flow);
    return flow;
  }

  private clearFlow(flow: Flow): void {
    if (flow.timer) clearTimeout(flow.timer);
    flow.timer = undefined;
    flow.queue.length = 0;
  }

  private arm(flow: Flow): void {
    const head = flow.queue[0];
    if (!head) return;
    flow.timer = setTimeout(() => this.flush(flow), Math.max(0, head.at - this.now()));
  }

  private flush(flow: Flow): void {
    flow.timer = undefined;
    const now = this.now();
    while (flow.queue.length > 0 && flow.queue[0]!.at <= now) {
      const { data } = flow.queue.shift()!;
      this.forward(flow.from, data);
    }
    this.arm(flow);
  }

  private forward(from: string, data: Buffer): void {
    const target = this.target;
    if (target === undefined) return;
    this.opts.sources.socketFor(from).then(
      (socket) =>
        socket.send(data, target.port, target.host, (err) => {
          if (err) this.stats.sendErrors++;
          else this.stats.forwarded++;
        }),
      () => {
        this.stats.sendErrors++;
      },
    );
  }
}

/** The seed of the flow from `source`: the relay's seed mixed with the address (FNV-1a), so a flow's
 * fates do not depend on which flows came first. */
export function flowSeed(relaySeed: number, source: string): number {
  let h = 0x811c9dc5 ^ relaySeed;
  for (let i = 0; i < source.length; i++) h = Math.imul(h ^ source.charCodeAt(i), 0x01000193);
  return h | 0;
}
