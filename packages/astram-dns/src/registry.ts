import { formatEndpoint, subnetOf } from "./ip.js";
import type { NodeInfo } from "./node-info.js";
import type { ProbeResult } from "./probe.js";
import { cappedHeight, heightReference, serverScore } from "./scoring.js";

/** What a successful registration reports about the node. */
export interface Registration {
  address: string;
  port: number;
  version: string;
  /** The height the node announced in the registration probe's P2P handshake. */
  height: number;
  /** Connect time of the registration's handshake probe. */
  probeLatencyMs: number;
}

interface Entry {
  address: string;
  port: number;
  version: string;
  height: number;
  firstSeenMs: number;
  lastSeenMs: number;
  uptimeHours: number;
  lastContactMs: number;
  probeLatencyMs: number;
  /** Consecutive failed health probes. */
  failures: number;
}

export interface RegistryOptions {
  maxAgeMs: number;
  /** Used by the `/nodes` score: a connect this slow scores 0. */
  probeTimeoutMs: number;
}

export interface Stats {
  node_count: number;
  max_height: number;
  avg_height: number;
  versions: Record<string, number>;
}

export type ProbeOutcome = "ok" | "failed" | "dropped" | "gone";

/** The in-memory registry, keyed by endpoint (`ip:port`, `[ipv6]:port`). Lost on restart, by design. */
export class Registry {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: RegistryOptions) {}

  get size(): number {
    return this.entries.size;
  }

  has(address: string, port: number): boolean {
    return this.entries.has(formatEndpoint(address, port));
  }

  /** Number of endpoints registered for one IP. */
  countForAddress(address: string): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.address === address) n += 1;
    return n;
  }

  /** Number of endpoints registered in the IPv4 /24 or IPv6 /48 of `address` (see `subnetOf`). */
  countForSubnet(address: string): number {
    const subnet = subnetOf(address);
    let n = 0;
    for (const e of this.entries.values()) if (subnetOf(e.address) === subnet) n += 1;
    return n;
  }

  /** Inserts or refreshes a node; `first_seen` survives re-registration. */
  upsert(reg: Registration, nowMs: number): { node: NodeInfo; created: boolean } {
    const key = formatEndpoint(reg.address, reg.port);
    const old = this.entries.get(key);
    const firstSeenMs = old?.firstSeenMs ?? nowMs;
    const entry: Entry = {
      address: reg.address,
      port: reg.port,
      version: reg.version,
      height: reg.height,
      firstSeenMs,
      lastSeenMs: nowMs,
      uptimeHours: Math.max(0, nowMs - firstSeenMs) / 3_600_000,
      lastContactMs: nowMs,
      probeLatencyMs: reg.probeLatencyMs,
      failures: 0,
    };
    this.entries.set(key, entry);
    return { node: toNodeInfo(entry), created: old === undefined };
  }

  /** Removes entries whose last registration is `max_age` or more ago; returns them. */
  purgeStale(nowMs: number): NodeInfo[] {
    const removed: NodeInfo[] = [];
    for (const [key, e] of this.entries) {
      if (nowMs - e.lastSeenMs >= this.options.maxAgeMs) {
        this.entries.delete(key);
        removed.push(toNodeInfo(e));
      }
    }
    return removed;
  }

  /** A snapshot of endpoints to health-check. */
  endpoints(): { address: string; port: number }[] {
    return [...this.entries.values()].map((e) => ({ address: e.address, port: e.port }));
  }

  /**
   * Applies a health-probe result. A success refreshes liveness and the height from the node's
   * handshake (not `last_seen`: only registration extends the lease); `maxFailures` consecutive
   * failures remove the node.
   */
  recordProbe(
    address: string,
    port: number,
    result: ProbeResult,
    nowMs: number,
    maxFailures: number,
  ): ProbeOutcome {
    const key = formatEndpoint(address, port);
    const e = this.entries.get(key);
    if (e === undefined) return "gone";
    if (result.ok) {
      e.failures = 0;
      e.lastContactMs = Math.max(e.lastContactMs, nowMs);
      e.probeLatencyMs = result.latencyMs;
      e.height = result.height;
      return "ok";
    }
    e.failures += 1;
    if (e.failures < maxFailures) return "failed";
    this.entries.delete(key);
    return "dropped";
  }

  /** `/nodes`: height >= minHeight, best server score first, at most `limit`. */
  list(query: { limit: number; minHeight: number }, nowMs: number): NodeInfo[] {
    const eligible = [...this.entries.values()].filter((e) => e.height >= query.minHeight);
    const maxHeight = heightReference(eligible.map((e) => e.height));
    const ctx = {
      nowMs,
      maxHeight,
      maxAgeMs: this.options.maxAgeMs,
      probeTimeoutMs: this.options.probeTimeoutMs,
    };
    return eligible
      .map((e) => ({ e, score: serverScore(e, ctx), key: formatEndpoint(e.address, e.port) }))
      .sort(
        (a, b) =>
          b.score - a.score ||
          cappedHeight(b.e.height, maxHeight) - cappedHeight(a.e.height, maxHeight) ||
          (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
      )
      .slice(0, query.limit)
      .map(({ e }) => toNodeInfo(e));
  }

  stats(): Stats {
    // No prototype: a client-chosen version such as "__proto__" must stay a plain key.
    const versions: Record<string, number> = Object.create(null);
    let max = 0;
    let sum = 0n;
    for (const e of this.entries.values()) {
      versions[e.version] = (versions[e.version] ?? 0) + 1;
      max = Math.max(max, e.height);
      sum += BigInt(e.height);
    }
    const n = this.entries.size;
    return {
      node_count: n,
      max_height: max,
      avg_height: n === 0 ? 0 : Number(sum / BigInt(n)),
      versions,
    };
  }

  clear(): void {
    this.entries.clear();
  }
}

function toNodeInfo(e: Entry): NodeInfo {
  return {
    address: e.address,
    port: e.port,
    version: e.version,
    height: e.height,
    last_seen: Math.floor(e.lastSeenMs / 1000),
    first_seen: Math.floor(e.firstSeenMs / 1000),
    uptime_hours: e.uptimeHours,
  };
}
