import { connect } from "node:net";
import { rankCandidates } from "astram-dns";
import type { Logger } from "pino";
import { type Endpoint, formatEndpoint, isLoopback, normalizeIp } from "./addresses.js";

/** One entry of the discovery server's GET /nodes. */
export interface DiscoveredNode {
  readonly address: string;
  readonly port: number;
  readonly height: number;
  readonly uptime_hours: number;
  readonly version?: string;
}

export interface ScoredCandidate {
  readonly endpoint: Endpoint;
  readonly score: number;
  readonly latencyMs: number;
}

/**
 * Ranks discovered nodes with the seed's rule (0.3 height + 0.2 uptime + 0.5 latency), using the
 * discovery package's implementation so server and node agree on one definition.
 */
export function scoreCandidates(
  nodes: readonly (DiscoveredNode & { latencyMs: number })[],
  opts: { allowLoopback?: boolean; self?: Iterable<string> } = {},
): ScoredCandidate[] {
  const latencyMs = new Map(
    nodes.map((n) => [formatEndpoint({ host: normalizeIp(n.address), port: n.port }), n.latencyMs]),
  );
  return rankCandidates(nodes, {
    selfAddresses: opts.self ?? [],
    latencyMs,
    allowLoopback: opts.allowLoopback ?? true,
  }).map((r) => ({
    endpoint: { host: normalizeIp(r.node.address), port: r.node.port },
    score: r.score,
    latencyMs: r.latencyMs,
  }));
}

/** Milliseconds a TCP connect takes, or undefined when it fails within `timeoutMs`. */
export function probeLatency(e: Endpoint, timeoutMs = 3000): Promise<number | undefined> {
  return new Promise((resolve) => {
    const start = Date.now();
    const socket = connect({ host: e.host, port: e.port });
    const done = (v: number | undefined) => {
      socket.destroy();
      resolve(v);
    };
    socket.setTimeout(timeoutMs, () => done(undefined));
    socket.once("connect", () => done(Date.now() - start));
    socket.once("error", () => done(undefined));
  });
}

/** Registration with, and candidates from, an astram-dns discovery server. */
export class DiscoveryClient {
  /** Our public address as the server saw it (set by register). */
  publicAddress: string | undefined;

  constructor(
    private readonly baseUrl: string,
    private readonly log: Logger,
    private readonly allowLoopback = false,
  ) {}

  async register(port: number, version: string, height: number): Promise<boolean> {
    try {
      const res = await fetch(new URL("/register", this.baseUrl), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ port, version, height }),
        signal: AbortSignal.timeout(5000),
      });
      const body = (await res.json().catch(() => ({}))) as {
        success?: boolean;
        message?: string;
        registered_address?: string;
      };
      if (!res.ok || !body.success) {
        this.log.warn({ status: res.status, message: body.message }, "discovery registration refused");
        return false;
      }
      this.publicAddress = body.registered_address ? normalizeIp(body.registered_address) : undefined;
      this.log.info({ address: this.publicAddress, port }, "registered with the discovery server");
      return true;
    } catch (e) {
      this.log.warn({ err: (e as Error).message, url: this.baseUrl }, "discovery server unreachable");
      return false;
    }
  }

  /** Fetches up to 3x `want` nodes, drops localhost and self, probes latency and ranks them. */
  async candidates(want: number, self: (e: Endpoint) => boolean): Promise<ScoredCandidate[]> {
    let nodes: DiscoveredNode[];
    try {
      const res = await fetch(new URL(`/nodes?limit=${want * 3}`, this.baseUrl), {
        signal: AbortSignal.timeout(5000),
      });
      nodes = ((await res.json()) as { nodes?: DiscoveredNode[] }).nodes ?? [];
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, "cannot fetch nodes from the discovery server");
      return [];
    }
    const usable = nodes.filter((n) => {
      if (typeof n.address !== "string" || !Number.isInteger(n.port)) return false;
      const e = { host: normalizeIp(n.address), port: n.port };
      if (!this.allowLoopback && isLoopback(e.host)) return false;
      return !self(e);
    });
    const probed: (DiscoveredNode & { latencyMs: number })[] = [];
    for (const n of usable) {
      const latencyMs = await probeLatency({ host: normalizeIp(n.address), port: n.port });
      if (latencyMs !== undefined) probed.push({ ...n, latencyMs });
    }
    return scoreCandidates(probed, { allowLoopback: this.allowLoopback }).slice(0, want);
  }
}
