import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { LinkParams } from "./link/link-model.js";
import { Partition } from "./link/partition.js";
import { TcpRelay } from "./link/tcp-relay.js";
import { nodeHost, nodeId } from "./node/address-plan.js";
import { fetchNodeStatus, type NodeStatus } from "./node/node-status.js";
import { cpuPercent, type ProcessSample, sampleProcess } from "./node/process-stats.js";
import { type NodeRole, SimNode } from "./node/sim-node.js";
import { randomBelow, seededRandom } from "./report/seeded-random.js";
import { RunRecorder } from "./run-recorder.js";
import { sleep } from "./wait.js";

export interface SimnetOptions {
  readonly nodes: number;
  readonly miners: number;
  /** Paced miners (--pace) hold the devnet's target block time; unpaced mine flat out. */
  readonly pace: boolean;
  readonly link: LinkParams;
  readonly seed: number;
  /** Parent folder of the nodes' data directories. */
  readonly workDir: string;
  readonly sampleIntervalMs?: number;
  readonly nodeCli?: string;
  /** Progress lines. */
  readonly log?: (line: string) => void;
}

/** A distinct reward address per miner, so each block's coinbase names its miner. */
export function minerAddress(index: number): string {
  return `0x${createHash("sha256").update(`astram-simnet miner ${index}`).digest("hex").slice(0, 40)}`;
}

/** Which node indexes mine: spread evenly over the start order. */
export function minerIndexes(nodes: number, miners: number): Set<number> {
  if (miners > nodes) throw new RangeError(`${miners} miners but only ${nodes} nodes`);
  return new Set(Array.from({ length: miners }, (_, i) => Math.floor((i * nodes) / miners)));
}

/**
 * The orchestrator: N real astram-node processes on their own loopback addresses, each behind a
 * relay with the link model, started one after another with one or two seed peers each (address
 * gossip does the rest), sampled every few seconds (API /status, /proc), recorded into a RunRecord.
 */
export class Simnet {
  readonly nodes: SimNode[] = [];
  readonly partition = new Partition();
  readonly recorder: RunRecorder;
  readonly random: () => number;
  private readonly owners = new Map<string, string>(); // ip → node or attacker id
  private readonly lastStatus = new Map<string, NodeStatus>();
  private readonly lastProc = new Map<string, ProcessSample>();
  private sampler: Promise<void> | undefined;
  private readonly stopSampling = new AbortController();
  private eclipseVictim: string | undefined;
  private honestIps = new Set<string>();
  readonly startedAt = Date.now();

  constructor(readonly opts: SimnetOptions) {
    if (!Number.isInteger(opts.nodes) || opts.nodes < 1) throw new RangeError("nodes must be ≥ 1");
    this.random = seededRandom(opts.seed);
    this.recorder = new RunRecorder((ip) => this.owners.get(ip) ?? null);
  }

  private log(line: string): void {
    this.opts.log?.(line);
  }

  /** Creates every relay, then starts the nodes one after another (bounded by `signal`). */
  async start(signal?: AbortSignal): Promise<void> {
    const { nodes, miners, workDir } = this.opts;
    mkdirSync(workDir, { recursive: true });
    const mining = minerIndexes(nodes, miners);
    // Followers start first and miners last, so no block is mined before the network is up; each
    // node's seeds are among the nodes started before it.
    const order = [...Array(nodes).keys()].sort((a, b) => Number(mining.has(a)) - Number(mining.has(b)));
    const started: SimNode[] = [];
    for (const k of order) {
      const host = nodeHost(k);
      const relay = new TcpRelay({
        host,
        link: this.opts.link,
        seed: (this.opts.seed * 7919 + k * 104_729) | 0,
        partition: this.partition,
      });
      await relay.start();
      const role: NodeRole = mining.has(k) ? "miner" : "follower";
      const seeds = this.pickSeeds(started.length).map((i) => started[i]!.endpoint);
      const node = new SimNode(
        {
          id: nodeId(k),
          host,
          role,
          dataDir: join(workDir, nodeId(k)),
          seeds,
          pace: this.opts.pace,
          ...(this.opts.nodeCli ? { nodeCli: this.opts.nodeCli } : {}),
          ...(role === "miner" ? { minerAddress: minerAddress(k) } : {}),
        },
        relay,
        (n, e) => this.recorder.nodeEvent(n.id, e, () => n.api),
      );
      started.push(node);
      this.owners.set(host, node.id);
      this.honestIps.add(host);
      this.recorder.addNode(
        { id: node.id, address: node.endpoint, role, honest: true },
        role === "miner" ? minerAddress(k) : undefined,
      );
    }
    this.nodes.push(...[...started].sort((a, b) => a.id.localeCompare(b.id)));
    this.sampler = this.sampleLoop(this.stopSampling.signal);
    for (const node of started) {
      signal?.throwIfAborted();
      await node.start();
      this.log(
        `started ${node.id} (${node.spec.role}) on ${node.endpoint}, seeds ${node.spec.seeds.join(" ") || "none"}`,
      );
    }
    this.recorder.event("all-started");
  }

  /** One or two of the k nodes started earlier as seeds (none for the first). */
  private pickSeeds(k: number): number[] {
    if (k === 0) return [];
    const want = Math.min(k, 1 + randomBelow(this.random, 2));
    const chosen = new Set<number>();
    while (chosen.size < want) chosen.add(randomBelow(this.random, k));
    return [...chosen];
  }

  /** Registers a host that is not an honest node (an attacker) so topology and bans can name it. */
  registerAttacker(id: string, host: string): void {
    if (!this.owners.has(host)) this.owners.set(host, id);
    this.recorder.addNode({ id, address: host, role: "attacker", honest: false });
  }

  watchEclipse(victim: SimNode): void {
    this.eclipseVictim = victim.id;
    this.recorder.eclipse = { victim: victim.id, samples: [] };
  }

  status(node: SimNode): NodeStatus | undefined {
    return this.lastStatus.get(node.id);
  }

  /** Fresh /status of every running node (in parallel). */
  async statuses(): Promise<Map<string, NodeStatus>> {
    const out = new Map<string, NodeStatus>();
    await Promise.all(
      this.nodes.map(async (n) => {
        const api = n.api;
        const s = api ? await fetchNodeStatus(api) : undefined;
        if (s) out.set(n.id, s);
      }),
    );
    return out;
  }

  /** Honest peers of a node, by the IPs in its peer list. */
  honestPeers(status: NodeStatus): number {
    return status.peers.filter((p) => this.honestIps.has(p.ip)).length;
  }

  private async sampleLoop(signal: AbortSignal): Promise<void> {
    const every = this.opts.sampleIntervalMs ?? 3_000;
    while (!signal.aborted) {
      const began = Date.now();
      await this.sampleOnce();
      await sleep(Math.max(100, every - (Date.now() - began)), signal);
    }
  }

  /** One sample of every node: tips, peers (topology, eclipse) and process resources. */
  async sampleOnce(): Promise<void> {
    const at = Date.now();
    const statuses = await this.statuses();
    const edges = new Map<string, [string, string]>();
    for (const [id, s] of statuses) {
      this.lastStatus.set(id, s);
      this.recorder.tips.push({ node: id, at, height: s.height, hash: s.tip });
      for (const p of s.peers) {
        const other = this.owners.get(p.ip);
        if (!other || other === id) continue;
        const edge: [string, string] = id < other ? [id, other] : [other, id];
        edges.set(edge.join("|"), edge);
      }
      if (id === this.eclipseVictim)
        this.recorder.eclipse?.samples.push({ at, honestPeers: this.honestPeers(s) });
    }
    this.recorder.topology.push({ at, edges: [...edges.values()] });
    for (const n of this.nodes) {
      const pid = n.pid;
      const sample = pid ? sampleProcess(pid, at) : undefined;
      if (!sample) continue;
      const before = this.lastProc.get(n.id);
      this.lastProc.set(n.id, sample);
      if (before)
        this.recorder.resources.push({
          node: n.id,
          at,
          rssBytes: sample.rssBytes,
          cpuPercent: cpuPercent(before, sample),
        });
    }
  }

  /** Splits the network: connections across groups are cut and refused until `heal()`. */
  split(groups: readonly (readonly SimNode[])[]): void {
    this.partition.split(groups.map((g) => g.map((n) => n.spec.host)));
    let cut = 0;
    for (const n of this.nodes) cut += n.relay.enforcePartition();
    this.recorder.event("partition", groups.map((g) => g.map((n) => n.id).join(",")).join(" | "));
    this.log(`partition: ${groups.map((g) => g.length).join(" + ")} nodes, ${cut} connections cut`);
  }

  heal(): void {
    this.partition.heal();
    this.recorder.event("heal");
    this.log("partition healed");
  }

  /** kill -9 (churn): the relay drops the node's connections too. */
  async kill(node: SimNode): Promise<void> {
    await node.stop("SIGKILL");
    this.recorder.event("kill", node.id);
  }

  async restart(node: SimNode): Promise<void> {
    await node.start();
    this.recorder.event("restart", node.id);
  }

  /** Running honest nodes agree on one tip (by fresh /status); returns that tip or undefined. */
  async agreedTip(): Promise<NodeStatus | undefined> {
    const running = this.nodes.filter((n) => n.running);
    const statuses = await this.statuses();
    if (running.length === 0 || statuses.size < running.length) return undefined;
    const tips = new Set([...statuses.values()].map((s) => s.tip));
    return tips.size === 1 ? [...statuses.values()][0] : undefined;
  }

  /** Stops sampling, completes block details, stops every node and relay. Safe to call twice. */
  async stop(): Promise<void> {
    this.stopSampling.abort();
    await this.sampler;
    await this.recorder.completeDetails(() => this.nodes.flatMap((n) => (n.api ? [n.api] : [])));
    await Promise.all(this.nodes.map((n) => n.stop("SIGTERM")));
    await Promise.all(this.nodes.map((n) => n.relay.stop()));
  }
}
