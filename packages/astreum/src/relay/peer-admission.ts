// Who gets a place in the peer route (the package README's "Peer admission"). A handshake proves
// nothing (any key, any claimed port), so it only makes the sender a *candidate*: it gets our
// handshake, an encrypted ping and an encrypted OBJECT_GET for a random atom id (the challenge),
// all sent to the address it claims. Every node answers an OBJECT_GET (with the atom, or a provider
// hint), and the answer names the id; only a sender that holds the key's secret can read the id, and
// only one that receives at the claimed address can learn it. That answer *proves* the candidate.
// A proven peer is registered when its route bucket has room and the route's diversity caps allow
// its address (per IP, per /24 or /64). When its bucket is full, Kademlia's rule applies: the
// bucket's least-recently-seen member is probed (another challenge); it stays if it answers within
// the probe timeout, else it is evicted and the newest proven waiting peer takes its place. Proven
// peers without a slot (bucket full, or over a cap) wait (the replacement cache, with caps of its
// own): they are still pinged with head changes and their heads are followed, so an honest node
// that gets no slot still follows the chain. Unproven senders are transient peers (answered, kept with their shared key,
// least recently used dropped first). New keys are rate limited per source IP and overall: each
// costs an X25519 operation. A handshake from a known peer is answered (at most once a second) at
// the claimed address, but the peer moves only on an authenticated message from there.
import { randomBytes } from "node:crypto";
import type { Logger } from "../logger.js";
import { idKey, idsEqual } from "../storage/atom-id.js";
import { type PeerAddress, sameAddress, subnetKey } from "./address.js";
import { PUBLIC_KEY_BYTES } from "./constants.js";
import type { RelayEventEmitter } from "./events.js";
import { type RelayKeyPair, sharedKey } from "./keys.js";
import type { RelayMessage } from "./message.js";
import { Peer } from "./peer.js";
import { KeyedRateLimit, KeyedTokenBucket, TokenBucket } from "./rate-limit.js";
import type { Route } from "./route.js";
import type { DropReason, RelayStats } from "./stats.js";

const TRANSIENT_PEERS = 1024;
/** Proven peers waiting for a route slot, at most. */
const REPLACEMENT_PEERS = 1024;
/** The waiting peers' caps per IP and per subnet are this many times the route's. */
const WAITING_CAP_FACTOR = 4;
/** Handshakes/s from new keys the node accepts overall (bursts up to this many too). */
const NEW_PEER_RATE = 500;
/** Handshakes/s from new keys the node accepts from one source IP, and the burst. */
const NEW_PEER_RATE_PER_IP = 20;
const NEW_PEER_BURST_PER_IP = 64;
/** Unknown senders/s for which the node derives a shared key (an X25519 operation each). */
const NEW_TRANSIENT_RATE = 2000;
/** How long a probed route member has to answer before a proven replacement takes its slot. */
export const PROBE_TIMEOUT_MS = 2000;

/** Counters of admission (what the README's flood figures count). */
export interface AdmissionStats {
  /** Candidates sent a challenge. */
  challenged: number;
  /** Challenges answered correctly (candidates proven). */
  proven: number;
  /** Peers registered in the route. */
  registered: number;
  /** Proven peers kept out of the route by the per-IP or per-subnet cap (they may still wait). */
  capped: number;
  /** Proven peers turned away entirely: over the caps of the waiting peers too (they stay transient). */
  refused: number;
  /** Probes of a full bucket's least-recently-seen member. */
  probes: number;
  /** Probed members that answered and kept their slot. */
  keptByProbe: number;
  /** Probed members that did not answer and were replaced. */
  evictedByProbe: number;
}

/** What admission needs from its relay node. */
export interface AdmissionHost {
  readonly keys: RelayKeyPair;
  readonly publicKey: Uint8Array;
  readonly route: Route<Peer>;
  /** The registered peers by hex key (admission adds to it and removes from it). */
  readonly peersByKey: Map<string, Peer>;
  readonly stats: RelayStats;
  readonly log: Logger;
  readonly events: RelayEventEmitter;
  /** Registered peers per IP address (waiting ones: 4 times as many); 0 = no cap. */
  readonly maxPeersPerIp: number;
  /** The same per /24 (IPv4) or /64 (IPv6); 0 = no cap. */
  readonly maxPeersPerSubnet: number;
  /** The validation route (replaced when the validation key changes, hence a function). */
  validationRoute(): Route<Peer>;
  isDefaultSeed(address: PeerAddress): boolean;
  sendHandshake(address: PeerAddress): boolean;
  sendPing(peer: Peer, address: PeerAddress): void;
  /** Sends an OBJECT_GET for `id` to the peer's address. */
  sendChallenge(peer: Peer, id: Uint8Array): boolean;
  requestRoute(peer: Peer): boolean;
  drop(reason: DropReason): void;
}

interface Probe {
  peer: Peer;
  since: number;
  timer: NodeJS.Timeout;
}

export class PeerAdmission {
  readonly stats: AdmissionStats = {
    challenged: 0,
    proven: 0,
    registered: 0,
    capped: 0,
    refused: 0,
    probes: 0,
    keptByProbe: 0,
    evictedByProbe: 0,
  };
  private readonly transient = new Map<string, Peer>();
  /** Proven peers whose bucket was full (Kademlia's replacement cache), least recently proven first. */
  private readonly replacements = new Map<string, Peer>();
  /** The probe in flight per bucket index. */
  private readonly probes = new Map<number, Probe>();
  private readonly handshakeReplies = new KeyedRateLimit(1000);
  private readonly newPeers = new TokenBucket(NEW_PEER_RATE, NEW_PEER_RATE);
  private readonly newPeersPerIp = new KeyedTokenBucket(NEW_PEER_RATE_PER_IP, NEW_PEER_BURST_PER_IP);
  private readonly newTransients = new TokenBucket(NEW_TRANSIENT_RATE, NEW_TRANSIENT_RATE);

  constructor(
    private readonly host: AdmissionHost,
    private readonly probeTimeoutMs = PROBE_TIMEOUT_MS,
  ) {}

  /** Proven peers waiting for a route slot. */
  get replacementPeers(): IterableIterator<Peer> {
    return this.replacements.values();
  }

  /** True when `peer` is proven and waiting for a route slot. */
  isWaiting(peer: Peer): boolean {
    return this.replacements.get(peer.key) === peer;
  }

  /** Unproven peers (candidates and senders that never handshaked). */
  get transientCount(): number {
    return this.transient.size;
  }

  onHandshake(m: RelayMessage, address: PeerAddress): void {
    const h = this.host;
    const key = idKey(m.senderPublicKey);
    const known = h.peersByKey.get(key) ?? this.replacements.get(key);
    if (known !== undefined) {
      // Unauthenticated: answer at the claimed address, but move the peer only on an
      // authenticated message from there.
      h.stats.accepted++;
      if (!this.handshakeReplies.allow(key)) return;
      h.sendHandshake(address);
      h.sendPing(known, address);
      return;
    }
    let peer = this.transient.get(key);
    if (peer === undefined) {
      if (!this.newPeersPerIp.take(address.host) || !this.newPeers.take()) {
        h.drop("rate_limited");
        return;
      }
      try {
        peer = new Peer(m.senderPublicKey, sharedKey(h.keys.privateKey, m.senderPublicKey), address);
      } catch {
        h.drop("bad_key");
        return;
      }
    }
    peer.address = address;
    peer.isDefaultSeed = h.isDefaultSeed(address);
    h.stats.accepted++;
    this.rememberTransient(peer);
    // At most one challenge round per key and second: a replayed handshake costs nothing more.
    if (!this.handshakeReplies.allow(key)) return;
    h.sendHandshake(address);
    h.sendPing(peer, address);
    this.challenge(peer);
  }

  /** The registered, waiting or transient peer with this key, or a new transient one; else why not. */
  peerFor(publicKey: Uint8Array, address: PeerAddress): Peer | "bad_key" | "rate_limited" {
    const h = this.host;
    const key = idKey(publicKey);
    const known = h.peersByKey.get(key) ?? this.replacements.get(key) ?? this.transient.get(key);
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

  /**
   * An authenticated OBJECT_RESPONSE from `peer`: true when it answers the peer's challenge (then it
   * is consumed here: a candidate is proven, a probed member shows it is alive).
   */
  takeChallengeAnswer(peer: Peer, content: Uint8Array): boolean {
    const id = peer.challenge;
    if (id === null || content.length < 33 || !idsEqual(content.subarray(1, 33), id)) return false;
    const sentTo = peer.challengeAddress;
    peer.challenge = null;
    peer.challengeAddress = null;
    if (peer.registered || this.replacements.has(peer.key)) return true;
    if (sentTo === null || !sameAddress(sentTo, peer.address)) return true; // answered from elsewhere
    this.stats.proven++;
    this.admit(peer);
    return true;
  }

  /** Evicts registered peers silent for longer than `timeoutMs`, and forgets silent replacements. */
  expire(now: number, timeoutMs: number): void {
    for (const p of [...this.host.peersByKey.values()])
      if (now - p.lastSeen > timeoutMs) this.evict(p, `silent for ${timeoutMs / 1000} s`);
    for (const p of [...this.replacements.values()]) if (now - p.lastSeen > timeoutMs) this.stopWaiting(p);
  }

  /** Forgets transient and waiting peers and cancels probes (the relay stopped). */
  clear(): void {
    this.transient.clear();
    this.replacements.clear();
    for (const p of this.probes.values()) clearTimeout(p.timer);
    this.probes.clear();
  }

  // ---- internals ----

  private challenge(peer: Peer): void {
    peer.challenge = Uint8Array.from(randomBytes(32));
    peer.challengeAddress = { ...peer.address };
    this.stats.challenged++;
    this.host.sendChallenge(peer, peer.challenge);
  }

  /**
   * A proven candidate: registered when its bucket has room and the caps allow; else it waits
   * (when the waiting peers' caps allow), and a full bucket is probed for a silent member.
   */
  private admit(peer: Peer): void {
    const h = this.host;
    const bucket = h.route.bucketIndex(peer.publicKey);
    if (bucket < 0) return;
    const cap = this.overCap(peer, h.peersByKey.values(), 1);
    if (cap === null && h.route.add(peer.publicKey, peer)) {
      this.register(peer);
      return;
    }
    if (cap !== null) {
      this.stats.capped++;
      h.log.info(`peer ${peer.key.slice(0, 16)} from ${peer.address.host} gets no route slot: ${cap}`);
    }
    const waitCap = this.overCap(peer, this.replacements.values(), WAITING_CAP_FACTOR);
    if (waitCap !== null) {
      this.stats.refused++;
      return;
    }
    this.transient.delete(peer.key);
    this.replacements.delete(peer.key);
    this.replacements.set(peer.key, peer);
    if (peer.isValidator) h.validationRoute().add(peer.publicKey, peer);
    if (this.replacements.size > REPLACEMENT_PEERS) {
      const oldest = this.replacements.values().next().value;
      if (oldest !== undefined) this.stopWaiting(oldest);
    }
    if (cap === null) this.probe(bucket);
  }

  /**
   * Why `peer` may not join `group` (as many peers of `group` share its IP as `factor` times
   * maxPeersPerIp allows, or its subnet, maxPeersPerSubnet), or null.
   */
  private overCap(peer: Peer, group: Iterable<Peer>, factor: number): string | null {
    const h = this.host;
    const ipCap = h.maxPeersPerIp * factor;
    const netCap = h.maxPeersPerSubnet * factor;
    if (ipCap <= 0 && netCap <= 0) return null;
    const ip = peer.address.host;
    const net = subnetKey(ip);
    let sameIp = 0;
    let sameNet = 0;
    for (const p of group) {
      if (p === peer) continue;
      if (p.address.host === ip) sameIp++;
      if (subnetKey(p.address.host) === net) sameNet++;
    }
    if (ipCap > 0 && sameIp >= ipCap) return `${sameIp} peers at this IP already`;
    if (netCap > 0 && sameNet >= netCap) return `${sameNet} peers in its subnet already`;
    return null;
  }

  private register(peer: Peer): void {
    const h = this.host;
    peer.registered = true;
    this.transient.delete(peer.key);
    this.replacements.delete(peer.key);
    h.peersByKey.set(peer.key, peer);
    if (peer.isValidator) h.validationRoute().add(peer.publicKey, peer);
    this.stats.registered++;
    h.log.info(`peer ${peer.key.slice(0, 16)} joined from ${peer.address.host}:${peer.address.port}`);
    h.events.emit("peer", peer);
    h.requestRoute(peer);
  }

  /** Kademlia's rule: challenge the bucket's least-recently-seen member (one probe per bucket). */
  private probe(bucket: number): void {
    const h = this.host;
    if (this.probes.has(bucket)) return;
    let oldest: Peer | null = null;
    for (const p of h.route.bucketValues(bucket))
      if (oldest === null || p.lastSeen < oldest.lastSeen) oldest = p;
    if (oldest === null) return;
    const since = Date.now();
    this.stats.probes++;
    h.sendPing(oldest, oldest.address);
    this.challenge(oldest);
    const timer = setTimeout(() => this.settleProbe(bucket), this.probeTimeoutMs);
    timer.unref();
    this.probes.set(bucket, { peer: oldest, since, timer });
  }

  private settleProbe(bucket: number): void {
    const probe = this.probes.get(bucket);
    if (probe === undefined) return;
    this.probes.delete(bucket);
    const p = probe.peer;
    if (p.registered && p.lastSeen < probe.since) {
      this.stats.evictedByProbe++;
      this.evict(p, "did not answer a probe while proven peers waited for its slot");
      return;
    }
    // Answered (it is now recently seen, so the next probe picks another member), or gone meanwhile.
    if (p.registered) this.stats.keptByProbe++;
    else this.fill(bucket);
  }

  /** Gives a free slot of `bucket` to the most recently proven waiting peer that fits it and the caps. */
  private fill(bucket: number): void {
    const h = this.host;
    const waiting = [...this.replacements.values()].reverse();
    for (const p of waiting) {
      if (h.route.bucketIndex(p.publicKey) !== bucket) continue;
      if (this.overCap(p, h.peersByKey.values(), 1) !== null) continue;
      if (h.route.add(p.publicKey, p)) this.register(p);
      return;
    }
  }

  /** Forgets a waiting peer (silent, or pushed out of the waiting list). */
  private stopWaiting(p: Peer): void {
    if (!this.replacements.delete(p.key)) return;
    this.host.validationRoute().remove(p.publicKey);
  }

  /** Removes a registered peer from the peers, both routes, then fills its slot. */
  evict(p: Peer, why: string): void {
    const h = this.host;
    if (!p.registered) return;
    h.peersByKey.delete(p.key);
    h.route.remove(p.publicKey);
    h.validationRoute().remove(p.publicKey);
    p.registered = false;
    h.log.info(`peer ${p.key.slice(0, 16)} evicted (${why})`);
    h.events.emit("peerRemoved", p);
    const bucket = h.route.bucketIndex(p.publicKey);
    if (bucket >= 0) this.fill(bucket);
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
