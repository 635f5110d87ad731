import { decodeBlock } from "astram-core";
import { getBytes } from "./http-json.js";
import type { NodeLogEvent } from "./node/node-log.js";
import type { RecordedNode, RunRecord } from "./report/run-record.js";

/** Details of a block learned from a node's API: its parent and the address its coinbase paid. */
interface BlockDetail {
  readonly parent: string;
  readonly payee: string | undefined;
}

/** Block details fetched at once, at most (the rest wait for the next turn). */
const FETCH_CONCURRENCY = 4;

/**
 * Collects what one run observed into a RunRecord: block arrivals and bans from the nodes' logs,
 * topology, tips and resources from the sampler, scenario events, and each block's parent and miner
 * (read from a node's API shortly after the block first shows up, so killed nodes lose nothing).
 */
export class RunRecorder {
  private readonly nodes = new Map<string, RecordedNode>();
  private readonly minerByAddress = new Map<string, string>();
  private readonly firstArrival = new Map<string, Map<string, number>>(); // hash → node → at
  private readonly heights = new Map<string, number>();
  private readonly details = new Map<string, BlockDetail>();
  private readonly fetchQueue: { hash: string; api: () => string | undefined }[] = [];
  private fetching = 0;
  private readonly lastMisbehaviour = new Map<string, string>(); // node|peer → why
  readonly topology: RunRecord["topology"] = [];
  readonly tips: RunRecord["tips"] = [];
  readonly bans: RunRecord["bans"] = [];
  readonly resources: RunRecord["resources"] = [];
  readonly events: RunRecord["events"] = [];
  eclipse: RunRecord["eclipse"];

  constructor(private readonly ownerOfIp: (ip: string) => string | null) {}

  addNode(node: RecordedNode, minerAddress?: string): void {
    this.nodes.set(node.id, node);
    if (minerAddress) this.minerByAddress.set(minerAddress.toLowerCase(), node.id);
  }

  event(kind: string, detail?: string, at = Date.now()): void {
    this.events.push(detail === undefined ? { at, kind } : { at, kind, detail });
  }

  /** A log event of node `id`; `api` reads that node's API base URL when a block must be looked up. */
  nodeEvent(id: string, e: NodeLogEvent, api: () => string | undefined): void {
    switch (e.kind) {
      case "new-tip":
        e.hashes.forEach((hash, i) => {
          this.arrival(id, hash, e.height - (e.hashes.length - 1 - i), e.at, api);
        });
        return;
      case "side-branch":
        this.arrival(id, e.hash, e.height, e.at, api);
        return;
      case "misbehaved":
        this.lastMisbehaviour.set(`${id}|${e.peer}`, e.why);
        return;
      case "banned":
        this.bans.push({
          node: id,
          ip: e.ip,
          bannedNode: this.ownerOfIp(e.ip),
          at: e.at,
          reason: this.lastMisbehaviour.get(`${id}|${e.peer}`) ?? "",
        });
        return;
      case "reorg":
        this.event("reorg", `${id} disconnected ${e.disconnected}`, e.at);
        return;
      default:
        return;
    }
  }

  private arrival(node: string, hash: string, height: number, at: number, api: () => string | undefined) {
    let byNode = this.firstArrival.get(hash);
    if (!byNode) {
      byNode = new Map();
      this.firstArrival.set(hash, byNode);
      this.heights.set(hash, height);
      if (this.nodes.get(node)?.honest) this.queueDetail(hash, api);
    }
    if (!byNode.has(node)) byNode.set(node, at);
  }

  private queueDetail(hash: string, api: () => string | undefined): void {
    this.fetchQueue.push({ hash, api });
    this.pump();
  }

  private pump(): void {
    while (this.fetching < FETCH_CONCURRENCY && this.fetchQueue.length > 0) {
      const job = this.fetchQueue.shift()!;
      this.fetching++;
      void this.fetchDetail(job.hash, job.api()).finally(() => {
        this.fetching--;
        this.pump();
      });
    }
  }

  private async fetchDetail(hash: string, api: string | undefined): Promise<void> {
    if (!api || this.details.has(hash)) return;
    const raw = await getBytes(`${api}/block/${hash}?format=raw`);
    if (!raw) return;
    try {
      const block = decodeBlock(raw);
      this.details.set(hash, {
        parent: block.header.previousHash,
        payee: block.transactions[0]?.outputs[0]?.to.toLowerCase(),
      });
    } catch {
      // A block we cannot decode keeps unknown parent and miner.
    }
  }

  /** Looks up every block still without details on any running node (bounded; end of a run). */
  async completeDetails(apis: () => string[], timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const hash of this.firstArrival.keys()) {
      for (const api of apis()) {
        if (this.details.has(hash) || Date.now() > deadline) break;
        await this.fetchDetail(hash, api);
      }
    }
  }

  /** The most recently seen block hashes (what a duplicate-announcement attacker replays). */
  knownHashes(max: number): string[] {
    return [...this.firstArrival.keys()].slice(-max);
  }

  /** Blocks seen so far (by any honest node). */
  get blockCount(): number {
    return this.firstArrival.size;
  }

  build(meta: Pick<RunRecord, "scenario" | "seed" | "startedAt" | "endedAt" | "config">): RunRecord {
    const honest = (id: string) => this.nodes.get(id)?.honest === true;
    const blocks: RunRecord["blocks"] = [];
    const arrivals: RunRecord["arrivals"] = [];
    for (const [hash, byNode] of this.firstArrival) {
      const honestTimes = [...byNode].filter(([n]) => honest(n));
      if (honestTimes.length === 0) continue;
      const detail = this.details.get(hash);
      const miner = detail?.payee ? (this.minerByAddress.get(detail.payee) ?? null) : null;
      const earliest = Math.min(...honestTimes.map(([, at]) => at));
      blocks.push({
        hash,
        height: this.heights.get(hash) ?? -1,
        parent: detail?.parent ?? "",
        miner,
        // When its miner accepted it; failing that (its log missed it), the first honest sighting.
        minedAt: (miner ? byNode.get(miner) : undefined) ?? earliest,
      });
      for (const [node, at] of byNode) arrivals.push({ node, hash, at });
    }
    blocks.sort((a, b) => a.minedAt - b.minedAt);
    arrivals.sort((a, b) => a.at - b.at);
    return {
      ...meta,
      nodes: [...this.nodes.values()],
      blocks,
      arrivals,
      topology: this.topology,
      tips: this.tips,
      bans: this.bans,
      resources: this.resources,
      events: [...this.events].sort((a, b) => a.at - b.at),
      ...(this.eclipse ? { eclipse: this.eclipse } : {}),
    };
  }
}
