import { isIP } from "node:net";
import { FEATURES, MAX_ADDR_PER_MESSAGE, type PeerAddress } from "astram-core";
import type { AddressBook } from "./address-book.js";
import { type Endpoint, formatEndpoint, isPrivate } from "./addresses.js";
import type { P2pContext } from "./context.js";
import { noteJunk } from "./junk-policy.js";
import type { Peer } from "./peer.js";

/** Addresses a peer may make us process per second, beyond the answer to our own GetAddr. */
const ADDR_TOKENS_PER_SECOND = 0.1;
/** Addresses in an answer to one GetAddr (Bitcoin Core answers at most 1000 too). */
const ADDR_ANSWER_BUDGET = MAX_ADDR_PER_MESSAGE;
/** Lists this short are announcements of new nodes, passed on; longer ones are answers, kept. */
const MAX_RELAYED_LIST = 10;
/** An announced address is passed on while it is this fresh... */
const RELAY_FRESH_MS = 10 * 60 * 1000;
/** ...to this many peers. */
const RELAY_FANOUT = 2;

/** What gossip needs besides the P2P context. */
export interface GossipHost extends P2pContext {
  readonly book: AddressBook;
  isBanned(ip: string): boolean;
  /** True for an endpoint of this node itself. */
  isSelf(e: Endpoint): boolean;
}

/**
 * Address gossip, the negotiated `addr-gossip/1` extension (Bitcoin's addr rules in small): we ask each
 * outbound peer once for addresses (GetAddr) and answer each peer's GetAddr once with a bounded,
 * /16-diverse sample of good addresses; a new peer's listening address, and short fresh lists from
 * peers, are passed on to two other peers. Unroutable (unless private peers are allowed), banned and
 * malformed addresses are never stored or relayed; each peer has a token bucket (0.1 address/s,
 * plus one answer's worth after we asked), and addresses beyond it are dropped unread.
 */
export class AddressGossip {
  constructor(
    private readonly host: GossipHost,
    private readonly random: () => number = Math.random,
  ) {}

  private enabled(peer: Peer): boolean {
    return peer.features.has(FEATURES.addrGossip);
  }

  /** A peer finished its handshake. */
  onPeerReady(peer: Peer): void {
    if (!this.enabled(peer)) return;
    if (peer.direction === "outbound") {
      peer.addrRequested = true;
      peer.addrTokens += ADDR_ANSWER_BUDGET;
      peer.send({ type: "GetAddr" });
    }
    // A node that just dialled in tells the network where it listens: pass that on.
    const listen = peer.listenEndpoint;
    if (peer.direction === "inbound" && listen && this.routable(listen))
      this.relay([{ host: listen.host, port: listen.port, lastSeen: nowSeconds() }], peer);
  }

  onGetAddr(peer: Peer): void {
    if (!this.enabled(peer) || peer.addrServed) return;
    peer.addrServed = true;
    const requester = peer.listenEndpoint;
    const sample = this.host.book.sample(
      ADDR_ANSWER_BUDGET,
      (e) =>
        this.routable(e) &&
        (!requester || formatEndpoint(e) !== formatEndpoint(requester)) &&
        !this.host.isBanned(e.host),
      this.random,
    );
    const addresses = sample.map(({ endpoint, seenAt }) => ({
      host: endpoint.host,
      port: endpoint.port,
      lastSeen: Math.floor((seenAt || Date.now()) / 1000),
    }));
    peer.send({ type: "Addr", addresses });
  }

  onAddr(peer: Peer, addresses: readonly PeerAddress[]): void {
    if (!this.enabled(peer)) {
      noteJunk(this.host, peer, "Addr without negotiating address gossip");
      return;
    }
    const solicited = peer.addrRequested;
    peer.addrRequested = false;
    if (!solicited && addresses.length > MAX_RELAYED_LIST)
      noteJunk(this.host, peer, "unasked-for address list");
    const now = Date.now();
    peer.addrTokens = Math.min(
      peer.addrTokens + ((now - peer.addrTokensAt) / 1000) * ADDR_TOKENS_PER_SECOND,
      ADDR_ANSWER_BUDGET + 1,
    );
    peer.addrTokensAt = now;
    const budget = Math.min(addresses.length, Math.floor(peer.addrTokens));
    peer.addrTokens -= budget;
    const passOn: PeerAddress[] = [];
    for (const a of addresses.slice(0, budget)) {
      const e = checkedEndpoint(a);
      if (!e || !this.routable(e) || this.host.isBanned(e.host) || this.host.isSelf(e)) continue;
      const heardAt = Math.min(a.lastSeen * 1000, now);
      const isNew = !this.host.book.has(e);
      if (!this.host.book.add(e, "gossip", heardAt)) continue;
      if (isNew && addresses.length <= MAX_RELAYED_LIST && now - heardAt < RELAY_FRESH_MS) passOn.push(a);
    }
    if (passOn.length > 0) this.relay(passOn, peer);
  }

  /** Sends a short list to RELAY_FANOUT random gossiping peers other than `from`. */
  private relay(addresses: readonly PeerAddress[], from: Peer): void {
    const targets = this.host.ready().filter((p) => p !== from && this.enabled(p));
    for (let i = 0; i < RELAY_FANOUT && targets.length > 0; i++) {
      const [p] = targets.splice(Math.floor(this.random() * targets.length), 1);
      p!.send({ type: "Addr", addresses });
    }
  }

  private routable(e: Endpoint): boolean {
    return this.host.node.settings.allowPrivatePeers || !isPrivate(e.host);
  }
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** An Addr entry as an endpoint, or undefined when it is not an IP literal with a usable port. */
function checkedEndpoint(a: PeerAddress): Endpoint | undefined {
  if (isIP(a.host) === 0 || a.port < 1 || a.port > 65535) return undefined;
  if (a.host === "0.0.0.0" || a.host === "::" || a.host === "255.255.255.255") return undefined;
  return { host: a.host.toLowerCase(), port: a.port };
}
