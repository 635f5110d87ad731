import type { AddressSource } from "./address-book.js";
import type { Direction } from "./peer.js";

/** One connected peer as an operator sees it (admin interface, `astram-node peers`). */
export interface PeerDetails {
  readonly id: string;
  /** Where the peer accepts connections (its listening endpoint), or its remote endpoint. */
  readonly address: string;
  readonly remote: string;
  readonly direction: Direction;
  readonly handshakeDone: boolean;
  /** Best height the peer is known to have (tip index + 1). */
  readonly height: number;
  readonly banScore: number;
  readonly bytesSent: number;
  readonly bytesReceived: number;
  /** Round trip of the last answered ping, in ms; null before the first. */
  readonly pingMs: number | null;
  /** Negotiated protocol extensions. */
  readonly features: readonly string[];
  readonly version: string;
  /** ms since epoch. */
  readonly connectedAt: number;
  readonly lastMessageAt: number;
}

/** A ban by IP; `until` in ms since epoch. */
export interface BanEntry {
  readonly ip: string;
  readonly until: number;
  readonly reason: string;
  readonly createdAt: number;
}

/** An address in the address book. */
export interface AddressEntry {
  readonly address: string;
  readonly source: AddressSource;
  /** Last successful handshake (ms since epoch), 0 = never. */
  readonly lastSeen: number;
  readonly lastAttempt: number;
  readonly failures: number;
}

/** What an operator can do to the node's peers (the admin interface calls these). */
export interface PeerControl {
  peerDetails(): PeerDetails[];
  /** Adds host:port to the address book and dials it now. */
  addPeer(address: string): Promise<{ readonly connected: boolean; readonly reason?: string }>;
  /** Forgets host:port from the address book and disconnects it; false when unknown. */
  removePeer(address: string): boolean;
  /** Disconnects the peers whose id, listening address or IP matches; returns how many. */
  disconnect(target: string): number;
  /** Bans an IP for `durationMs` (its peers are disconnected at once); persisted. */
  ban(ip: string, durationMs: number, reason?: string): void;
  /** Lifts a ban; false when the IP was not banned. */
  unban(ip: string): boolean;
  /** Lifts every ban; returns how many. */
  clearBans(): number;
  bans(): BanEntry[];
  addresses(): AddressEntry[];
}
