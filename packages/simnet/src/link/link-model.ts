/**
 * The link model: what happens to bytes sent over one direction of an emulated link. Pure and
 * seeded (no sockets, no clock), so the TCP relay here and a UDP relay later share it, and tests can
 * replay it exactly.
 *
 * A chunk of `bytes` handed to the link at `now`:
 * - waits for the link to be free, then takes bytes / bandwidth to serialize (when capped);
 * - travels for latency = base ± jitter (uniform in [base − jitter, base + jitter], or normal with
 *   standard deviation `jitter`, never below 0);
 * - is lost with the probability that any of its ~1460-byte packets is lost (`lossRate` per packet):
 *   TCP then retransmits, which we model as a stall of max(minRetransmitMs, 2 × RTT) on that chunk;
 * - very rarely (`resetRate` per chunk) the connection is reset instead;
 * - is never delivered before the chunk sent ahead of it (a stream keeps its order, so a stall holds
 *   up everything behind it, as head-of-line blocking does in TCP).
 */

export type JitterDistribution = "uniform" | "normal";

export interface LinkParams {
  /** One-way base latency (ms). */
  readonly latencyMs: number;
  /** Jitter around the base latency (ms): half-width for uniform, standard deviation for normal. */
  readonly jitterMs: number;
  readonly jitter: JitterDistribution;
  /** Serialization cap in bytes per second, or null for none. */
  readonly bandwidthBytesPerSec: number | null;
  /** Probability that one packet is lost (0 ≤ p < 1). */
  readonly lossRate: number;
  /** Probability that one chunk resets the connection instead (0 ≤ p < 1). */
  readonly resetRate: number;
  /** Shortest retransmission stall (ms); Linux's minimum RTO is 200 ms. */
  readonly minRetransmitMs: number;
}

/** The default link: 50 ms ± 20 ms, 1% loss, no bandwidth cap, no resets. */
export const DEFAULT_LINK: LinkParams = {
  latencyMs: 50,
  jitterMs: 20,
  jitter: "uniform",
  bandwidthBytesPerSec: null,
  lossRate: 0.01,
  resetRate: 0,
  minRetransmitMs: 200,
};

/** Bytes per packet used to turn a per-packet loss rate into a per-chunk one. */
export const PACKET_BYTES = 1460;

export class LinkParamsError extends RangeError {
  readonly code = "BAD_LINK_PARAMS";
}

/** Checks every field; throws LinkParamsError naming the bad one. */
export function validateLinkParams(p: LinkParams): LinkParams {
  const need = (ok: boolean, what: string) => {
    if (!ok) throw new LinkParamsError(`link parameter ${what}`);
  };
  need(Number.isFinite(p.latencyMs) && p.latencyMs >= 0, `latencyMs must be ≥ 0, got ${p.latencyMs}`);
  need(Number.isFinite(p.jitterMs) && p.jitterMs >= 0, `jitterMs must be ≥ 0, got ${p.jitterMs}`);
  need(p.jitter === "uniform" || p.jitter === "normal", `jitter must be uniform or normal, got ${p.jitter}`);
  need(
    p.bandwidthBytesPerSec === null ||
      (Number.isFinite(p.bandwidthBytesPerSec) && p.bandwidthBytesPerSec > 0),
    `bandwidthBytesPerSec must be > 0 or null, got ${p.bandwidthBytesPerSec}`,
  );
  need(p.lossRate >= 0 && p.lossRate < 1, `lossRate must be in [0, 1), got ${p.lossRate}`);
  need(p.resetRate >= 0 && p.resetRate < 1, `resetRate must be in [0, 1), got ${p.resetRate}`);
  need(
    Number.isFinite(p.minRetransmitMs) && p.minRetransmitMs >= 0,
    `minRetransmitMs must be ≥ 0, got ${p.minRetransmitMs}`,
  );
  return p;
}

/** What the link does with one chunk. */
export type ChunkFate =
  | { readonly kind: "deliver"; readonly at: number; readonly latencyMs: number; readonly stallMs: number }
  | { readonly kind: "reset" };

/** One direction of one connection: its own random stream, queue position and busy time. */
export class LinkDirection {
  private lastDeliveryAt = Number.NEGATIVE_INFINITY;
  private busyUntil = Number.NEGATIVE_INFINITY;

  constructor(
    readonly params: LinkParams,
    private readonly random: () => number,
  ) {
    validateLinkParams(params);
  }

  /** The fate of `bytes` handed to the link at time `now` (ms). Calls must come in time order. */
  send(now: number, bytes: number): ChunkFate {
    const p = this.params;
    if (p.resetRate > 0 && this.random() < p.resetRate) return { kind: "reset" };
    const start = Math.max(now, this.busyUntil);
    const serialized =
      p.bandwidthBytesPerSec === null ? start : start + (bytes * 1000) / p.bandwidthBytesPerSec;
    this.busyUntil = serialized;
    const latencyMs = this.latency();
    const stallMs = this.lost(bytes) ? Math.max(p.minRetransmitMs, 4 * p.latencyMs) : 0;
    const at = Math.max(this.lastDeliveryAt, serialized + latencyMs + stallMs);
    this.lastDeliveryAt = at;
    return { kind: "deliver", at, latencyMs, stallMs };
  }

  private latency(): number {
    const { latencyMs: base, jitterMs: j } = this.params;
    if (j === 0) return base;
    if (this.params.jitter === "uniform") return Math.max(0, base + (2 * this.random() - 1) * j);
    return Math.max(0, base + j * standardNormal(this.random));
  }

  private lost(bytes: number): boolean {
    if (this.params.lossRate === 0) return false;
    const packets = Math.max(1, Math.ceil(bytes / PACKET_BYTES));
    const chunkLoss = 1 - (1 - this.params.lossRate) ** packets;
    return this.random() < chunkLoss;
  }
}

/** A standard normal draw (Box–Muller) from a uniform source. */
export function standardNormal(random: () => number): number {
  const u = 1 - random(); // (0, 1]: log(0) never happens
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
