import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { LinkParams } from "../link/link-model.js";
import { UdpRelay } from "../link/udp-relay.js";
import { UdpSourceSockets } from "../link/udp-source-sockets.js";
import { attackerHost } from "../node/address-plan.js";
import { seededRandom } from "../report/seeded-random.js";
import { waitFor } from "../wait.js";
import { privateHost, publicHost } from "./address-plan.js";
import { AstreumNode, type AstreumNodeEvent } from "./astreum-node.js";
import { HandshakeFlooder } from "./flooder.js";
import type {
  AstreumNodeRecord,
  AstreumRole,
  AstreumRunRecord,
  HeadEvent,
  NodeStart,
  PeerEvent,
  ScenarioEvent,
} from "./run-record.js";

export interface AstreumNetworkOptions {
  /** Folder for the nodes' state directories, config and key files. */
  readonly workdir: string;
  readonly link: LinkParams;
  readonly seed: number;
  /** `verify_blockchain_interval` of every node (s). */
  readonly verifyIntervalSec: number;
  readonly cli?: string;
  /** One line per step, for the CLI's progress. */
  readonly log?: (line: string) => void;
}

type MutableNodeRecord = Omit<AstreumNodeRecord, "starts" | "kills"> & {
  starts: NodeStart[];
  kills: number[];
};

/**
 * The orchestrator: real `astreum node` processes, each behind a UDP relay on its own public
 * loopback address, started, killed with -9 and restarted on the same state directory; flooders;
 * and everything they report (heads, route-table changes) recorded with its time. `close()` stops
 * everything; the child registry also kills every node if the simulator exits any other way.
 */
export class AstreumNetwork {
  readonly nodes: AstreumNode[] = [];
  private readonly records = new Map<string, MutableNodeRecord>();
  private readonly heads: HeadEvent[] = [];
  private readonly peers: PeerEvent[] = [];
  private readonly events: ScenarioEvent[] = [];
  private readonly latestHead = new Map<string, HeadEvent>();
  private readonly relaySources = new UdpSourceSockets();
  private readonly flooderSources = new UdpSourceSockets();
  private readonly flooders: HandshakeFlooder[] = [];
  private readonly publicOfPrivate = new Map<string, string>();
  private readonly random: () => number;
  private readonly startedAt = Date.now();
  private floodSourceHosts: string[] = [];

  constructor(private readonly opts: AstreumNetworkOptions) {
    this.random = seededRandom(opts.seed);
    mkdirSync(opts.workdir, { recursive: true });
    writeFileSync(
      this.configFile,
      `${JSON.stringify({ verify_blockchain_interval: opts.verifyIntervalSec })}\n`,
    );
  }

  private get configFile(): string {
    return join(this.opts.workdir, "node-config.json");
  }

  get validator(): AstreumNode | undefined {
    return this.nodes.find((n) => n.spec.role === "validator");
  }

  mark(kind: ScenarioEvent["kind"], node?: string): void {
    this.events.push({ at: Date.now(), kind, ...(node === undefined ? {} : { node }) });
    this.opts.log?.(`${kind}${node === undefined ? "" : ` ${node}`}`);
  }

  /**
   * Starts one more node: its relay first (the node binds the relay's port number on its private
   * address), seeded with the validator and one random earlier node.
   */
  async addNode(role: AstreumRole, lateJoiner = false): Promise<AstreumNode> {
    const index = this.nodes.length;
    const id = `${role === "validator" ? "v" : "n"}${String(index).padStart(2, "0")}`;
    const pub = publicHost(index);
    const priv = privateHost(index);
    this.publicOfPrivate.set(priv, pub);
    const relay = new UdpRelay({
      host: pub,
      link: this.opts.link,
      seed: (this.opts.seed * 1_000 + index) | 0,
      sources: this.relaySources,
      publicAddressOf: (ip) => this.publicOfPrivate.get(ip) ?? ip,
    });
    await relay.start();
    const dir = join(this.opts.workdir, id);
    mkdirSync(dir, { recursive: true });
    let validationKeyFile: string | undefined;
    if (role === "validator") {
      // Any 32 bytes are an Ed25519 secret key (seed); `astreum keygen` writes the same hex.
      validationKeyFile = join(dir, "validation.key");
      writeFileSync(validationKeyFile, `${randomBytes(32).toString("hex")}\n`, { mode: 0o600 });
    }
    const seeds = new Set<string>();
    const v = this.validator;
    if (v) seeds.add(v.endpoint);
    if (this.nodes.length > 1) seeds.add(this.nodes[Math.floor(this.random() * this.nodes.length)]!.endpoint);
    const node = new AstreumNode(
      {
        id,
        role,
        privateHost: priv,
        stateDir: join(dir, "state"),
        configFile: this.configFile,
        seeds: [...seeds],
        ...(validationKeyFile === undefined ? {} : { validationKeyFile }),
        ...(this.opts.cli === undefined ? {} : { cli: this.opts.cli }),
      },
      relay,
      (n, e) => this.onEvent(n, e),
    );
    this.nodes.push(node);
    this.records.set(id, { id, role, host: pub, lateJoiner, starts: [], kills: [] });
    await this.startNode(node);
    if (lateJoiner) this.mark("join", id);
    return node;
  }

  private async startNode(node: AstreumNode): Promise<void> {
    this.records.get(node.id)!.starts.push({ at: Date.now(), listeningAt: null, relayKey: null });
    await node.start();
    this.opts.log?.(`${node.id} (${node.spec.role}) listening on ${node.endpoint}`);
  }

  /** kill -9 (restart scenario). */
  async kill(node: AstreumNode): Promise<void> {
    this.mark("kill", node.id);
    this.records.get(node.id)!.kills.push(Date.now());
    await node.kill();
  }

  async restart(node: AstreumNode): Promise<void> {
    this.mark("restart", node.id);
    await this.startNode(node);
  }

  /** A flooder aimed at every node started so far, from `sourceCount` attacker addresses. */
  flood(ratePerSec: number, maxCount: number, sourceCount = 8, difficulty = 1): HandshakeFlooder {
    this.floodSourceHosts = Array.from({ length: sourceCount }, (_, i) => attackerHost(i));
    const flooder = new HandshakeFlooder({
      targets: this.nodes.map((n) => n.endpoint),
      sourceHosts: this.floodSourceHosts,
      ratePerSec,
      maxCount,
      difficulty,
      sources: this.flooderSources,
    });
    this.flooders.push(flooder);
    flooder.start();
    this.mark("flood-start");
    return flooder;
  }

  stopFlood(): void {
    for (const f of this.flooders) f.stop();
    this.mark("flood-stop");
  }

  private onEvent(node: AstreumNode, e: AstreumNodeEvent): void {
    const at = e.time;
    if (e.event === "listening") {
      const start = this.records.get(node.id)!.starts.at(-1)!;
      start.listeningAt = at;
      start.relayKey = e.relay_public_key;
    } else if (e.event === "head") {
      const head: HeadEvent = { node: node.id, at, height: e.height, hash: e.hash, how: e.how };
      this.heads.push(head);
      this.latestHead.set(node.id, head);
    } else {
      this.peers.push({ node: node.id, at, kind: e.event, key: e.key, host: e.host, port: e.port });
    }
  }

  /** The node's latest head, if it has one. */
  headOf(node: AstreumNode): HeadEvent | undefined {
    return this.latestHead.get(node.id);
  }

  /** Every running node is on the validator's latest head. */
  allOnValidatorHead(): boolean {
    const v = this.validator;
    const head = v && this.headOf(v);
    if (!head) return false;
    return this.nodes.every((n) => !n.running || this.headOf(n)?.hash === head.hash);
  }

  /** Waits (bounded) until every running node is on the validator's head. */
  async waitAllOnHead(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    await waitFor(() => this.allOnValidatorHead(), {
      what: "every node on the validator's head",
      timeoutMs,
      intervalMs: 100,
      ...(signal ? { signal } : {}),
    });
  }

  /** Waits (bounded) until every running node has a head at `height` or above. */
  async waitAllAtHeight(height: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    await waitFor(() => this.nodes.every((n) => !n.running || (this.headOf(n)?.height ?? -1) >= height), {
      what: `every node at height ${height}`,
      timeoutMs,
      intervalMs: 100,
      ...(signal ? { signal } : {}),
    });
  }

  record(scenario: string, floodRate: number): AstreumRunRecord {
    return {
      scenario,
      config: {
        nodes: this.nodes.length,
        latencyMs: this.opts.link.latencyMs,
        jitterMs: this.opts.link.jitterMs,
        lossRate: this.opts.link.lossRate,
        seed: this.opts.seed,
        verifyIntervalSec: this.opts.verifyIntervalSec,
        floodRate,
      },
      startedAt: this.startedAt,
      endedAt: Date.now(),
      nodes: [...this.records.values()].map((r) => structuredClone(r)),
      heads: [...this.heads],
      peers: [...this.peers],
      events: [...this.events],
      flood: { sent: this.flooders.reduce((s, f) => s + f.sent, 0), sources: [...this.floodSourceHosts] },
    };
  }

  /** Stops flooders, nodes (SIGTERM, then -9), relays and sockets. */
  async close(): Promise<void> {
    for (const f of this.flooders) f.stop();
    await Promise.all(this.nodes.map((n) => n.stop().catch(() => undefined)));
    await Promise.all(this.nodes.map((n) => n.relay.stop()));
    await this.relaySources.close();
    await this.flooderSources.close();
  }
}
