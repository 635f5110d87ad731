// The relay service: UDP sockets, the incoming queue and its processor, handshakes, pings, routes,
// peer eviction, bootstrap, and the storage protocol (object-exchange.ts) for an AtomStore.
//
// Incoming path (facts §3.5, §3.6): socket handler (size and PoW checks, enqueue) -> processor
// (header, handshake or decrypt, replay check, dispatch by topic). Every failure on that path is a
// counted drop (stats.dropped); nothing a datagram contains can throw out of the socket handler or
// stop the processor. A known peer's address changes only when an authenticated message arrives
// from the new address (the reference also moves it on unauthenticated bytes).

import { createSocket, type RemoteInfo, type Socket } from "node:dgram";
import { lookup } from "node:dns/promises";
import { isIPv4, isIPv6 } from "node:net";
import { performance } from "node:perf_hooks";
import { type Logger, silentLogger } from "../logger.js";
import { ExprDecodeError } from "../machine/errors.js";
import { boolOption, ConfigError, intOption, keyOption, numberOption, stringOption } from "../options.js";
import { idKey, idsEqual } from "../storage/atom-id.js";
import type { AtomNetwork, AtomStore } from "../storage/atom-store.js";
import type { PayloadType } from "../storage/payload-type.js";
import { queuePressure, StorageRequestPricing } from "../storage/pricing.js";
import {
  addressKey,
  isIpLiteral,
  normalizeHost,
  type PeerAddress,
  parseSeed,
  sameAddress,
  socketHost,
} from "./address.js";
import { openBody, sealBody } from "./cipher.js";
import {
  CHACHA_NONCE_BYTES,
  DEFAULT_INCOMING_PORT,
  DEFAULT_SEED,
  MAX_UDP_PAYLOAD,
  POW_NONCE_BYTES,
  PUBLIC_KEY_BYTES,
  Topic,
} from "./constants.js";
import { DecryptionError, MessageDecodeError, RelayNotStartedError } from "./errors.js";
import { RelayEventEmitter, type RelayEvents } from "./events.js";
import { IncomingQueue } from "./incoming-queue.js";
import { ed25519PublicKey, type RelayKeyPair, relayKeyPair, sharedKey } from "./keys.js";
import { decodeMessage, encodeMessage, type RelayMessage } from "./message.js";
import { ObjectExchange } from "./object-exchange.js";
import type { ProviderContact } from "./object-messages.js";
import { Peer } from "./peer.js";
import { decodePing, encodePing } from "./ping.js";
import { addPow, addPowAsync, checkPow } from "./pow.js";
import { KeyedRateLimit, TokenBucket } from "./rate-limit.js";
import { ReplayGuard } from "./replay-guard.js";
import { Route } from "./route.js";
import {
  decodeRouteRequest,
  decodeRouteResponse,
  encodeRouteRequest,
  encodeRouteResponse,
  RouteId,
} from "./route-messages.js";
import { type DropReason, emptyStats, type RelayStats } from "./stats.js";

/** Options named after the seed's config keys (defaults from the seed's table), plus TS-only ones. */
export interface RelayNodeOptions {
  /** X25519 private key (hex or 32 bytes); absent = a fresh random key. */
  relay_secret_key?: string | Uint8Array | null;
  /** Ed25519 private key whose public key is quoted in payment-required replies. */
  relay_payment_secret_key?: string | Uint8Array | null;
  /** Ed25519 private key: joins the validation route (keyed by its public key). */
  validation_secret_key?: string | Uint8Array | null;
  /** Bind an IPv6 dual-stack socket (default false: IPv4). */
  use_ipv6?: boolean;
  /** UDP port to listen on (default 52780; 0 = ephemeral, and the bound port is written back here). */
  incoming_port?: number;
  /** First bootstrap address (default "bootstrap.astreum.org:52780"; null = none). */
  default_seed?: string | null;
  /** More bootstrap addresses, host:port or [ipv6]:port. */
  additional_seeds?: readonly string[];
  /** Seconds without an authenticated message after which a peer is evicted (default 900). */
  peer_timeout?: number;
  /** Seconds between peer-manager rounds (eviction, keepalive pings, bootstrap retry; default 10). */
  peer_timeout_interval?: number;
  /** Seconds between bootstrap attempts while there are no peers (default 30). */
  bootstrap_retry_interval?: number;
  /** Seconds between re-advertisements of the store's advertisement list (default 600). */
  storage_index_interval?: number;
  /** Floor of the storage request price (default 1). */
  storage_request_minimum_price?: number;
  /** Seconds between storage price updates (default 5). */
  storage_request_price_interval?: number;
  /** Bytes served to a peer before the fair-use ratio applies (default 1 MiB). */
  fair_use_limit?: number;
  /** Minimum download/upload ratio past the limit; 0 disables the gate (default 0.5). */
  fair_use_ratio?: number;
  /** Byte cap of the incoming queue; 0 = no cap (default 64 MiB). */
  incoming_queue_size_limit?: number;
  /** Seconds a datagram may wait for room in the queue; 0 = drop at once (default 1). */
  incoming_queue_timeout?: number;

  /** TypeScript-only: the atom store to serve from and fetch into (the relay becomes its network). */
  store?: AtomStore | null;
  /** TypeScript-only: the address to bind (default 0.0.0.0, or :: with use_ipv6). */
  bindAddress?: string;
  /** TypeScript-only: the IPv4 address put in provider contacts (default: discovered, else 127.0.0.1). */
  advertiseAddress?: string;
  /** TypeScript-only: largest datagram sent or accepted (default 65,507; reference nodes read 4,096). */
  maxDatagramSize?: number;
  logger?: Logger;
}

/** PoW difficulties up to this are searched synchronously (≈ 2^12 hashes); higher ones in slices. */
const SYNC_POW_DIFFICULTY = 12;
/** A peer asking for more than this is not sent to (2^24 hashes per datagram is beyond reason). */
const MAX_SEND_DIFFICULTY = 24;
/** Slice of the processor before it yields to the socket (milliseconds). */
const PROCESS_SLICE_MS = 8;
const TRANSIENT_PEERS = 1024;
/** Handshakes/s from new keys the node accepts (bursts up to this many too). */
const NEW_PEER_RATE = 500;
/** Unknown senders/s for which the node derives a shared key (an X25519 operation each). */
const NEW_TRANSIENT_RATE = 2000;
const MAX_ROUTE_RESPONSE_ADDRESSES = 64;
const ROUTE_REQUEST_TTL_MS = 30_000;

export class RelayNode implements AtomNetwork {
  /** The options object given to the constructor; `incoming_port` is rewritten with the bound port. */
  readonly options: RelayNodeOptions;
  readonly keys: RelayKeyPair;
  readonly publicKey: Uint8Array;
  readonly paymentPublicKey: Uint8Array | null;
  private validationKey: Uint8Array | null;
  readonly store: AtomStore | null;
  readonly route: Route<Peer>;
  private validators: Route<Peer>;
  readonly exchange: ObjectExchange;
  readonly pricing: StorageRequestPricing;
  readonly stats: RelayStats = emptyStats();
  readonly log: Logger;

  readonly useIpv6: boolean;
  readonly requestedPort: number;
  readonly defaultSeed: string | null;
  readonly additionalSeeds: readonly string[];
  readonly peerTimeoutMs: number;
  readonly peerTimeoutIntervalMs: number;
  readonly bootstrapRetryMs: number;
  readonly storageIndexMs: number;
  readonly priceIntervalMs: number;
  readonly fairUseLimit: number;
  readonly fairUseRatio: number;
  readonly maxDatagramSize: number;

  /** Announced in pings (consensus sets these). */
  isValidator = false;
  latestBlockHash: Uint8Array | null = null;

  private readonly events: RelayEventEmitter;
  private readonly queue: IncomingQueue;
  private readonly peersByKey = new Map<string, Peer>();
  private readonly transient = new Map<string, Peer>();
  private readonly replay = new ReplayGuard();
  private readonly handshakeReplies = new KeyedRateLimit(1000);
  private readonly unpromptedSends = new KeyedRateLimit(1000);
  private readonly newPeers = new TokenBucket(NEW_PEER_RATE, NEW_PEER_RATE);
  private readonly newTransients = new TokenBucket(NEW_TRANSIENT_RATE, NEW_TRANSIENT_RATE);
  private readonly routeRequests = new Map<string, number>();
  /** host|port of the resolved default seed (a peer there is the default seed). */
  private readonly defaultSeedAddresses = new Set<string>();
  private incoming: Socket | null = null;
  private outgoing: Socket | null = null;
  private port = 0;
  private ownIPv4: string | null = null;
  private connected = false;
  private processingScheduled = false;
  private timers: NodeJS.Timeout[] = [];
  private lastBootstrap = 0;
  private unsubscribeAds: (() => void) | null = null;
  private starting: Promise<void> | null = null;

  constructor(options: RelayNodeOptions = {}) {
    this.options = options;
    this.log = options.logger ?? silentLogger;
    this.keys = relayKeyPair(keyOption(options, "relay_secret_key"));
    this.publicKey = this.keys.publicKey;
    const pay = keyOption(options, "relay_payment_secret_key");
    this.paymentPublicKey = pay === null ? null : ed25519PublicKey(pay);
    const val = keyOption(options, "validation_secret_key");
    this.validationKey = val === null ? null : ed25519PublicKey(val);
    this.useIpv6 = boolOption(options, "use_ipv6", false);
    this.requestedPort = intOption(options, "incoming_port", DEFAULT_INCOMING_PORT);
    if (this.requestedPort > 65_535) throw new ConfigError("incoming_port", `must be at most 65535`);
    if ("default_seeds" in options)
      throw new ConfigError("default_seeds", "no longer supported; use default_seed");
    this.defaultSeed = stringOption(options, "default_seed", DEFAULT_SEED);
    const extra = options.additional_seeds ?? [];
    if (!Array.isArray(extra) || extra.some((s) => typeof s !== "string"))
      throw new ConfigError("additional_seeds", "must be a list of host:port strings");
    this.additionalSeeds = [...extra];
    this.peerTimeoutMs = numberOption(options, "peer_timeout", 900, 0, true) * 1000;
    this.peerTimeoutIntervalMs = numberOption(options, "peer_timeout_interval", 10, 0, true) * 1000;
    this.bootstrapRetryMs = numberOption(options, "bootstrap_retry_interval", 30, 0, true) * 1000;
    this.storageIndexMs = numberOption(options, "storage_index_interval", 600, 0, true) * 1000;
    this.pricing = new StorageRequestPricing(intOption(options, "storage_request_minimum_price", 1));
    this.priceIntervalMs = numberOption(options, "storage_request_price_interval", 5, 0, true) * 1000;
    this.fairUseLimit = intOption(options, "fair_use_limit", 1_048_576);
    this.fairUseRatio = numberOption(options, "fair_use_ratio", 0.5);
    const queueLimit = intOption(options, "incoming_queue_size_limit", 67_108_864);
    const queueTimeout = numberOption(options, "incoming_queue_timeout", 1);
    this.maxDatagramSize = intOption(options, "maxDatagramSize", MAX_UDP_PAYLOAD, 512);
    this.store = options.store ?? null;
    this.events = new RelayEventEmitter(this.log);
    this.queue = new IncomingQueue(queueLimit, queueTimeout * 1000);
    this.route = new Route<Peer>(this.publicKey);
    this.validators = new Route<Peer>(this.validationKey ?? this.publicKey);
    this.exchange = new ObjectExchange({
      publicKey: this.publicKey,
      store: this.store,
      paymentPublicKey: this.paymentPublicKey,
      fairUseLimit: this.fairUseLimit,
      fairUseRatio: this.fairUseRatio,
      maxDatagramSize: this.maxDatagramSize,
      log: this.log,
      storageRequestPrice: () => this.pricing.current,
      ownContact: () => this.ownContact(),
      closestPeer: (id, exclude) => this.closestPeer(id, exclude),
      contactOf: (peer) => contactOf(peer),
      peerForContact: (c) => {
        const p = this.peerFor(c.publicKey, { host: c.host, port: c.port });
        return typeof p === "string" ? null : p;
      },
      sendTopic: (peer, topic, content) => this.sendTopic(peer, topic, content),
      drop: (reason) => this.drop(reason),
    });
  }

  // ---- lifecycle ----

  get isConnected(): boolean {
    return this.connected;
  }

  /** The bound UDP port (0 before start). */
  get incomingPort(): number {
    return this.port;
  }

  get publicKeyHex(): string {
    return idKey(this.publicKey);
  }

  /** Bytes waiting in the incoming queue. */
  get queuedBytes(): number {
    return this.queue.queuedBytes;
  }

  /** The Ed25519 public key of the validation key, or null while this node does not validate. */
  get validationPublicKey(): Uint8Array | null {
    return this.validationKey;
  }

  /**
   * The validation route: the registered peers whose pings say they validate. Every node keeps
   * one (a client forwards transactions to its members); it is keyed by the validation public key,
   * or by the relay key while there is none.
   */
  get validationRoute(): Route<Peer> {
    return this.validators;
  }

  /**
   * Sets (or with null clears) the validation key: the validation route is rebuilt around its
   * public key, keeping its members.
   */
  setValidationKey(secretKey: Uint8Array | null): void {
    this.validationKey = secretKey === null ? null : ed25519PublicKey(secretKey);
    const next = new Route<Peer>(this.validationKey ?? this.publicKey);
    for (const key of this.validators.keys()) next.add(key, this.validators.get(key));
    this.validators = next;
  }

  /** The PoW difficulty this node demands now (from its queue pressure). */
  get difficulty(): number {
    return this.queue.difficulty();
  }

  /**
   * Binds the sockets (writing the bound port back to options.incoming_port), attaches itself to the
   * store as its network, starts the workers and sends bootstrap handshakes. Idempotent.
   */
  async start(): Promise<void> {
    if (this.connected) return;
    this.starting ??= this.open().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private async open(): Promise<void> {
    const type = this.useIpv6 ? "udp6" : "udp4";
    const host = this.options.bindAddress ?? (this.useIpv6 ? "::" : "0.0.0.0");
    const incoming = createSocket({ type, ipv6Only: false, recvBufferSize: 4 << 20 });
    const outgoing = createSocket({ type, ipv6Only: false });
    try {
      await bind(incoming, this.requestedPort, host);
      await bind(outgoing, 0, host);
    } catch (err) {
      incoming.close();
      outgoing.close();
      throw err;
    }
    incoming.on("message", (msg, rinfo) => this.onDatagram(msg, rinfo));
    incoming.on("error", (err) => this.log.warn(`relay incoming socket: ${err.message}`));
    outgoing.on("error", (err) => this.log.warn(`relay outgoing socket: ${err.message}`));
    outgoing.on("message", () => {}); // the outgoing socket is send-only
    this.incoming = incoming;
    this.outgoing = outgoing;
    this.port = incoming.address().port;
    (this.options as { incoming_port?: number }).incoming_port = this.port;
    this.connected = true;
    const own = await this.discoverOwnIPv4();
    if (!this.connected) return; // stopped meanwhile
    this.ownIPv4 = own;
    this.store?.setNetwork(this);
    if (this.store !== null) {
      this.unsubscribeAds = this.store.advertisements.onAdd((batch) => {
        for (const e of batch) this.exchange.advertise(e.atomId, e.payloadType);
      });
    }
    this.every(this.peerTimeoutIntervalMs, () => this.managePeers());
    this.every(this.storageIndexMs, () => this.advertiseAll());
    this.every(this.priceIntervalMs, () => {
      this.pricing.update(queuePressure(this.queue.queuedBytes, this.queue.limit));
    });
    this.log.info(`relay listening on ${host} port ${this.port} as ${this.publicKeyHex}`);
    this.advertiseAll();
    await this.bootstrap();
  }

  /** Stops the workers, closes the sockets and forgets peers and queued messages. Idempotent. */
  async stop(): Promise<void> {
    if (this.starting !== null) await this.starting.catch(() => {});
    if (!this.connected) return;
    this.connected = false;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.unsubscribeAds?.();
    this.unsubscribeAds = null;
    this.store?.setNetwork(null);
    await Promise.all([closeSocket(this.incoming), closeSocket(this.outgoing)]);
    this.incoming = null;
    this.outgoing = null;
    this.queue.clear();
    for (const p of this.peersByKey.values()) {
      p.registered = false;
      this.events.emit("peerRemoved", p);
    }
    this.peersByKey.clear();
    this.transient.clear();
    this.route.clear();
    this.validators.clear();
    this.exchange.clear();
    this.routeRequests.clear();
    this.log.info("relay stopped");
  }

  on<E extends keyof RelayEvents>(event: E, listener: RelayEvents[E]): () => void {
    return this.events.on(event, listener);
  }

  off<E extends keyof RelayEvents>(event: E, listener: RelayEvents[E]): void {
    this.events.off(event, listener);
  }

  // ---- peers ----

  /** Registered peers by hex key. */
  get peers(): ReadonlyMap<string, Peer> {
    return this.peersByKey;
  }

  /** The registered peer with this relay public key, or null. */
  getPeer(publicKey: Uint8Array): Peer | null {
    return this.peersByKey.get(idKey(publicKey)) ?? null;
  }

  /** Sends a handshake to host:port (or a PeerAddress); resolves names. */
  async connectTo(address: string | PeerAddress): Promise<void> {
    this.assertConnected("connectTo");
    const a = typeof address === "string" ? parseSeed(address) : address;
    const host = await this.resolve(a.host);
    if (host !== null) this.sendHandshake({ host, port: a.port });
  }

  /** Sends a ping (our validator flag, difficulty and head) to one peer, or to all registered peers. */
  ping(peer?: Peer): void {
    if (peer !== undefined) this.sendPing(peer, peer.address);
    else for (const p of this.peersByKey.values()) this.sendPing(p, p.address);
  }

  /** Sends a TRANSACTION message (a 32-byte transaction hash) to a peer. */
  sendTransaction(peer: Peer, txHash: Uint8Array): boolean {
    if (txHash.length !== 32) throw new MessageDecodeError("a transaction hash is 32 bytes");
    return this.sendTopic(peer, Topic.TRANSACTION, txHash);
  }

  /** Asks a peer for the members of one of its routes (handshakes follow to each address). */
  requestRoute(peer: Peer, route: RouteId = RouteId.PEER): boolean {
    this.routeRequests.set(peer.key, Date.now());
    return this.sendTopic(peer, Topic.ROUTE_REQUEST, encodeRouteRequest(route));
  }

  // ---- atoms (AtomNetwork) ----

  /** Requests an atom or list from the indexed provider or the closest peer. True when sent. */
  requestAtom(id: Uint8Array, payloadType: PayloadType): boolean {
    if (!this.connected) return false;
    return this.exchange.requestAtom(id, payloadType);
  }

  /** Announces this node as the provider of an atom (index here or OBJECT_PUT to a closer peer). */
  advertise(id: Uint8Array, payloadType: PayloadType): boolean {
    if (!this.connected) return false;
    return this.exchange.advertise(id, payloadType);
  }

  /** The current storage request price (`storage_request_current_price`). */
  get storageRequestPrice(): number {
    return this.pricing.current;
  }

  // ---- the incoming path ----

  private onDatagram(datagram: Buffer, rinfo: RemoteInfo): void {
    try {
      const msg = new Uint8Array(datagram.buffer, datagram.byteOffset, datagram.length);
      this.stats.received++;
      this.stats.receivedBytes += msg.length;
      if (msg.length > this.maxDatagramSize) {
        this.drop("oversized");
        return;
      }
      if (msg.length <= POW_NONCE_BYTES) {
        this.drop("too_short");
        return;
      }
      if (!checkPow(msg, this.queue.difficulty())) {
        this.drop("pow");
        return;
      }
      const from = { host: normalizeHost(rinfo.address), port: rinfo.port };
      const r = this.queue.offer(msg.subarray(POW_NONCE_BYTES), from, msg.length);
      if (r === "full") {
        this.drop("queue_full");
        return;
      }
      this.scheduleProcessing();
    } catch (err) {
      this.drop("internal");
      this.log.error(`relay socket handler: ${(err as Error).message}`);
    }
  }

  private scheduleProcessing(): void {
    if (this.processingScheduled) return;
    this.processingScheduled = true;
    setImmediate(() => this.drain());
  }

  private drain(): void {
    this.processingScheduled = false;
    if (!this.connected) return;
    const until = performance.now() + PROCESS_SLICE_MS;
    for (let item = this.queue.take(); item !== null; item = this.queue.take()) {
      this.stats.processed++;
      try {
        this.handleMessage(item.message, item.from);
      } catch (err) {
        this.drop("internal");
        this.log.error(`relay processor: ${(err as Error).message}`);
      } finally {
        this.stats.dropped.queue_timeout += this.queue.release(item);
      }
      if (performance.now() > until) break;
    }
    if (this.queue.length > 0 || this.queue.waitingCount > 0) this.scheduleProcessing();
  }

  /** One message (without its PoW nonce) from `from` (the datagram's source address). */
  private handleMessage(bytes: Uint8Array, from: PeerAddress): void {
    let m: RelayMessage;
    try {
      m = decodeMessage(bytes);
    } catch {
      this.drop("header");
      return;
    }
    if (m.incomingPort === null) {
      this.log.warn(`dropping message from ${from.host}:${from.port}: missing incoming_port`);
      this.drop("missing_port");
      return;
    }
    if (idsEqual(m.senderPublicKey, this.publicKey)) {
      this.drop("self");
      return;
    }
    const address = { host: from.host, port: m.incomingPort };
    if (m.handshake) {
      this.handleHandshake(m, address);
      return;
    }

    const peer = this.peerFor(m.senderPublicKey, address);
    if (typeof peer === "string") {
      this.drop(peer);
      return;
    }
    let topic: number;
    let content: Uint8Array;
    try {
      ({ topic, content } = openBody(peer.sharedKey, m.body));
    } catch (err) {
      if (!(err instanceof DecryptionError)) {
        this.drop("body");
        return;
      }
      this.drop("decrypt");
      // Maybe the sender lost our shared state: offer a fresh handshake (at most 1/s per address).
      if (this.unpromptedSends.allow(`rekey|${addressKey(address)}`)) this.sendHandshake(address);
      return;
    }
    const nonce = Buffer.from(m.body.buffer, m.body.byteOffset, CHACHA_NONCE_BYTES).toString("latin1");
    if (this.replay.seen(`${nonce}${peer.key.slice(0, 16)}`)) {
      this.drop("replay");
      return;
    }
    peer.lastSeen = Date.now();
    peer.totalNetworkDownload += bytes.length + POW_NONCE_BYTES;
    if (!sameAddress(peer.address, address)) {
      if (peer.registered)
        this.log.info(`peer ${peer.key.slice(0, 16)} moved to ${address.host}:${address.port}`);
      peer.address = address;
    }
    this.stats.accepted++;
    try {
      this.dispatch(peer, topic, content);
    } catch (err) {
      if (err instanceof MessageDecodeError || err instanceof ExprDecodeError) {
        this.drop("content");
        return;
      }
      throw err;
    }
  }

  private dispatch(peer: Peer, topic: number, content: Uint8Array): void {
    switch (topic) {
      case Topic.PING: {
        this.handlePing(peer, content);
        return;
      }
      case Topic.OBJECT_REQUEST: {
        this.exchange.onRequest(peer, content);
        return;
      }
      case Topic.OBJECT_RESPONSE: {
        this.exchange.onResponse(peer, content);
        return;
      }
      case Topic.ROUTE_REQUEST: {
        this.handleRouteRequest(peer, content);
        return;
      }
      case Topic.ROUTE_RESPONSE: {
        this.handleRouteResponse(peer, content);
        return;
      }
      case Topic.TRANSACTION:
        if (content.length !== 32) {
          this.drop("content");
          return;
        }
        this.events.emit("transaction", Uint8Array.from(content), peer);
        return;
      default: {
        this.drop("content");
        return;
      }
    }
  }

  private handleHandshake(m: RelayMessage, address: PeerAddress): void {
    const key = idKey(m.senderPublicKey);
    const known = this.peersByKey.get(key);
    if (known !== undefined) {
      // Unauthenticated: answer at the claimed address, but move the peer only on an
      // authenticated message from there.
      this.stats.accepted++;
      if (!this.handshakeReplies.allow(key)) return;
      this.sendHandshake(address);
      this.sendPing(known, address);
      return;
    }
    if (!this.newPeers.take()) {
      this.drop("rate_limited");
      return;
    }
    let peer = this.transient.get(key);
    if (peer === undefined) {
      try {
        peer = new Peer(m.senderPublicKey, sharedKey(this.keys.privateKey, m.senderPublicKey), address);
      } catch {
        this.drop("bad_key");
        return;
      }
    }
    peer.address = address;
    peer.lastSeen = Date.now();
    peer.isDefaultSeed = this.defaultSeedAddresses.has(addressKey(address));
    this.stats.accepted++;
    if (this.route.add(peer.publicKey, peer)) {
      peer.registered = true;
      this.transient.delete(key);
      this.peersByKey.set(key, peer);
      this.log.info(`peer ${key.slice(0, 16)} joined from ${address.host}:${address.port}`);
      this.events.emit("peer", peer);
    } else this.rememberTransient(peer);
    if (this.handshakeReplies.allow(key)) this.sendHandshake(address);
    this.sendPing(peer, address);
    if (peer.registered) this.requestRoute(peer);
  }

  private handlePing(peer: Peer, content: Uint8Array): void {
    const ping = decodePing(content);
    peer.difficulty = ping.difficulty;
    peer.latestBlockHash = ping.latestBlockHash;
    peer.isValidator = ping.isValidator;
    if (peer.registered) {
      if (ping.isValidator) this.validators.add(peer.publicKey, peer);
      else this.validators.remove(peer.publicKey);
    }
    this.events.emit("ping", peer, ping);
  }

  private handleRouteRequest(peer: Peer, content: Uint8Array): void {
    const id = decodeRouteRequest(content);
    const route = id === RouteId.PEER ? this.route : this.validators;
    if (route === null) {
      this.drop("content");
      return;
    }
    const members = route.closestPerBucket(
      peer.publicKey,
      (key, p) => p?.registered === true && !idsEqual(key, peer.publicKey),
    );
    const family = isIPv4(peer.address.host) ? 4 : 6;
    const body = encodeRouteResponse(
      members.map((m) => m.value!.address),
      family,
    );
    this.sendTopic(peer, Topic.ROUTE_RESPONSE, body);
  }

  private handleRouteResponse(peer: Peer, content: Uint8Array): void {
    const asked = this.routeRequests.get(peer.key);
    if (asked === undefined || Date.now() - asked > ROUTE_REQUEST_TTL_MS) {
      this.drop("unsolicited");
      return;
    }
    this.routeRequests.delete(peer.key);
    const addresses = decodeRouteResponse(content, isIPv4(peer.address.host) ? 4 : 6);
    const known = new Set([...this.peersByKey.values()].map((p) => addressKey(p.address)));
    let n = 0;
    for (const a of addresses) {
      if (n >= MAX_ROUTE_RESPONSE_ADDRESSES) break;
      if (known.has(addressKey(a)) || this.isOwnAddress(a)) continue;
      if (!this.useIpv6 && !isIPv4(a.host)) continue;
      if (!this.unpromptedSends.allow(`route|${addressKey(a)}`)) continue;
      this.sendHandshake(a);
      n++;
    }
  }

  // ---- sending ----

  /** Encrypts `content` under `topic` for `peer` and sends it to the peer's address. */
  sendTopic(peer: Peer, topic: Topic, content: Uint8Array, address: PeerAddress = peer.address): boolean {
    if (!this.connected) return false;
    const message = encodeMessage({
      handshake: false,
      senderPublicKey: this.publicKey,
      incomingPort: this.port,
      body: sealBody(peer.sharedKey, topic, content),
    });
    if (!this.sendMessage(address, message, peer.difficulty)) return false;
    peer.totalNetworkUpload += message.length + POW_NONCE_BYTES;
    return true;
  }

  private sendHandshake(address: PeerAddress): boolean {
    const message = encodeMessage({
      handshake: true,
      senderPublicKey: this.publicKey,
      incomingPort: this.port,
      body: new Uint8Array(0),
    });
    return this.sendMessage(address, message, 1);
  }

  private sendPing(peer: Peer, address: PeerAddress): void {
    const ping = encodePing({
      isValidator: this.isValidator,
      difficulty: this.queue.difficulty(),
      latestBlockHash: this.latestBlockHash,
    });
    if (this.sendTopic(peer, Topic.PING, ping, address)) peer.lastPingSent = Date.now();
  }

  private sendMessage(address: PeerAddress, message: Uint8Array, difficulty: number): boolean {
    if (this.outgoing === null || message.length + POW_NONCE_BYTES > this.maxDatagramSize) {
      this.stats.sendFailures++;
      if (this.outgoing !== null)
        this.log.warn(
          `not sending a ${message.length + POW_NONCE_BYTES}-byte datagram (max ${this.maxDatagramSize})`,
        );
      return false;
    }
    if (difficulty > MAX_SEND_DIFFICULTY) {
      this.stats.sendFailures++;
      this.log.warn(`not sending to ${address.host}:${address.port}: it asks PoW difficulty ${difficulty}`);
      return false;
    }
    if (difficulty <= SYNC_POW_DIFFICULTY) this.transmit(address, addPow(message, difficulty));
    else
      addPowAsync(message, difficulty).then(
        (d) => this.transmit(address, d),
        () => {
          this.stats.sendFailures++;
        },
      );
    return true;
  }

  private transmit(address: PeerAddress, datagram: Uint8Array): void {
    const socket = this.outgoing;
    if (socket === null) return;
    try {
      socket.send(datagram, address.port, socketHost(address.host, this.useIpv6), (err) => {
        if (err) this.stats.sendFailures++;
      });
      this.stats.sent++;
      this.stats.sentBytes += datagram.length;
    } catch {
      this.stats.sendFailures++;
    }
  }

  // ---- workers ----

  private every(ms: number, fn: () => void): void {
    const t = setInterval(() => {
      if (!this.connected) return;
      try {
        fn();
      } catch (err) {
        this.log.error(`relay worker: ${(err as Error).message}`);
      }
    }, ms);
    t.unref();
    this.timers.push(t);
  }

  /** Evicts silent peers, pings peers not pinged lately, retries bootstrap when alone. */
  private managePeers(): void {
    const now = Date.now();
    for (const p of [...this.peersByKey.values()]) {
      if (now - p.lastSeen > this.peerTimeoutMs) {
        this.removePeer(p);
        continue;
      }
      if (now - p.lastPingSent > this.peerTimeoutMs / 3) this.sendPing(p, p.address);
    }
    this.stats.dropped.queue_timeout += this.queue.admitWaiting();
    this.exchange.prune(now);
    for (const [k, t] of this.routeRequests) if (now - t > ROUTE_REQUEST_TTL_MS) this.routeRequests.delete(k);
    if (this.peersByKey.size === 0 && now - this.lastBootstrap >= this.bootstrapRetryMs)
      this.bootstrap().catch((err: unknown) => this.log.warn(`bootstrap: ${(err as Error).message}`));
  }

  private removePeer(p: Peer): void {
    this.peersByKey.delete(p.key);
    this.route.remove(p.publicKey);
    this.validators.remove(p.publicKey);
    p.registered = false;
    this.log.info(`peer ${p.key.slice(0, 16)} evicted (silent for ${this.peerTimeoutMs / 1000} s)`);
    this.events.emit("peerRemoved", p);
  }

  /** Drops expired advertisements and announces the live ones. */
  advertiseAll(): number {
    const store = this.store;
    if (store === null || !this.connected) return 0;
    store.advertisements.expire();
    let sent = 0;
    for (const e of store.advertisements.live()) if (this.exchange.advertise(e.atomId, e.payloadType)) sent++;
    return sent;
  }

  /** Sends handshakes to default_seed and additional_seeds (invalid entries are logged and skipped). */
  async bootstrap(): Promise<void> {
    if (!this.connected) return;
    this.lastBootstrap = Date.now();
    const seeds = [...(this.defaultSeed === null ? [] : [this.defaultSeed]), ...this.additionalSeeds];
    for (const [i, text] of seeds.entries()) {
      let a: PeerAddress;
      try {
        a = parseSeed(text);
      } catch (err) {
        this.log.warn(`skipping bootstrap address: ${(err as Error).message}`);
        continue;
      }
      const host = await this.resolve(a.host);
      if (host === null || !this.connected) continue;
      if (i === 0 && this.defaultSeed !== null)
        this.defaultSeedAddresses.add(addressKey({ host, port: a.port }));
      this.sendHandshake({ host, port: a.port });
    }
  }

  // ---- helpers ----

  /** The registered or transient peer with this key, or a new transient one; else why not. */
  private peerFor(publicKey: Uint8Array, address: PeerAddress): Peer | "bad_key" | "rate_limited" {
    const key = idKey(publicKey);
    const known = this.peersByKey.get(key) ?? this.transient.get(key);
    if (known !== undefined) return known;
    if (publicKey.length !== PUBLIC_KEY_BYTES || idsEqual(publicKey, this.publicKey)) return "bad_key";
    if (!this.newTransients.take()) return "rate_limited";
    let shared: Uint8Array;
    try {
      shared = sharedKey(this.keys.privateKey, publicKey);
    } catch {
      return "bad_key";
    }
    const peer = new Peer(publicKey, shared, address);
    this.rememberTransient(peer);
    return peer;
  }

  private rememberTransient(peer: Peer): void {
    this.transient.delete(peer.key);
    this.transient.set(peer.key, peer);
    if (this.transient.size > TRANSIENT_PEERS) {
      const oldest = this.transient.keys().next().value;
      if (oldest !== undefined) this.transient.delete(oldest);
    }
  }

  private closestPeer(id: Uint8Array, exclude?: Peer | ReadonlySet<string>): Peer | null {
    const skip =
      exclude === undefined
        ? null
        : exclude instanceof Peer
          ? (key: Uint8Array) => idsEqual(key, exclude.publicKey)
          : (key: Uint8Array) => exclude.has(idKey(key));
    const best = this.route.closest(id, (key, p) => p !== undefined && (skip === null || !skip(key)));
    return best?.value ?? null;
  }

  private ownContact(): ProviderContact | null {
    if (this.ownIPv4 === null || this.port === 0) return null;
    return { publicKey: this.publicKey, host: this.ownIPv4, port: this.port };
  }

  private isOwnAddress(a: PeerAddress): boolean {
    return a.port === this.port && (a.host === this.ownIPv4 || a.host === "127.0.0.1" || a.host === "::1");
  }

  private drop(reason: DropReason): void {
    this.stats.dropped[reason]++;
  }

  private async resolve(host: string): Promise<string | null> {
    if (isIpLiteral(host)) return normalizeHost(host);
    try {
      const r = await withTimeout(lookup(host, { family: this.useIpv6 ? 0 : 4 }), 5000);
      return normalizeHost(r.address);
    } catch (err) {
      this.log.warn(`cannot resolve ${host}: ${(err as Error).message}`);
      return null;
    }
  }

  /** The IPv4 address for provider contacts: configured, bound, or the route to the first seed. */
  private async discoverOwnIPv4(): Promise<string | null> {
    const configured = this.options.advertiseAddress;
    if (configured !== undefined) {
      if (isIPv4(configured)) return configured;
      this.log.warn(`advertiseAddress ${configured} is not IPv4; provider contacts need one`);
      return null;
    }
    const bound = this.options.bindAddress;
    if (bound !== undefined && isIPv4(bound) && bound !== "0.0.0.0") return bound;
    if (bound !== undefined && isIPv6(bound) && bound !== "::") return null; // IPv6 only: no IPv4 contact
    const seeds = [...(this.defaultSeed === null ? [] : [this.defaultSeed]), ...this.additionalSeeds];
    for (const text of seeds) {
      try {
        const a = parseSeed(text);
        const host = isIpLiteral(a.host)
          ? a.host
          : (await withTimeout(lookup(a.host, { family: 4 }), 2000)).address;
        if (!isIPv4(host)) continue;
        const local = await localAddressToward(host, a.port);
        if (local !== null) return local;
      } catch {
        // try the next seed
      }
    }
    return "127.0.0.1";
  }

  private assertConnected(what: string): void {
    if (!this.connected) throw new RelayNotStartedError(what);
  }
}

function contactOf(peer: Peer): ProviderContact | null {
  if (!isIPv4(peer.address.host)) return null;
  return { publicKey: peer.publicKey, host: peer.address.host, port: peer.address.port };
}

function bind(socket: Socket, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    socket.once("error", onError);
    socket.bind(port, host, () => {
      socket.off("error", onError);
      resolve();
    });
  });
}

function closeSocket(socket: Socket | null): Promise<void> {
  if (socket === null) return Promise.resolve();
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve();
    }
  });
}

/** The local IPv4 address a UDP socket would send from toward host:port (no packet is sent). */
function localAddressToward(host: string, port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const s = createSocket("udp4");
    s.on("error", () => {
      s.close();
      resolve(null);
    });
    s.connect(port, host, () => {
      try {
        const a = s.address().address;
        s.close();
        resolve(a === "0.0.0.0" ? null : a);
      } catch {
        s.close();
        resolve(null);
      }
    });
  });
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    t.unref();
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
