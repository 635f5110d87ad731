/** Peer-safety limits of the seed (all enforced, inbound and outbound). */
export const P2P_LIMITS = {
  maxOutbound: 8,
  maxInbound: 117,
  maxPerIp: 3,
  /** Distinct IPv4 addresses per /24 (IPv6: per /48). */
  maxPer24: 2,
  /** Distinct IPv4 addresses per /16 (IPv6: per /32). */
  maxPer16: 4,
  /** Outbound peers should span at least this many /16s when candidates allow. */
  outboundDiversity: 3,
  handshakeTimeoutMs: 30_000,
  maxInventoryItems: 50_000,
  /** Block announcements accepted per peer per minute. */
  blockAnnouncementsPerMinute: 10,
  /** Headers served per GetHeaders reply. */
  maxHeadersPerMessage: 2000,
  /** Ban score at which a peer is dropped and refused. */
  banThreshold: 100,
  banDurationMs: 24 * 60 * 60 * 1000,
  pingIntervalMs: 30_000,
  /** No Pong (or any message) for this long ends the connection. */
  pingTimeoutMs: 90_000,
  /** Blocks in flight per peer during sync. */
  blocksInFlightPerPeer: 128,
  blockRequestTimeoutMs: 30_000,
  /** Stalls after which a peer is replaced. */
  maxStalls: 3,
  headerSyncIntervalMs: 15_000,
  /** With outbound slots full, an extra short-lived outbound connection this often... */
  feelerIntervalMs: 60_000,
  /** ...kept this long (enough for its headers and any better chain's blocks). */
  feelerLifetimeMs: 30_000,
  /** A copy of a block we have that arrives this soon after our first crossed ours in flight: not junk. */
  pushRaceMs: 5000,
} as const;

export type P2pLimits = { -readonly [K in keyof typeof P2P_LIMITS]: number };
