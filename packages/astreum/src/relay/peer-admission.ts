// Who gets a shared key and a place in the peer route. A handshake from a new key registers the
// sender when its route bucket has room, else serves it as a transient peer (answered, kept with its
// shared key and fair-use counters, least recently used dropped first). A message from an unknown
// key makes a transient peer too. New keys are rate limited: each costs an X25519 operation.
// A handshake from a known peer is unauthenticated: it is answered at the claimed address (at most
// once a second), but the peer moves only on an authenticated message from there.
import type { Logger } from "../logger.js";
import { idKey, idsEqual } from "../storage/atom-id.js";
import type { PeerAddress } from "./address.js";
import { PUBLIC_KEY_BYTES } from "./constants.js";
import type { RelayEventEmitter } from "./events.js";
import { type RelayKeyPair, sharedKey } from "./keys.js";
import type { RelayMessage } from "./message.js";
import { Peer } from "./peer.js";
import { KeyedRateLimit, TokenBucket } from "./rate-limit.js";
import type { Route } from "./route.js";
import type { DropReason, RelayStats } from "./stats.js";

const TRANSIENT_PEERS = 1024;
/** Handshakes/s from new keys the node accepts (bursts up to this many too). */
const NEW_PEER_RATE = 500;
/** Unknown senders/s for which the node derives a shared key (an X25519 operation each). */
const NEW_TRANSIENT_RATE = 2000;

/** What admission needs from its relay node. */
export interface AdmissionHost {
  readonly keys: RelayKeyPair;
  readonly publicKey: Uint8Array;
  readonly route: Route<Peer>;
  /** The registered peers by hex key (admission adds to it; eviction removes). */
  readonly peersByKey: Map<string, Peer>;
  readonly stats: RelayStats;
  readonly log: Logger;
  readonly events: RelayEventEmitter;
  isDefaultSeed(address: PeerAddress): boolean;
  sendHandshake(address: PeerAddress): boolean;
  sendPing(peer: Peer, address: PeerAddress): void;
  requestRoute(peer: Peer): boolean;
  drop(reason: DropReason): void;
}

export class PeerAdmission {
  private readonly transient = new Map<string, Peer>();
  private readonly handshakeReplies = new KeyedRateLimit(1000);
  private readonly newPeers = new TokenBucket(NEW_PEER_RATE, NEW_PEER_RATE);
  private readonly newTransients = new TokenBucket(NEW_TRANSIENT_RATE, NEW_TRANSIENT_RATE);

  constructor(private readonly host: AdmissionHost) {}

  onHandshake(m: RelayMessage, address: PeerAddress): void {
    const h = this.host;
    const key = idKey(m.senderPublicKey);
    const known = h.peersByKey.get(key);
    if (known !== undefined) {
      // Unauthenticated: answer at the claimed address, but move the peer only on an
      // authenticated message from there.
      h.stats.accepted++;
      if (!this.handshakeReplies.allow(key)) return;
      h.sendHandshake(address);
      h.sendPing(known, address);
      return;
    }
    if (!this.newPeers.take()) {
      h.drop("rate_limited");
      return;
    }
    let peer = this.transient.get(key);
    if (peer === undefined) {
      try {
        peer = new Peer(m.senderPublicKey, sharedKey(h.keys.privateKey, m.senderPublicKey), address);
      } catch {
        h.drop("bad_key");
        return;
      }
    }
    peer.address = address;
    peer.lastSeen = Date.now();
    peer.isDefaultSeed = h.isDefaultSeed(address);
    h.stats.accepted++;
    if (h.route.add(peer.publicKey, peer)) {
      peer.registered = true;
      this.transient.delete(key);
      h.peersByKey.set(key, peer);
      h.log.info(`peer ${key.slice(0, 16)} joined from ${address.host}:${address.port}`);
      h.events.emit("peer", peer);
    } else this.rememberTransient(peer);
    if (this.handshakeReplies.allow(key)) h.sendHandshake(address);
    h.sendPing(peer, address);
    if (peer.registered) h.requestRoute(peer);
  }

  /** The registered or transient peer with this key, or a new transient one; else why not. */
  peerFor(publicKey: Uint8Array, address: PeerAddress): Peer | "bad_key" | "rate_limited" {
    const h = this.host;
    const key = idKey(publicKey);
    const known = h.peersByKey.get(key) ?? this.transient.get(key);
    if (known !== undefined) return known;
    if (publicKey.length !== PUBLIC_KEY_BYTES || idsEqual(publicKey, h.publicKey)) return "bad_key";
    if (!this.newTransients.take()) return "rate_limited";
    let shared: Uint8Array;
    try {
      shared = sharedKey(h.keys.privateKey, publicKey);
    } catch {
      return "bad_key";
    }
    const peer = new Peer(publicKey, shared, address);
    this.rememberTransient(peer);
    return peer;
  }

  /** Forgets the transient peers (the relay stopped). */
  clear(): void {
    this.transient.clear();
  }

  private rememberTransient(peer: Peer): void {
    this.transient.delete(peer.key);
    this.transient.set(peer.key, peer);
    if (this.transient.size > TRANSIENT_PEERS) {
      const oldest = this.transient.keys().next().value;
      if (oldest !== undefined) this.transient.delete(oldest);
    }
  }
}
