import { randomBytes } from "node:crypto";
import { createServer, connect as netConnect, type Server, type Socket } from "node:net";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import {
  type Block,
  type BlockHeader,
  blockHeaderHash,
  bytesToHex,
  encodeP2pMessage,
  type HandshakeInfo,
  hexToBytes,
  InventoryType,
  type P2pMessage,
  type Transaction,
  VerifyError,
} from "astram-core";
import type { Logger } from "pino";
import type { AcceptResult } from "../chain/chainstate.js";
import type { AstramNode, PeerSummary, Source } from "../node.js";
import { AddressBook, type AddressSource } from "./address-book.js";
import {
  type Endpoint,
  formatEndpoint,
  isLoopback,
  isPrivate,
  normalizeIp,
  parseEndpoint,
  subnet16,
  subnet24,
} from "./addresses.js";
import { BanList } from "./ban-list.js";
import { BlockDownloader } from "./block-downloader.js";
import { DiscoveryClient } from "./discovery.js";
import { HeaderTree } from "./header-tree.js";
import { P2P_LIMITS, type P2pLimits } from "./limits.js";
import { type Direction, Peer } from "./peer.js";

export const SOFTWARE_VERSION = "0.1.0";

/** A view of node.chain resolved on each use (the chainstate is created when the node starts). */
function lazyChain(node: AstramNode): AstramNode["chain"] {
  return new Proxy({} as AstramNode["chain"], {
    get: (_t, k) => {
      const v = Reflect.get(node.chain, k, node.chain);
      return typeof v === "function" ? v.bind(node.chain) : v;
    },
  });
}
const SESSION_PREFIX = "session:";

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
export class P2pService {
  readonly name = "p2p";
  readonly limits: P2pLimits;
  private server: Server | undefined;
  private readonly peersById = new Map<string, Peer>();
  private readonly bans = new BanList();
  private readonly book: AddressBook;
  private readonly session = bytesToHex(randomBytes(8));
  private readonly selfEndpoints = new Set<string>();
  private readonly headers: HeaderTree;
  private readonly downloader: BlockDownloader;
  private readonly discovery: DiscoveryClient | undefined;
  private readonly dialing = new Set<string>();
  private timers: NodeJS.Timeout[] = [];
  private boundPort = 0;
  private running = false;
  private lastProgressLog = 0;
  private readonly log: Logger;

  constructor(
    private readonly node: AstramNode,
    private readonly opts: P2pOptions = {},
  ) {
    this.limits = { ...P2P_LIMITS, ...opts.limits };
    this.log = node.log.child({ service: "p2p" });
    this.book = new AddressBook(join(node.settings.dataDir, "peers.json"));
    this.headers = new HeaderTree(
      // The chainstate exists once the node has started; services start after it.
      lazyChain(node),
      node.params,
      node.now,
    );
    this.downloader = new BlockDownloader(
      this.limits,
      (peer, hashes) =>
        peer.send({ type: "GetData", objectType: InventoryType.Block, hashes: hashes.map(hexToBytes) }),
      (hash) => this.node.chain.hasBlock(hash),
    );
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
    this.node.on("block", this.onNodeBlock);
    this.node.on("tx", this.onNodeTx);
    for (const p of s.bootstrapPeers) {
      try {
        this.book.add(parseEndpoint(p), "config");
      } catch (e) {
        this.log.warn({ peer: p, err: (e as Error).message }, "ignoring bad BOOTSTRAP_PEERS entry");
      }
    }
    const fromFile = this.book.load();
    this.log.info(
      { port: this.boundPort, bind: s.p2pBindAddr, known: this.book.size, fromFile },
      "P2P listening",
    );
    const every = (ms: number, fn: () => void) => this.timers.push(setInterval(fn, ms).unref());
    every(1000, () => this.maintain());
    every(this.limits.headerSyncIntervalMs, () => this.periodicHeaderSync());
    every(this.limits.pingIntervalMs, () => this.keepalive());
    every(60_000, () => this.saveAddressBook());
    if (this.discovery) {
      const register = () =>
        s.dnsRegister
          ? this.discovery!.register(this.boundPort, SOFTWARE_VERSION, this.node.chain.height + 1)
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
    this.node.off("block", this.onNodeBlock);
    this.node.off("tx", this.onNodeTx);
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    for (const p of [...this.peersById.values()]) p.close("shutting down");
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.saveAddressBook();
  }

  private saveAddressBook(): void {
    try {
      this.book.save();
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, "cannot save peers file");
    }
  }

  // ---- connections ----

  private ready(): Peer[] {
    return [...this.peersById.values()].filter((p) => p.handshakeDone && !p.isClosed);
  }

  summaries(): PeerSummary[] {
    return [...this.peersById.values()].map((p) => ({
      id: p.id,
      address: formatEndpoint(p.listenEndpoint ?? p.remote),
      direction: p.direction,
      height: p.height,
      version: p.info?.softwareVersion ?? "",
      connectedAt: p.connectedAt,
      banScore: p.banScore,
    }));
  }

  /** Why a connection with `ip` must not be made, or undefined when it may. */
  private refusal(ip: string, direction: Direction): string | undefined {
    if (this.bans.isBanned(ip)) return "banned";
    if (!this.node.settings.allowPrivatePeers && isPrivate(ip)) return "private or loopback address";
    const peers = [...this.peersById.values()];
    const outbound = peers.filter((p) => p.direction === "outbound").length;
    const inbound = peers.length - outbound;
    if (direction === "outbound" && outbound >= this.limits.maxOutbound) return "outbound slots full";
    if (direction === "inbound" && inbound >= this.limits.maxInbound) return "inbound slots full";
    if (peers.filter((p) => p.remote.host === ip).length >= this.limits.maxPerIp)
      return `more than ${this.limits.maxPerIp} connections from ${ip}`;
    const others24 = new Set(
      peers
        .filter((p) => p.remote.host !== ip && subnet24(p.remote.host) === subnet24(ip))
        .map((p) => p.remote.host),
    );
    if (others24.size >= this.limits.maxPer24)
      return `subnet ${subnet24(ip)} already has ${others24.size} peers`;
    const others16 = new Set(
      peers
        .filter((p) => p.remote.host !== ip && subnet16(p.remote.host) === subnet16(ip))
        .map((p) => p.remote.host),
    );
    if (others16.size >= this.limits.maxPer16)
      return `subnet ${subnet16(ip)} already has ${others16.size} peers`;
    return undefined;
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
  connect(endpoint: Endpoint, source: AddressSource = "manual"): Promise<Peer | undefined> {
    const key = formatEndpoint(endpoint);
    this.book.add(endpoint, source);
    if (this.isSelf(endpoint) || this.dialing.has(key) || this.isConnectedTo(endpoint))
      return Promise.resolve(undefined);
    const why = this.refusal(endpoint.host, "outbound");
    if (why) {
      this.log.debug({ peer: key, why }, "not dialling");
      return Promise.resolve(undefined);
    }
    this.dialing.add(key);
    this.book.markAttempt(endpoint);
    return new Promise((resolve) => {
      const socket = netConnect({ host: endpoint.host, port: endpoint.port });
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

  private isConnectedTo(e: Endpoint): boolean {
    const key = formatEndpoint(e);
    for (const p of this.peersById.values()) {
      const l = p.listenEndpoint;
      if (l && formatEndpoint(l) === key) return true;
    }
    return false;
  }

  private isSelf(e: Endpoint): boolean {
    return this.selfEndpoints.has(formatEndpoint(e));
  }

  /** A discovered endpoint that is this node: our port on our public or a local address. */
  private isSelfCandidate(e: Endpoint): boolean {
    if (this.isSelf(e)) return true;
    if (e.port !== this.boundPort) return false;
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
    this.downloader.peerGone(peer);
    if (peer.handshakeDone) this.log.info({ peer: peer.id, reason }, "peer disconnected");
    else this.log.debug({ peer: peer.id, reason }, "connection closed before handshake");
  }

  private handshakeInfo(): HandshakeInfo {
    return {
      protocolVersion: this.node.params.protocolVersion,
      softwareVersion: SOFTWARE_VERSION,
      supportedFeatures: ["blocks", "transactions", "headers", SESSION_PREFIX + this.session],
      networkId: this.node.params.networkId,
      chainId: this.node.params.chainId,
      height: this.node.chain.height + 1,
      listeningPort: this.boundPort,
    };
  }

  /** Adds to a peer's ban score; at the threshold it is dropped and its IP refused for a while. */
  misbehave(peer: Peer, score: number, why: string): void {
    if (score <= 0) return;
    peer.banScore += score;
    this.log.warn({ peer: peer.id, score, total: peer.banScore, why }, "peer misbehaved");
    if (peer.banScore >= this.limits.banThreshold) {
      if (!isLoopback(peer.remote.host) || this.node.settings.allowPrivatePeers)
        this.bans.ban(peer.remote.host, this.limits.banDurationMs);
      this.log.warn({ peer: peer.id, ip: peer.remote.host }, "peer banned");
      peer.close(`banned: ${why}`);
    }
  }

  /** Bans an IP directly (operator action and tests). */
  ban(ip: string, durationMs = this.limits.banDurationMs): void {
    this.bans.ban(normalizeIp(ip), durationMs);
    for (const p of this.peersById.values()) if (p.remote.host === normalizeIp(ip)) p.close("banned");
  }

  isBanned(ip: string): boolean {
    return this.bans.isBanned(normalizeIp(ip));
  }

  // ---- messages ----

  private onMessage(peer: Peer, m: P2pMessage): void {
    if (
      !peer.handshakeDone &&
      !["Handshake", "HandshakeAck", "Version", "VerAck", "Ping", "Pong"].includes(m.type)
    ) {
      this.misbehave(peer, 10, `${m.type} before the handshake`);
      return;
    }
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
      case "Pong":
        return;
      case "Ping":
        peer.send({ type: "Pong", nonce: m.nonce });
        return;
      case "GetHeaders":
        this.serveHeaders(peer, m.locatorHashes, m.stopHash);
        return;
      case "Headers":
        this.onHeaders(peer, m.headers);
        return;
      case "Inv":
        this.onInv(peer, m.objectType, m.hashes);
        return;
      case "GetData":
        this.serveData(peer, m.objectType, m.hashes);
        return;
      case "Block":
        this.onBlock(peer, m.block);
        return;
      case "Tx":
        this.onTx(peer, m.tx);
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
    peer.height = Math.max(peer.height, info.height);
    if (isRequest) peer.send({ type: "HandshakeAck", info: this.handshakeInfo() });
    if (peer.handshakeDone) return;
    peer.handshakeDone = true;
    const listen = peer.listenEndpoint;
    if (listen) {
      this.book.add(listen, peer.direction === "outbound" ? "manual" : "inbound");
      this.book.markSuccess(listen);
    }
    this.log.info(
      { peer: peer.id, direction: peer.direction, height: info.height, version: info.softwareVersion },
      "peer connected",
    );
    if (peer.height > this.node.chain.height + 1) this.requestHeaders(peer);
  }

  private requestHeaders(peer: Peer): void {
    const locator = this.node.chain.locator().map(hexToBytes);
    peer.send({ type: "GetHeaders", locatorHashes: locator });
  }

  private serveHeaders(peer: Peer, locator: readonly Uint8Array[], stop: Uint8Array | undefined): void {
    if (locator.length > 500) {
      this.misbehave(peer, 20, "oversized locator");
      return;
    }
    const chain = this.node.chain;
    let start = 0;
    for (const raw of locator) {
      const e = raw.length === 32 ? chain.getEntry(bytesToHex(raw)) : undefined;
      if (e && chain.isOnBestChain(e)) {
        start = e.height + 1;
        break;
      }
    }
    const stopHash = stop && stop.length === 32 ? bytesToHex(stop) : undefined;
    const headers = [];
    for (let h = start; h <= chain.height && headers.length < this.limits.maxHeadersPerMessage; h++) {
      const e = chain.atHeight(h)!;
      headers.push(e.header);
      if (e.hash === stopHash) break;
    }
    peer.send({ type: "Headers", headers });
  }

  private onHeaders(peer: Peer, headers: readonly BlockHeader[]): void {
    if (headers.length > this.limits.maxHeadersPerMessage) {
      this.misbehave(peer, 50, "too many headers");
      return;
    }
    if (headers.length === 0) return;
    let fresh: string[];
    try {
      fresh = this.headers.add(headers);
    } catch (e) {
      if (!(e instanceof VerifyError)) throw e;
      this.misbehave(peer, e.action.kind === "ban" ? e.action.score : 0, `invalid header: ${e.code}`);
      return;
    }
    const last = headers[headers.length - 1]!;
    const lastHeight = last.index + 1;
    peer.height = Math.max(peer.height, lastHeight);
    const firstKnown = this.headers.height(headers[0]!.previousHash) !== undefined;
    if (!firstKnown) {
      // The peer's headers do not connect to what we know: ask again from our locator.
      this.requestHeaders(peer);
      return;
    }
    for (const h of fresh) this.downloader.want(h, this.headers.height(h)!);
    if (headers.length >= this.limits.maxHeadersPerMessage) {
      peer.send({ type: "GetHeaders", locatorHashes: [hexToBytes(blockHeaderHash(last))] });
    }
    this.downloader.schedule(this.ready());
    this.progress();
  }

  private onInv(peer: Peer, type: InventoryType, hashes: readonly Uint8Array[]): void {
    if (hashes.length > this.limits.maxInventoryItems) {
      this.misbehave(peer, 20, `Inv of ${hashes.length} items`);
      return;
    }
    const wanted: Uint8Array[] = [];
    if (type === InventoryType.Block) {
      for (const raw of hashes) {
        if (raw.length !== 32) continue;
        const hash = bytesToHex(raw);
        peer.knownInventory.add(hash);
        if (!this.node.chain.hasBlock(hash) && !this.downloader.isInFlight(hash)) wanted.push(raw);
      }
      // Only announcements of blocks we lack count: they are the ones that cost us a download.
      // Over the limit they are ignored (the periodic header sync still finds real blocks);
      // a peer far over it is flooding and is scored.
      const count = wanted.length > 0 ? peer.announcements.add(wanted.length) : 0;
      if (count > this.limits.blockAnnouncementsPerMinute) {
        if (count > 3 * this.limits.blockAnnouncementsPerMinute)
          this.misbehave(peer, 20, `${count} block announcements in a minute`);
        return;
      }
      if (wanted.length > 0) {
        // Learn the header chain first when we are behind; otherwise fetch the new block directly.
        for (const raw of wanted) this.downloader.markRequested(bytesToHex(raw), peer);
        peer.send({ type: "GetData", objectType: InventoryType.Block, hashes: wanted });
      }
    } else if (type === InventoryType.Transaction) {
      for (const raw of hashes) {
        if (raw.length !== 32) continue;
        const txid = bytesToHex(raw);
        peer.knownInventory.add(txid);
        if (!this.node.mempool.has(txid) && !this.node.store.hasTransaction(txid)) wanted.push(raw);
      }
      if (wanted.length > 0)
        peer.send({ type: "GetData", objectType: InventoryType.Transaction, hashes: wanted });
    }
  }

  private serveData(peer: Peer, type: InventoryType, hashes: readonly Uint8Array[]): void {
    if (hashes.length > this.limits.maxInventoryItems) {
      this.misbehave(peer, 20, `GetData of ${hashes.length} items`);
      return;
    }
    for (const raw of hashes) {
      if (raw.length !== 32) continue;
      const hash = bytesToHex(raw);
      if (type === InventoryType.Block) {
        const bytes = this.node.store.getBlockBytes(hash);
        if (!bytes) continue;
        // The stored bytes are the bincode Block: prefix the Block variant index (8).
        const payload = new Uint8Array(bytes.length + 1);
        payload[0] = 8;
        payload.set(bytes, 1);
        peer.knownInventory.add(hash);
        peer.sendPayload(payload);
      } else if (type === InventoryType.Transaction) {
        const entry = this.node.mempool.get(hash);
        if (entry) {
          peer.knownInventory.add(hash);
          peer.send({ type: "Tx", tx: entry.tx });
        }
      }
    }
  }

  private onBlock(peer: Peer, block: Block): void {
    const requested = this.downloader.received(block.hash, peer);
    if (!requested && !this.node.chain.hasBlock(block.hash)) {
      const count = peer.announcements.add(1);
      if (count > this.limits.blockAnnouncementsPerMinute) {
        if (count > 3 * this.limits.blockAnnouncementsPerMinute)
          this.misbehave(peer, 20, `${count} unsolicited blocks in a minute`);
        return;
      }
    }
    peer.knownInventory.add(block.hash);
    let result: AcceptResult;
    try {
      result = this.node.submitBlock(block, { peer: peer.id });
    } catch (e) {
      if (!(e instanceof VerifyError)) throw e;
      this.log.warn(
        { peer: peer.id, hash: block.hash, code: e.code, reason: e.reason },
        "invalid block from peer",
      );
      if (e.action.kind === "ban") this.misbehave(peer, e.action.score, `invalid block: ${e.code}`);
      return;
    }
    if (result.status === "orphan") {
      // Its header stays pending until it connects (an evicted orphan is fetched again); ask for
      // the headers that connect it unless they are already being downloaded.
      if (!this.headers.has(block.hash)) this.requestHeaders(peer);
    } else {
      this.headers.remove(block.hash);
    }
    peer.height = Math.max(peer.height, block.header.index + 1);
    this.downloader.schedule(this.ready());
    this.progress();
  }

  private onTx(peer: Peer, tx: Transaction): void {
    peer.knownInventory.add(tx.txid);
    if (this.node.mempool.has(tx.txid)) return;
    try {
      this.node.submitTransaction(tx, { peer: peer.id });
    } catch (e) {
      if (!(e instanceof VerifyError)) throw e;
      this.log.debug({ peer: peer.id, txid: tx.txid, code: e.code }, "transaction from peer not accepted");
      if (e.action.kind === "ban") this.misbehave(peer, e.action.score, `invalid transaction: ${e.code}`);
    }
  }

  // ---- relay ----

  private readonly onNodeBlock = (block: Block, result: AcceptResult, _source: Source): void => {
    if (result.status !== "connected" && result.status !== "reorganized") return;
    // While catching up, peers already have these blocks: announce only the tip once synced.
    if (this.isSyncing()) {
      this.announceTipWhenSynced = true;
      return;
    }
    this.announce(InventoryType.Block, block.hash);
  };

  private announceTipWhenSynced = false;

  /** True while blocks are queued for download or a peer reports a longer chain. */
  isSyncing(): boolean {
    const ours = this.node.chain.height + 1;
    return this.downloader.queued > 0 || this.ready().some((p) => p.height > ours);
  }

  private readonly onNodeTx = (entry: { tx: { txid: string } }, _source: Source): void => {
    this.announce(InventoryType.Transaction, entry.tx.txid);
  };

  /** Announces an object to every ready peer that does not already have it. */
  private announce(type: InventoryType, hash: string): void {
    const raw = hexToBytes(hash);
    const payload = encodeP2pMessage({ type: "Inv", objectType: type, hashes: [raw] });
    for (const p of this.ready()) {
      if (p.knownInventory.has(hash)) continue;
      p.knownInventory.add(hash);
      p.sendPayload(payload);
    }
  }

  // ---- timers ----

  private maintain(): void {
    if (!this.running) return;
    // Headers whose blocks are neither stored, waiting as orphans nor in flight are wanted again.
    if (this.downloader.queued < this.limits.blocksInFlightPerPeer * 4 && this.headers.size > 0) {
      for (const { hash, height } of this.headers.wanted(this.node.chain)) {
        if (!this.node.chain.hasBlock(hash) && !this.downloader.isInFlight(hash))
          this.downloader.want(hash, height);
      }
    }
    this.downloader.checkTimeouts(this.ready(), (peer) => {
      peer.stalls++;
      if (peer.stalls >= this.limits.maxStalls) peer.close("stalled during block download");
    });
    if (this.announceTipWhenSynced && !this.isSyncing()) {
      this.announceTipWhenSynced = false;
      this.announce(InventoryType.Block, this.node.chain.tip.hash);
    }
    if (this.opts.autoConnect === false) return;
    const outbound =
      [...this.peersById.values()].filter((p) => p.direction === "outbound").length + this.dialing.size;
    const free = this.limits.maxOutbound - outbound;
    if (free <= 0) return;
    const connected16 = new Set(this.ready().map((p) => subnet16(p.remote.host)));
    const candidates = this.book.candidates(
      (e) =>
        this.isSelf(e) ||
        this.isConnectedTo(e) ||
        this.dialing.has(formatEndpoint(e)) ||
        this.bans.isBanned(e.host),
      connected16,
    );
    for (const e of candidates.slice(0, free)) void this.connect(e);
  }

  private periodicHeaderSync(): void {
    for (const p of this.ready()) this.requestHeaders(p);
  }

  private keepalive(): void {
    const now = Date.now();
    for (const p of this.ready()) {
      if (now - p.lastMessageAt > this.limits.pingTimeoutMs) {
        p.close("no response to keepalive pings");
        continue;
      }
      p.send({ type: "Ping", nonce: BigInt(now) });
    }
  }

  private progress(): void {
    const target = Math.max(0, ...this.ready().map((p) => p.height - 1));
    const height = this.node.chain.height;
    if (target <= height) return;
    const now = Date.now();
    if (now - this.lastProgressLog < 2000) return;
    this.lastProgressLog = now;
    this.log.info(
      {
        height,
        target,
        percent: Math.floor((height / Math.max(target, 1)) * 100),
        peers: this.peerCount,
        queued: this.downloader.queued,
      },
      `syncing: block ${height} of ${target}`,
    );
  }
}
