import { LinkDirection, type LinkParams, PACKET_BYTES, validateLinkParams } from "./link-model.js";

/** What the link does with one datagram: it arrives at `at` (ms), or it is lost. */
export type DatagramFate = { readonly kind: "deliver"; readonly at: number } | { readonly kind: "lost" };

/**
 * One direction of an emulated link carrying datagrams (UDP), built on the same model as the TCP
 * relay's streams (`LinkDirection`: latency ± jitter, bandwidth, order kept) with one difference:
 * a lost datagram is really lost (no retransmission stall), with the probability that any of its
 * ~1460-byte packets is lost. Resets have no meaning for datagrams and are ignored. Pure and seeded:
 * the same seed and the same sends give the same fates, so tests can replay a relay's decisions.
 */
export class DatagramLink {
  private readonly direction: LinkDirection;

  constructor(
    readonly params: LinkParams,
    private readonly random: () => number,
  ) {
    validateLinkParams(params);
    // Loss and resets are decided here; the stream model only times the datagrams that survive.
    this.direction = new LinkDirection({ ...params, lossRate: 0, resetRate: 0 }, random);
  }

  /** The fate of a datagram of `bytes` handed to the link at `now` (ms); calls in time order. */
  send(now: number, bytes: number): DatagramFate {
    if (this.params.lossRate > 0) {
      const packets = Math.max(1, Math.ceil(bytes / PACKET_BYTES));
      if (this.random() < 1 - (1 - this.params.lossRate) ** packets) return { kind: "lost" };
    }
    const fate = this.direction.send(now, bytes);
    // With resetRate 0 the stream model always delivers.
    return fate.kind === "deliver" ? { kind: "deliver", at: fate.at } : { kind: "lost" };
  }
}
