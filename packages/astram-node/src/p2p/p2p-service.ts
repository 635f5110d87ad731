import { randomBytes } from "node:crypto";
import { createServer, isIP, connect as netConnect, type Server, type Socket } from "node:net";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { bytesToHex, FEATURES, type HandshakeInfo, negotiatedFeatures, type P2pMessage } from "astram-core";
import type { Logger } from "pino";
import type { AstramNode, PeerSummary } from "../node.js";
import { AddressBook, type AddressSource } from "./address-book.js";
import { AddressGossip } from "./address-gossip.js";
import {
  type Endpoint,
  formatEndpoint,
  isLoopback,
  normalizeIp,
  parseEndpoint,
  subnet16,
} from "./addresses.js";
import { BanList } from "./ban-list.js";
import { ChainSync } from "./chain-sync.js";
import { connectionRefusal } from "./connection-policy.js";
import type { P2pContext } from "./context.js";
import { DiscoveryClient } from "./discovery.js";
import { P2P_LIMITS, type P2pLimits } from "./limits.js";
import { type Direction, Peer } from "./peer.js";
import type { AddressEntry, BanEntry, PeerControl, PeerDetails } from "./peer-control.js";
import { Relay } from "./relay.js";

export const SOFTWARE_VERSION = "0.1.0";

const SESSION_PREFIX = "session:";

/** What this node announces in its handshake: the original protocol's features, then extensions. */
const OUR_FEATURES: readonly string[] = ["blocks", "transactions", "headers", ...Object.values(FEATURES)];

export interface P2pOptions {
  readonly limits?: Partial<P2pLimits>;
  /** Dial configured peers and keep outbound slots filled (tests may turn it off). */
  readonly autoConnect?: boolean;
}

/**
 * The P2P network service: a TCP listener and outbound dialer with the seed's peer-safety limits,
 * the Handshake exchange (protocol version, network id and chain id must match), relay by
 * Inv/GetData/Block/Tx, headers-first sync with parallel block download, Ping/Pong keepalive,
 * ban scores and temporary bans, and peer discovery from config, the peers file and the DNS server.
 */
export class P2pService implements P2pContext, PeerControl {
  readonly name = "p2p";
  readonly limits: P2pLimits;
  private server: Server | undefined;
  private readonly peersById = new Map<string, Peer>();
  private readonly banList: BanList;
  readonly book: AddressBook;
  private readonly session = bytesToHex(randomBytes(8));
  private readonly selfEndpoints = new Set<string>();
  private readonly sync: ChainSync;
  private readonly relay: Relay;
  private readonly gossip: AddressGossip;
  private readonly discovery: DiscoveryClient | undefined;
  private readonly dialing = new Set<string>();
  private timers: NodeJS.Timeout[] = [];
  private boundPort = 0;
  private lastFeelerAt = Date.now();
  private running = false;
  readonly log: Logger;

  constructor(
    readonly node: AstramNode,
    private readonly opts: P2pOptions = {},
  ) {
    this.limits = { ...P2P_LIMITS, ...opts.limits };
    this.log = node.log.child({ service: "p2p" });
    this.book = new AddressBook(join(node.settings.dataDir, "peers.json"));
    this.banList = new BanList(join(node.settings.dataDir, "bans.json"));
    this.sync = new ChainSync(this);
    this.relay = new Relay(this, this.sync);
    this.gossip = new AddressGossip(this);
    const s = node.settings;
    this.discovery = s.dnsServerUrl
      ? new DiscoveryClient(s.dnsServerUrl, this.log, s.allowPrivatePeers)
      : undefined;
  }

  /** The port the listener is bound to (useful with port 0). */
  get port(): number {
    return this.boundPort;
  }

  get peerCount(): number {
    return this.ready().length;
  }

  async start(): Promise<void> {
    const s = this.node.settings;
    this.sync.start();
    this.server = createServer((socket) => this.onInbound(socket));
    this.server.maxConnections = this.limits.maxInbound + 16;
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(s.p2pPort, s.p2pBindAddr, () => {
        this.server!.off("error", reject);
        resolve();
      });
    });
    const addr = this.server.address();
    this.boundPort = typeof addr === "object" && addr ? addr.port : s.p2pPort;
    this.running = true;
    this.node.peers = () => this.summaries();
    this.node.syncProgress = () => this.sync.syncProgress();
    this.node.on("block", this.relay.onNodeBlock);
    this.node.on("tx", this.relay.onNodeTx);
    for (const p of s.bootstrapPeers) {
      try {
        this.book.add(parseEndpoint(p), "config");
      } catch (e) {
        this.log.warn({ peer: p, err: (e as Error).message }, "ignoring bad BOOTSTRAP_PEERS entry");
      }
    }
    const fromFile = this.loadFile("peers.json", () => this.book.load());
    const banned = this.loadFile("bans.json", () => this.banList.load());
    this.log.info(
      { port: this.boundPort, bind: s.p2pBindAddr, known: this.book.size, fromFile, banned },
      "P2P listening",
    );
    const every = (ms: number, fn: () => void) => this.timers.push(setInterval(fn, ms).unref());
    every(1000, () => this.maintain());
    every(this.limits.headerSyncIntervalMs, () => this.sync.periodic());
    every(this.limits.pingIntervalMs, () => this.keepalive());
    every(60_000, () => this.saveAddressBook());
    if (this.discovery) {
      const register = () =>
        s.dnsRegister
          ? this.discovery!.register(this.advertisedPort, SOFTWARE_VERSION, this.node.chain.height + 1)
          : Promise.resolve(false);
      const discover = async () => {
        await register();
        const found = await this.discovery!.candidates(10, (e) => this.isSelfCandidate(e));
        for (const c of found) this.book.add(c.endpoint, "dns");
        this.log.info({ candidates: found.length }, "discovery candidates ranked");
      };
      void discover();
      every(300_000, () => void register());
      every(600_000, () => void discover());
    }
    if (this.opts.autoConnect !== false) this.maintain();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.node.off("block", this.relay.onNodeBlock);
    this.node.off("tx", this.relay.onNodeTx);
    this.relay.stop();
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    for (const p of [...this.peersById.values()]) p.close("shutting down");
    await this.sync.stop(); // blocks already downloaded are still accepted
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.saveAddressBook();
  }

  /** Reads one of the node's P2P files; a corrupt one is reported and left for the next save to replace. */
  private loadFile(name: string, load: () => number): number {
    try {
      return load();
    } catch (e) {
      this.log.warn(
        { file: name, err: (e as Error).message },
        "ignoring a corrupt file in the data directory",
      );
      return 0;
    }
  }

  private saveAddressBook(): void {
    try {
      this.book.save();
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, "cannot save peers file");
    }
  }

  // ---- connections ----

  ready(): Peer[] {
    return [...this.peersById.values()].filter((p) => p.handshakeDone && !p.isClosed);
  }

  summaries(): PeerSummary[] {
    // Peers still in the handshake are not shown: they have no height or version yet.
    return this.ready().map((p) => ({
      id: p.id,
      address: formatEndpoint(p.listenEndpoint ?? p.remote),
      direction: p.direction,
      height: p.height,
      version: p.info?.softwareVersion ?? "",
      connectedAt: p.connectedAt,
      banScore: p.banScore,
    }));
  }

  /** Why a connection with `ip` must not be made, or undefined when it may (`extra` outbound slots allowed). */
  private refusal(ip: string, direction: Direction, extra = 0): string | undefined {
    const limits =
      extra === 0 ? this.limits : { ...this.limits, maxOutbound: this.limits.maxOutbound + extra };
    return connectionRefusal(ip, direction, [...this.peersById.values()], limits, {
      banned: this.banList.isBanned(ip),
      allowPrivate: this.node.settings.allowPrivatePeers,
    });
  }

  private onInbound(socket: Socket): void {
    const ip = normalizeIp(socket.remoteAddress ?? "");
    const why = this.refusal(ip, "inbound");
    if (why) {
      this.log.debug({ ip, why }, "refused inbound connection");
      socket.destroy();
      return;
    }
    this.register(new Peer(socket, "inbound", undefined));
  }

  /** Dials a peer (respecting every limit). Resolves with the peer once connected, or undefined. */
  connect(endpoint: Endpoint, source: AddressSource = "manual", feeler = false): Promise<Peer | undefined> {
    const key = formatEndpoint(endpoint);
    this.book.add(endpoint, source);
    if (this.isSelf(endpoint) || this.dialing.has(key) || this.isConnectedTo(endpoint))
      return Promise.resolve(undefined);
    const why = this.refusal(endpoint.host, "outbound", feeler ? 1 : 0);
    if (why) {
      this.log.debug({ peer: key, why }, "not dialling");
      return Promise.resolve(undefined);
    }
    this.dialing.add(key);
    this.book.markAttempt(endpoint);
    return new Promise((resolve) => {
      const socket = netConnect({
        host: endpoint.host,
        port: endpoint.port,
        ...this.sourceAddress(endpoint),
      });
      const timer = setTimeout(() => socket.destroy(new Error("connect timeout")), 10_000);
      socket.once("connect", () => {
        clearTimeout(timer);
        this.dialing.delete(key);
        if (!this.running) {
          socket.destroy();
          resolve(undefined);
          return;
        }
        const peer = new Peer(socket, "outbound", endpoint);
        peer.feeler = feeler;
        this.register(peer);
        resolve(peer);
      });
      socket.once("error", (e) => {
        clearTimeout(timer);
        this.dialing.delete(key);
        this.book.markFailure(endpoint);
        this.log.debug({ peer: key, err: e.message }, "dial failed");
        resolve(undefined);
      });
    });
  }

  /**
   * Outbound connections leave from the P2P bind address when it is a specific one, so that peers
   * see the address this node listens on (several nodes on one host, each on its own address).
   */
  private sourceAddress(to: Endpoint): { localAddress?: string } {
    const bind = normalizeIp(this.node.settings.p2pBindAddr);
    if (bind === "0.0.0.0" || bind === "::" || isIP(bind) !== isIP(to.host)) return {};
    return { localAddress: bind };
  }

  /** The port peers should dial: the advertised one when configured, else the bound one. */
  get advertisedPort(): number {
    return this.node.settings.p2pAdvertisePort || this.boundPort;
  }

  private isConnectedTo(e: Endpoint): boolean {
    const key = formatEndpoint(e);
    for (const p of this.peersById.values()) {
      const l = p.listenEndpoint;
      if (l && formatEndpoint(l) === key) return true;
    }
    return false;
  }

  isSelf(e: Endpoint): boolean {
    return this.selfEndpoints.has(formatEndpoint(e));
  }

  /** A discovered endpoint that is this node: our port on our public or a local address. */
  private isSelfCandidate(e: Endpoint): boolean {
    if (this.isSelf(e)) return true;
    if (e.port !== this.boundPort && e.port !== this.advertisedPort) return false;
    if (e.host === this.discovery?.publicAddress || isLoopback(e.host)) return true;
    return Object.values(networkInterfaces()).some((list) =>
      list?.some((i) => normalizeIp(i.address) === e.host),
    );
  }

  private register(peer: Peer): void {
    this.peersById.set(peer.id, peer);
    peer.on("message", (m) => this.onMessage(peer, m));
    peer.on("misbehave", (score, why) => this.misbehave(peer, score, why));
    peer.on("close", (reason) => this.onClose(peer, reason));
    peer.send({ type: "Handshake", info: this.handshakeInfo() });
    const timer = setTimeout(() => {
      if (!peer.handshakeDone) peer.close(`no handshake within ${this.limits.handshakeTimeoutMs / 1000} s`);
    }, this.limits.handshakeTimeoutMs);
    timer.unref();
    peer.once("close", () => clearTimeout(timer));
  }

  private onClose(peer: Peer, reason: string): void {
    this.peersById.delete(peer.id);
    this.sync.peerGone(peer);
    if (peer.handshakeDone) this.log.info({ peer: peer.id, reason }, "peer disconnected");
    else this.log.debug({ peer: peer.id, reason }, "connection closed before handshake");
  }

  private handshakeInfo(): HandshakeInfo {
    return {
      protocolVersion: this.node.params.protocolVersion,
      softwareVersion: SOFTWARE_VERSION,
      supportedFeatures: [...OUR_FEATURES, SESSION_PREFIX + this.session],
      networkId: this.node.params.networkId,
      chainId: this.node.params.chainId,
      height: this.node.chain.height + 1,
      listeningPort: this.advertisedPort,
    };
  }

  /** Adds to a peer's ban score; at the threshold it is dropped and its IP refused for a while. */
  misbehave(peer: Peer, score: number, why: string): void {
    if (score <= 0) return;
    peer.banScore += score;
    this.log.warn({ peer: peer.id, score, total: peer.banScore, why }, "peer misbehaved");
    if (peer.banScore >= this.limits.banThreshold) {
      if (!isLoopback(peer.remote.host) || this.node.settings.allowPrivatePeers)
        this.saveBan(peer.remote.host, this.limits.banDurationMs, why);
      this.log.warn({ peer: peer.id, ip: peer.remote.host, why }, "peer banned");
      peer.close(`banned: ${why}`);
    }
  }

  private saveBan(ip: string, durationMs: number, reason: string): void {
    try {
      this.banList.ban(ip, durationMs, reason);
    } catch (e) {
      this.log.error(
        { ip, err: (e as Error).message },
        "cannot save bans.json (the ban holds until restart)",
      );
    }
  }

  isBanned(ip: string): boolean {
    return this.banList.isBanned(normalizeIp(ip));
  }

  // ---- operator control (PeerControl; the admin interface calls these) ----

  /** Bans an IP (its peers are disconnected at once); persisted in bans.json. */
  ban(ip: string, durationMs = this.limits.banDurationMs, reason = "banned by the operator"): void {
    const host = normalizeIp(ip);
    if (isIP(host) === 0) throw new TypeError(`not an IP address: "${ip}"`);
    if (!(durationMs > 0)) throw new RangeError("ban duration must be positive");
    this.saveBan(host, durationMs, reason);
    this.log.warn({ ip: host, until: new Date(Date.now() + durationMs).toISOString(), reason }, "IP banned");
    for (const p of this.peersById.values()) if (p.remote.host === host) p.close("banned");
  }

  unban(ip: string): boolean {
    const lifted = this.banList.unban(normalizeIp(ip));
    if (lifted) this.log.info({ ip: normalizeIp(ip) }, "ban lifted");
    return lifted;
  }

  clearBans(): number {
    const n = this.banList.clear();
    this.log.info({ lifted: n }, "all bans lifted");
    return n;
  }

  bans(): BanEntry[] {
    return this.banList.list();
  }

  addresses(): AddressEntry[] {
    return this.book.list();
  }

  peerDetails(): PeerDetails[] {
    return [...this.peersById.values()].map((p) => ({
      id: p.id,
      address: formatEndpoint(p.listenEndpoint ?? p.remote),
      remote: formatEndpoint(p.remote),
      direction: p.direction,
      handshakeDone: p.handshakeDone,
      height: p.height,
      banScore: p.banScore,
      bytesSent: p.bytesSent,
      bytesReceived: p.bytesReceived,
      pingMs: p.pingMs,
      features: [...p.features],
      version: p.info?.softwareVersion ?? "",
      connectedAt: p.connectedAt,
      lastMessageAt: p.lastMessageAt,
    }));
  }

  async addPeer(address: string): Promise<{ connected: boolean; reason?: string }> {
    const e = parseEndpoint(address);
    if (this.isConnectedTo(e)) return { connected: true, reason: "already connected" };
    const why = this.refusal(e.host, "outbound");
    if (why) {
      this.book.add(e, "manual");
      return { connected: false, reason: why };
    }
    const peer = await this.connect(e, "manual");
    return peer ? { connected: true } : { connected: false, reason: "connection failed" };
  }

  removePeer(address: string): boolean {
    const e = parseEndpoint(address);
    const known = this.book.remove(e);
    const dropped = this.disconnect(formatEndpoint(e));
    return known || dropped > 0;
  }

  disconnect(target: string): number {
    const t = target.trim();
    let n = 0;
    for (const p of [...this.peersById.values()]) {
      const listen = p.listenEndpoint ? formatEndpoint(p.listenEndpoint) : undefined;
      if (p.id === t || listen === t || formatEndpoint(p.remote) === t || p.remote.host === normalizeIp(t)) {
        p.close("disconnected by the operator");
        n++;
      }
    }
    return n;
  }

  // ---- messages ----

  private onMessage(peer: Peer, m: P2pMessage): void {
    switch (m.type) {
      case "Handshake":
      case "HandshakeAck":
        this.onHandshake(peer, m.info, m.type === "Handshake");
        return;
      case "Version":
        peer.height = Math.max(peer.height, m.height);
        peer.send({ type: "VerAck" });
        return;
      case "VerAck":
        return;
      case "Pong":
        if (peer.pendingPing?.nonce === m.nonce) {
          peer.pingMs = Date.now() - peer.pendingPing.at;
          peer.pendingPing = undefined;
        }
        return;
      case "GetAddr":
        this.gossip.onGetAddr(peer);
        return;
      case "Addr":
        this.gossip.onAddr(peer, m.addresses);
        return;
      case "Ping":
        peer.send({ type: "Pong", nonce: m.nonce });
        return;
      case "GetHeaders":
        this.sync.serveHeaders(peer, m.locatorHashes, m.stopHash);
        return;
      case "Headers":
        this.sync.onHeaders(peer, m.headers);
        return;
      case "Inv":
        this.relay.onInv(peer, m.objectType, m.hashes);
        return;
      case "GetData":
        this.relay.serveData(peer, m.objectType, m.hashes);
        return;
      case "Block":
        this.sync.onBlock(peer, m.block);
        return;
      case "Tx":
        this.relay.onTx(peer, m.tx);
        return;
    }
  }

  private onHandshake(peer: Peer, info: HandshakeInfo, isRequest: boolean): void {
    const p = this.node.params;
    if (
      info.protocolVersion !== p.protocolVersion ||
      info.networkId !== p.networkId ||
      info.chainId !== p.chainId
    ) {
      this.log.info(
        { peer: peer.id, network: info.networkId, chain: info.chainId, protocol: info.protocolVersion },
        "peer on another network",
      );
      peer.close("different protocol version, network id or chain id");
      return;
    }
    const session = info.supportedFeatures
      .find((f) => f.startsWith(SESSION_PREFIX))
      ?.slice(SESSION_PREFIX.length);
    if (session === this.session) {
      if (peer.dialed) this.selfEndpoints.add(formatEndpoint(peer.dialed));
      if (peer.dialed) this.book.remove(peer.dialed);
      peer.close("connected to ourselves");
      return;
    }
    if (
      session &&
      [...this.peersById.values()].some((o) => o !== peer && o.handshakeDone && o.session === session)
    ) {
      peer.close("already connected to this node");
      return;
    }
    peer.info = info;
    peer.session = session;
    peer.features = negotiatedFeatures(OUR_FEATURES, info.supportedFeatures);
    peer.height = Math.max(peer.height, info.height);
    if (isRequest) peer.send({ type: "HandshakeAck", info: this.handshakeInfo() });
    if (peer.handshakeDone) return;
    peer.completeHandshake();
    const listen = peer.listenEndpoint;
    if (listen) {
      if (!this.book.has(listen)) this.book.add(listen, peer.direction === "outbound" ? "manual" : "inbound");
      this.book.markSuccess(listen);
    }
    this.log.info(
      { peer: peer.id, direction: peer.direction, height: info.height, version: info.softwareVersion },
      "peer connected",
    );
    this.sync.onPeerReady(peer);
    this.gossip.onPeerReady(peer);
    if (peer.feeler) {
      this.sync.requestHeaders(peer);
      // It stays while we still fetch a better chain from it.
      let t: NodeJS.Timeout;
      const expire = () => {
        if (this.sync.dependsOn(peer)) t = setTimeout(expire, this.limits.feelerLifetimeMs).unref();
        else peer.close("feeler connection done");
      };
      t = setTimeout(expire, this.limits.feelerLifetimeMs).unref();
      peer.once("close", () => clearTimeout(t));
    }
  }

  /** True while the node is catching up with its peers. */
  isSyncing(): boolean {
    return this.sync.isSyncing();
  }

  // ---- timers ----

  private maintain(): void {
    if (!this.running) return;
    this.sync.maintain();
    if (this.opts.autoConnect === false) return;
    const outbound =
      [...this.peersById.values()].filter((p) => p.direction === "outbound").length + this.dialing.size;
    const free = this.limits.maxOutbound - outbound;
    const feelerDue = Date.now() - this.lastFeelerAt >= this.limits.feelerIntervalMs;
    if (free <= 0 && !feelerDue) return;
    const connected16 = new Set(this.ready().map((p) => subnet16(p.remote.host)));
    const candidates = this.book.candidates(
      (e) =>
        this.isSelf(e) ||
        this.isConnectedTo(e) ||
        this.dialing.has(formatEndpoint(e)) ||
        this.banList.isBanned(e.host),
      connected16,
    );
    if (free > 0) {
      for (const e of candidates.slice(0, free)) void this.connect(e);
      return;
    }
    // Outbound slots full: now and then one extra short-lived connection to an address we are not
    // connected to (a /16 we lack first). Its headers reveal a better chain that our peers do not
    // carry (a healed partition, an eclipse), and it lasts feelerLifetimeMs (Bitcoin Core's feeler
    // and extra block-relay connections).
    this.lastFeelerAt = Date.now();
    const pick = candidates[0];
    if (pick && !this.ready().some((p) => p.feeler)) void this.connect(pick, "file", true);
  }

  private keepalive(): void {
    const now = Date.now();
    for (const p of this.ready()) {
      if (now - p.lastMessageAt > this.limits.pingTimeoutMs) {
        p.close("no response to keepalive pings");
        continue;
      }
      const nonce = BigInt(now);
      p.pendingPing ??= { nonce, at: now };
      p.send({ type: "Ping", nonce: p.pendingPing.nonce });
    }
  }
}
