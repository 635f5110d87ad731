import { formatEndpoint, isLoopback, isUnspecified, normalizeIp, parseEndpoint } from "./ip.js";
import type { NodeInfo } from "./node-info.js";

/** Weights shared by both scores (the seed: height 30%, uptime 20%, latency 50%). */
export const HEIGHT_WEIGHT = 0.3;
export const UPTIME_WEIGHT = 0.2;
export const LATENCY_WEIGHT = 0.5;
/** Uptime saturates after one week: older nodes are not preferred further. */
export const UPTIME_CAP_HOURS = 168;
/**
 * Heights count up to the median height plus this many blocks (12 minutes of blocks at 120 s):
 * being further ahead of most nodes earns nothing more, so one claim of a huge height cannot push
 * every honest node's height term to 0.
 */
export const HEIGHT_MARGIN_ABOVE_MEDIAN = 6;

/**
 * The height that scores 1: the largest height, but at most the lower median + the margin. A height
 * term is then min(height, reference) / reference. With n nodes, fewer than half of them lying
 * cannot move the median, and a liar gains at most 0.3 × margin / (median + margin) of score over
 * an honest node at the median.
 */
export function heightReference(heights: readonly number[]): number {
  if (heights.length === 0) return 1;
  const sorted = heights.map(finiteNonNegative).sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  return Math.max(1, Math.min(sorted[sorted.length - 1]!, median + HEIGHT_MARGIN_ABOVE_MEDIAN));
}

/** A height clamped to the reference: what scoring and its tie-break see. */
export function cappedHeight(height: number, reference: number): number {
  return Math.min(finiteNonNegative(height), reference);
}

/** The fields ranking needs; a full `NodeInfo` from `/nodes` fits. */
export type Candidate = Pick<NodeInfo, "address" | "port" | "height" | "uptime_hours">;

export interface RankOptions {
  /**
   * Our own addresses. A bare IP (`203.0.113.7`, `2001:db8::7`) excludes every port on that host;
   * an endpoint (`203.0.113.7:8335`, `[2001:db8::7]:8335`) excludes only that port, so another
   * node behind the same NAT stays a candidate.
   */
  selfAddresses: Iterable<string>;
  /**
   * Measured TCP connect time per candidate, keyed by endpoint (`formatEndpoint(address, port)`).
   * A candidate without a finite, non-negative measurement was unreachable and is dropped.
   */
  latencyMs: ReadonlyMap<string, number> | Readonly<Record<string, number>>;
  /** Keep at most this many (default: all). */
  limit?: number;
  /** Keep loopback candidates (local test networks); they are excluded by default, as the seed says. */
  allowLoopback?: boolean;
}

export interface RankedCandidate<T extends Candidate = Candidate> {
  node: T;
  endpoint: string;
  latencyMs: number;
  heightScore: number;
  uptimeScore: number;
  latencyScore: number;
  score: number;
}

/**
 * Node-side candidate ranking: score = 0.3 height + 0.2 uptime + 0.5 latency, best first.
 *
 * Each term is normalised to [0, 1] over the reachable candidates only:
 * - height: min(height, reference) / reference, the reference being the largest height capped at
 *   the median + `HEIGHT_MARGIN_ABOVE_MEDIAN` (`heightReference`), so an outlier cannot dominate;
 * - uptime: min(uptime_hours, 168) / 168 (negative treated as 0);
 * - latency: 1 - (l - fastest) / (slowest - fastest), or 1 when all are equally fast.
 * Excluded before scoring: loopback and `localhost`, the unspecified address, addresses that are
 * not IP literals, ports outside 1..65535, our own addresses, and unmeasured candidates.
 * Duplicate endpoints keep their first occurrence. Ties: higher capped height, lower latency, then
 * endpoint text, so the order is deterministic. Pure: no I/O, inputs are not modified.
 */
export function rankCandidates<T extends Candidate>(
  nodes: readonly T[],
  options: RankOptions,
): RankedCandidate<T>[] {
  const selfHosts = new Set<string>();
  const selfEndpoints = new Set<string>();
  for (const entry of options.selfAddresses) {
    const host = normalizeIp(entry);
    if (host !== undefined) {
      selfHosts.add(host);
      continue;
    }
    const ep = parseEndpoint(entry);
    if (ep !== undefined) selfEndpoints.add(formatEndpoint(ep.address, ep.port));
  }
  const latencyOf = (endpoint: string): number | undefined =>
    options.latencyMs instanceof Map
      ? options.latencyMs.get(endpoint)
      : Object.hasOwn(options.latencyMs, endpoint)
        ? (options.latencyMs as Readonly<Record<string, number>>)[endpoint]
        : undefined;

  const reachable: { node: T; endpoint: string; latencyMs: number }[] = [];
  const seen = new Set<string>();
  for (const node of nodes) {
    if (typeof node.address !== "string" || isUnspecified(node.address)) continue;
    if (isLoopback(node.address) && !options.allowLoopback) continue;
    const address = normalizeIp(node.address);
    if (address === undefined || selfHosts.has(address)) continue;
    if (!Number.isInteger(node.port) || node.port < 1 || node.port > 65535) continue;
    const endpoint = formatEndpoint(address, node.port);
    if (selfEndpoints.has(endpoint) || seen.has(endpoint)) continue;
    seen.add(endpoint);
    // Lookups accept both the canonical key and the text exactly as the node listed it.
    const latency = latencyOf(endpoint) ?? latencyOf(formatEndpoint(node.address, node.port));
    if (latency === undefined || !Number.isFinite(latency) || latency < 0) continue;
    reachable.push({ node, endpoint, latencyMs: latency });
  }
  if (reachable.length === 0) return [];

  const reference = heightReference(reachable.map((c) => c.node.height));
  const minLatency = Math.min(...reachable.map((c) => c.latencyMs));
  const maxLatency = Math.max(...reachable.map((c) => c.latencyMs));
  const ranked = reachable.map(({ node, endpoint, latencyMs }) => {
    const heightScore = cappedHeight(node.height, reference) / reference;
    const uptimeScore = uptimeTerm(node.uptime_hours);
    const latencyScore =
      maxLatency > minLatency ? 1 - (latencyMs - minLatency) / (maxLatency - minLatency) : 1;
    const score = HEIGHT_WEIGHT * heightScore + UPTIME_WEIGHT * uptimeScore + LATENCY_WEIGHT * latencyScore;
    return { node, endpoint, latencyMs, heightScore, uptimeScore, latencyScore, score };
  });
  ranked.sort(
    (a, b) =>
      b.score - a.score ||
      cappedHeight(b.node.height, reference) - cappedHeight(a.node.height, reference) ||
      a.latencyMs - b.latencyMs ||
      (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0),
  );
  return options.limit === undefined ? ranked : ranked.slice(0, Math.max(0, options.limit));
}

export interface ServerScoreInput {
  height: number;
  uptimeHours: number;
  /** Unix ms of the latest proof of life: a registration or a successful health probe. */
  lastContactMs: number;
  /** Connect time of the server's latest successful TCP probe of the node's P2P port. */
  probeLatencyMs: number;
}

export interface ServerScoreContext {
  nowMs: number;
  /**
   * The height that scores 1: `heightReference` of the heights being ranked (after the min_height
   * filter); higher heights are capped to it.
   */
  maxHeight: number;
  /** Entries expire after this long without a registration. */
  maxAgeMs: number;
  /** The probe timeout: a connect this slow scores 0. */
  probeTimeoutMs: number;
}

/**
 * Server-side order of `/nodes`, with the seed's weights (the reference used 0.4/0.3/0.3, a bug).
 * The server cannot measure the latency a client will see, so its 0.5 term is "liveness":
 * the mean of
 * - recency: 1 - (now - last contact) / max_age, clamped to [0, 1] — a node that keeps
 *   re-registering stays near 1, one that stopped decays to 0 as it approaches expiry;
 * - responsiveness: 1 - probe latency / probe timeout, clamped to [0, 1] — from the server's own
 *   P2P handshake probe of the node at registration or at the latest health check.
 */
export function serverScore(node: ServerScoreInput, ctx: ServerScoreContext): number {
  const reference = Math.max(ctx.maxHeight, 1);
  const heightScore = cappedHeight(node.height, reference) / reference;
  const uptimeScore = uptimeTerm(node.uptimeHours);
  const recency = clamp01(1 - (ctx.nowMs - node.lastContactMs) / Math.max(ctx.maxAgeMs, 1));
  const responsiveness = clamp01(1 - node.probeLatencyMs / Math.max(ctx.probeTimeoutMs, 1));
  const liveness = (recency + responsiveness) / 2;
  return HEIGHT_WEIGHT * heightScore + UPTIME_WEIGHT * uptimeScore + LATENCY_WEIGHT * liveness;
}

function uptimeTerm(hours: number): number {
  return Math.min(finiteNonNegative(hours), UPTIME_CAP_HOURS) / UPTIME_CAP_HOURS;
}

function finiteNonNegative(x: number): number {
  return typeof x === "number" && Number.isFinite(x) && x > 0 ? x : 0;
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
