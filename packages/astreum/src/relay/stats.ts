// Counters of the relay: what arrived, what was processed, what was sent, and every drop by reason.

export const DROP_REASONS = [
  /** Datagram of at most 8 bytes (no message after the PoW nonce). */
  "too_short",
  /** Datagram larger than maxDatagramSize. */
  "oversized",
  /** PoW below the difficulty the node demands. */
  "pow",
  /** No room in the incoming queue (timeout 0, or the waiting line full too). */
  "queue_full",
  /** Waited incoming_queue_timeout for room in the queue, got none. */
  "queue_timeout",
  /** Undecodable header (short, unknown type, normal message without body). */
  "header",
  /** Normal message (or handshake) whose header port is 0. */
  "missing_port",
  /** Sender key equal to our own. */
  "self",
  /** Sender key from which no shared key can be derived. */
  "bad_key",
  /** Body too short to hold nonce, topic and tag. */
  "body",
  /** Body that did not authenticate under the shared key (wrong key, tampered, truncated). */
  "decrypt",
  /** An authenticated message seen before. */
  "replay",
  /** Unknown topic, or content that does not decode for its topic. */
  "content",
  /** A response nobody asked for, or an atom that does not hash to the id asked for. */
  "unsolicited",
  /** Too many new handshakes at once. */
  "rate_limited",
  /** Too many object requests being served at once. */
  "busy",
  /** A handler failed unexpectedly (logged). */
  "internal",
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

export interface RelayStats {
  /** Datagrams that reached the socket handler. */
  received: number;
  receivedBytes: number;
  /** Messages the processor handled (taken from the queue). */
  processed: number;
  /** Messages that authenticated (or valid handshakes) and were dispatched. */
  accepted: number;
  sent: number;
  sentBytes: number;
  /** Sends that failed or were not attempted (socket errors, datagram too large, difficulty too high). */
  sendFailures: number;
  dropped: Record<DropReason, number>;
}

export function emptyStats(): RelayStats {
  return {
    received: 0,
    receivedBytes: 0,
    processed: 0,
    accepted: 0,
    sent: 0,
    sentBytes: 0,
    sendFailures: 0,
    dropped: Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<DropReason, number>,
  };
}

export function totalDropped(stats: RelayStats): number {
  let n = 0;
  for (const r of DROP_REASONS) n += stats.dropped[r];
  return n;
}
