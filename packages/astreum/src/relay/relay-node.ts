// The relay service: options, lifecycle (sockets, workers), the public API the node and consensus
// use, and the wiring of its parts: the incoming path (datagram-intake.ts), peer admission
// (peer-admission.ts), routes (route-protocol.ts), the storage protocol for an AtomStore
// (object-exchange.ts), bootstrap (bootstrap.ts) and the outgoing path (datagram-sender.ts).
// Authenticated messages come back here to be dispatched by topic.

import { createSocket, type Socket } from "node:dgram";
import { isIPv4, isIPv6 } from "node:net";
import { type Logger, silentLogger } from "../logger.js";
import {
  boolOption,
  ConfigError,
  intOption,
  keyOption,
  numberOption,
  rejectUnknownKeys,
} from "../options.js";
import { idKey, idsEqual } from "../storage/atom-id.js";
import type { AtomNetwork, AtomStore } from "../storage/atom-store.js";
import { PayloadType } from "../storage/payload-type.js";
import { queuePressure, StorageRequestPricing } from "../storage/pricing.js";
import { type PeerAddress, parseSeed, seedList, seedOption } from "./address.js";
import { Bootstrap } from "./bootstrap.js";
import { sealBody } from "./cipher.js";
import {
  DEFAULT_INCOMING_PORT,
  DEFAULT_MAX_PEERS_PER_IP,
  DEFAULT_MAX_PEERS_PER_SUBNET,
  DEFAULT_SEED,
  MAX_UDP_PAYLOAD,
  POW_NONCE_BYTES,
  Topic,
} from "./constants.js";
import { DatagramIntake } from "./datagram-intake.js";
import { DatagramSender } from "./datagram-sender.js";
import { resolveHost } from "./dns-lookup.js";
import { MessageDecodeError, RelayNotStartedError } from "./errors.js";
import { RelayEventEmitter, type RelayEvents } from "./events.js";
import { IncomingQueue } from "./incoming-queue.js";
import { ed25519PublicKey, type RelayKeyPair, relayKeyPair } from "./keys.js";
import { encodeMessage } from "./message.js";
import { ObjectExchange } from "./object-exchange.js";
import { encodeObjectRequest, ObjectRequestCode, type ProviderContact } from "./object-messages.js";
import { discoverOwnIPv4 } from "./own-address.js";
import { Peer } from "./peer.js";
import { type AdmissionStats, PeerAdmission } from "./peer-admission.js";
import { decodePing, encodePing } from "./ping.js";
import { KeyedRateLimit } from "./rate-limit.js";
import { Route } from "./route.js";
import { RouteId } from "./route-messages.js";
import { RouteProtocol } from "./route-protocol.js";
import { type DropReason, emptyStats, type RelayStats } from "./stats.js";
import { bindSocket, closeSocket } from "./udp-sockets.js";

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
  /**
   * TypeScript-only: addresses (host:port) of peers known from an earlier run; handshaked at start
   * and on bootstrap retries, like the seeds (the node fills it from its saved state).
   */
  knownPeers?: readonly string[];
  /** TypeScript-only: registered peers per IP address (default 8; 0 = no cap; waiting peers: 4 times as many). */
  maxPeersPerIp?: number;
  /** TypeScript-only: the same per /24 (IPv4) or /64 (IPv6) network (default 32; 0 = no cap). */
  maxPeersPerSubnet?: number;
  logger?: Logger;
}

/** After start, seeds and known peers that did not join are handshaked again after these delays. */
const EARLY_RETRIES_MS = [1000, 2000, 4000];

/** Every key RelayNode takes (others are refused with a ConfigError naming them). */
const RELAY_OPTION_KEYS: ReadonlySet<string> = new Set([
  "relay_secret_key",
  "relay_payment_secret_key",
  "validation_secret_key",
  "use_ipv6",
  "incoming_port",
  "default_seed",
  "default_seeds",
  "additional_seeds",
  "peer_timeout",
  "peer_timeout_interval",
  "bootstrap_retry_interval",
  "storage_index_interval",
  "storage_request_minimum_price",
  "storage_request_price_interval",
  "fair_use_limit",
  "fair_use_ratio",
  "incoming_queue_size_limit",
  "incoming_queue_timeout",
  "store",
  "bindAddress",
  "advertiseAddress",
  "maxDatagramSize",
  "knownPeers",
  "maxPeersPerIp",
  "maxPeersPerSubnet",
  "logger",
]);

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
  readonly knownPeers: readonly string[];
  readonly maxPeersPerIp: number;
  readonly maxPeersPerSubnet: number;
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
  /** Sends no authenticated message asked for (re-key and route handshakes): at most 1/s per key. */
  private readonly unpromptedSends = new KeyedRateLimit(1000);
  private readonly intake: DatagramIntake;
  private readonly admission: PeerAdmission;
  private readonly routes: RouteProtocol;
  private readonly bootstrapper: Bootstrap;
  private readonly sender: DatagramSender;
  private incoming: Socket | null = null;
  private port = 0;
  private ownIPv4: string | null = null;
  private connected = false;
  private timers: NodeJS.Timeout[] = [];
  private unsubscribeAds: (() => void) | null = null;
  private starting: Promise<void> | null = null;

  constructor(options: RelayNodeOptions = {}) {
    rejectUnknownKeys(options, RELAY_OPTION_KEYS, "RelayNode option");
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
    this.defaultSeed = seedOption("default_seed", options.default_seed, DEFAULT_SEED);
    this.additionalSeeds = seedList("additional_seeds", options.additional_seeds);
    this.knownPeers = seedList("knownPeers", options.knownPeers);
    this.maxPeersPerIp = intOption(options, "maxPeersPerIp", DEFAULT_MAX_PEERS_PER_IP);
    this.maxPeersPerSubnet = intOption(options, "maxPeersPerSubnet", DEFAULT_MAX_PEERS_PER_SUBNET);
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
    this.sender = new DatagramSender(this.stats, this.log, this.maxDatagramSize, this.useIpv6);
    const drop = (reason: DropReason): void => this.drop(reason);
    const sendHandshake = (address: PeerAddress): boolean => this.sendHandshake(address);
    this.bootstrapper = new Bootstrap({
      defaultSeed: this.defaultSeed,
      additionalSeeds: this.additionalSeeds,
      knownPeers: this.knownPeers,
      log: this.log,
      isConnected: () => this.connected,
      resolve: (host) => resolveHost(host, this.useIpv6, this.log),
      sendHandshake,
    });
    this.admission = new PeerAdmission({
      keys: this.keys,
      publicKey: this.publicKey,
      route: this.route,
      peersByKey: this.peersByKey,
      stats: this.stats,
      log: this.log,
      events: this.events,
      maxPeersPerIp: this.maxPeersPerIp,
      maxPeersPerSubnet: this.maxPeersPerSubnet,
      validationRoute: () => this.validators,
      isDefaultSeed: (address) => this.bootstrapper.isDefaultSeed(address),
      sendHandshake,
      sendPing: (peer, address) => this.sendPing(peer, address),
      sendChallenge: (peer, id) =>
        this.sendTopic(
          peer,
          Topic.OBJECT_REQUEST,
          encodeObjectRequest({
            code: ObjectRequestCode.GET,
            atomId: id,
            payloadType: PayloadType.ATOM,
            data: new Uint8Array(0),
          }),
        ),
      requestRoute: (peer) => this.requestRoute(peer),
      drop,
    });
    this.routes = new RouteProtocol({
      route: this.route,
      validationRoute: () => this.validators,
      peers: this.peersByKey,
      useIpv6: this.useIpv6,
      unpromptedSends: this.unpromptedSends,
      isOwnAddress: (a) => this.isOwnAddress(a),
      sendTopic: (peer, topic, content) => this.sendTopic(peer, topic, content),
      sendHandshake,
      drop,
    });
    this.intake = new DatagramIntake(
      {
        publicKey: this.publicKey,
        maxDatagramSize: this.maxDatagramSize,
        stats: this.stats,
        log: this.log,
        unpromptedSends: this.unpromptedSends,
        isConnected: () => this.connected,
        peerFor: (publicKey, address) => this.admission.peerFor(publicKey, address),
        onHandshake: (m, address) => this.admission.onHandshake(m, address),
        sendHandshake,
        dispatch: (peer, topic, content) => this.dispatch(peer, topic, content),
        drop,
      },
      this.queue,
    );
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
      isReachable: (peer) => this.isProven(peer),
      peerForContact: (c) => {
        const p = this.admission.peerFor(c.publicKey, { host: c.host, port: c.port });
        return typeof p === "string" ? null : p;
      },
      sendTopic: (peer, topic, content) => this.sendTopic(peer, topic, content),
      drop,
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
      await bindSocket(incoming, this.requestedPort, host);
      await bindSocket(outgoing, 0, host);
    } catch (err) {
      incoming.close();
      outgoing.close();
      throw err;
    }
    incoming.on("message", (msg, rinfo) => this.intake.onDatagram(msg, rinfo));
    incoming.on("error", (err) => this.log.warn(`relay incoming socket: ${err.message}`));
    outgoing.on("error", (err) => this.log.warn(`relay outgoing socket: ${err.message}`));
    outgoing.on("message", () => {}); // the outgoing socket is send-only
    this.incoming = incoming;
    this.sender.socket = outgoing;
    this.port = incoming.address().port;
    (this.options as { incoming_port?: number }).incoming_port = this.port;
    this.connected = true;
    const own = await discoverOwnIPv4({
      advertiseAddress: this.options.advertiseAddress,
      bindAddress: this.options.bindAddress,
      seeds: this.bootstrapper.seeds,
      log: this.log,
    });
    if (!this.connected) return; // stopped meanwhile
    this.ownIPv4 = own;
    this.store?.setNetwork(this);
    if (this.store !== null) {
      this.unsubscribeAds = this.store.advertisements.onAdd((batch) => {
        for (const e of batch) this.exchange.advertise(e.atomId, e.payloadType);
      });
    }
    this.every(this.peerTimeoutIntervalMs, () => this.managePeers());
    this.every(this.bootstrapRetryMs, () => this.retryBootstrap());
    this.every(this.storageIndexMs, () => this.advertiseAll());
    this.every(this.priceIntervalMs, () => {
      this.pricing.update(queuePressure(this.queue.queuedBytes, this.queue.limit));
    });
    this.log.info(`relay listening on ${host} port ${this.port} as ${this.publicKeyHex}`);
    this.events.emit("listening", this.port);
    this.advertiseAll();
    await this.bootstrap();
    // A handshake or its answer may be lost (UDP), or reach a peer not ready yet: seeds and known
    // peers that did not join are asked again after 1, 2 and 4 s, then every
    // bootstrap_retry_interval while there is no peer at all.
    for (const ms of EARLY_RETRIES_MS) {
      const t = setTimeout(() => {
        if (this.connected) this.bootstrapper.run((a) => this.hasPeerAt(a)).catch(() => {});
      }, ms);
      t.unref();
      this.timers.push(t);
    }
  }

  /** Stops the workers, closes the sockets and forgets peers and queued messages. Idempotent. */
  async stop(): Promise<void> {
    if (this.starting !== null) await this.starting.catch(() => {});
    if (!this.connected) return;
    this.connected = false;
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    this.unsubscribeAds?.();
    this.unsubscribeAds = null;
    this.store?.setNetwork(null);
    await Promise.all([closeSocket(this.incoming), closeSocket(this.sender.socket)]);
    this.incoming = null;
    this.sender.socket = null;
    this.queue.clear();
    for (const p of this.peersByKey.values()) {
      p.registered = false;
      this.events.emit("peerRemoved", p);
    }
    this.peersByKey.clear();
    this.admission.clear();
    this.route.clear();
    this.validators.clear();
    this.exchange.clear();
    this.routes.clear();
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

  /**
   * Every proven peer: the registered ones, then those waiting for a route slot (their bucket is
   * full, or a diversity cap keeps them out). Pings go to all of them, and the node follows all of
   * their heads.
   */
  *provenPeers(): IterableIterator<Peer> {
    yield* this.peersByKey.values();
    yield* this.admission.replacementPeers;
  }

  /** True for a registered peer or one waiting for a route slot (it answered our challenge). */
  isProven(peer: Peer): boolean {
    return peer.registered || this.admission.isWaiting(peer);
  }

  /** Counters of peer admission: challenges, proofs, registrations, caps and probes. */
  get admissionStats(): Readonly<AdmissionStats> {
    return this.admission.stats;
  }

  /** Addresses (host:port) of the registered peers, most recently seen first, at most `max`. */
  peerAddresses(max = 64): string[] {
    return [...this.peersByKey.values()]
      .sort((a, b) => b.lastSeen - a.lastSeen)
      .slice(0, max)
      .map((p) =>
        isIPv6(p.address.host)
          ? `[${p.address.host}]:${p.address.port}`
          : `${p.address.host}:${p.address.port}`,
      );
  }

  /** The registered peer with this relay public key, or null. */
  getPeer(publicKey: Uint8Array): Peer | null {
    return this.peersByKey.get(idKey(publicKey)) ?? null;
  }

  /** Sends a handshake to host:port (or a PeerAddress); resolves names. */
  async connectTo(address: string | PeerAddress): Promise<void> {
    this.assertConnected("connectTo");
    const a = typeof address === "string" ? parseSeed(address) : address;
    const host = await resolveHost(a.host, this.useIpv6, this.log);
    if (host !== null) this.sendHandshake({ host, port: a.port });
  }

  /** Sends a ping (our validator flag, difficulty and head) to one peer, or to every proven peer. */
  ping(peer?: Peer): void {
    if (peer !== undefined) this.sendPing(peer, peer.address);
    else for (const p of this.provenPeers()) this.sendPing(p, p.address);
  }

  /** Sends a TRANSACTION message (a 32-byte transaction hash) to a peer. */
  sendTransaction(peer: Peer, txHash: Uint8Array): boolean {
    if (txHash.length !== 32) throw new MessageDecodeError("a transaction hash is 32 bytes");
    return this.sendTopic(peer, Topic.TRANSACTION, txHash);
  }

  /** Asks a peer for the members of one of its routes (handshakes follow to each address). */
  requestRoute(peer: Peer, route: RouteId = RouteId.PEER): boolean {
    return this.routes.request(peer, route);
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

  // ---- authenticated messages, by topic ----

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
        if (this.admission.takeChallengeAnswer(peer, content)) return;
        this.exchange.onResponse(peer, content);
        return;
      }
      case Topic.ROUTE_REQUEST: {
        this.routes.onRequest(peer, content);
        return;
      }
      case Topic.ROUTE_RESPONSE: {
        this.routes.onResponse(peer, content);
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

  private handlePing(peer: Peer, content: Uint8Array): void {
    const ping = decodePing(content);
    peer.difficulty = ping.difficulty;
    peer.latestBlockHash = ping.latestBlockHash;
    peer.isValidator = ping.isValidator;
    if (this.isProven(peer)) {
      if (ping.isValidator) this.validators.add(peer.publicKey, peer);
      else this.validators.remove(peer.publicKey);
    }
    this.events.emit("ping", peer, ping);
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
    if (!this.sender.send(address, message, peer.difficulty)) return false;
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
    return this.sender.send(address, message, 1);
  }

  private sendPing(peer: Peer, address: PeerAddress): void {
    const ping = encodePing({
      isValidator: this.isValidator,
      difficulty: this.queue.difficulty(),
      latestBlockHash: this.latestBlockHash,
    });
    if (this.sendTopic(peer, Topic.PING, ping, address)) peer.lastPingSent = Date.now();
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

  /** Evicts silent peers and pings peers not pinged lately. */
  private managePeers(): void {
    const now = Date.now();
    this.admission.expire(now, this.peerTimeoutMs);
    for (const p of this.peersByKey.values())
      if (now - p.lastPingSent > this.peerTimeoutMs / 3) this.sendPing(p, p.address);
    this.stats.dropped.queue_timeout += this.queue.admitWaiting();
    this.exchange.prune(now);
    this.routes.prune(now);
  }

  /** Every bootstrap_retry_interval: handshakes to the seeds and known peers again while alone. */
  private retryBootstrap(): void {
    if (this.peersByKey.size > 0) return;
    this.bootstrap().catch((err: unknown) => this.log.warn(`bootstrap: ${(err as Error).message}`));
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

  /** Sends handshakes to default_seed, additional_seeds and the known peers. */
  async bootstrap(): Promise<void> {
    return this.bootstrapper.run();
  }

  // ---- helpers ----

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

  /** True when a proven peer listens at `a`. */
  private hasPeerAt(a: PeerAddress): boolean {
    for (const p of this.provenPeers())
      if (p.address.port === a.port && p.address.host === a.host) return true;
    return false;
  }

  private isOwnAddress(a: PeerAddress): boolean {
    return a.port === this.port && (a.host === this.ownIPv4 || a.host === "127.0.0.1" || a.host === "::1");
  }

  private drop(reason: DropReason): void {
    this.stats.dropped[reason]++;
  }

  private assertConnected(what: string): void {
    if (!this.connected) throw new RelayNotStartedError(what);
  }
}

function contactOf(peer: Peer): ProviderContact | null {
  if (!isIPv4(peer.address.host)) return null;
  return { publicKey: peer.publicKey, host: peer.address.host, port: peer.address.port };
}
