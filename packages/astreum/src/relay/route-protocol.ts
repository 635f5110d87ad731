// ROUTE_REQUEST / ROUTE_RESPONSE (facts §3.10): answering with the closest registered member of each
// bucket of the asked route, and handshaking the addresses a peer sends back. A response is
// accepted only from a peer asked in the last 30 s, and at most 64 of its addresses are handshaked,
// so a response nobody asked for cannot make the node send handshakes without bound.
import { isIPv4 } from "node:net";
import { idsEqual } from "../storage/atom-id.js";
import { addressKey, type PeerAddress } from "./address.js";
import { Topic } from "./constants.js";
import type { Peer } from "./peer.js";
import type { KeyedRateLimit } from "./rate-limit.js";
import type { Route } from "./route.js";
import {
  decodeRouteRequest,
  decodeRouteResponse,
  encodeRouteRequest,
  encodeRouteResponse,
  RouteId,
} from "./route-messages.js";
import type { DropReason } from "./stats.js";

const MAX_ROUTE_RESPONSE_ADDRESSES = 64;
const ROUTE_REQUEST_TTL_MS = 30_000;

/** What the route protocol needs from its relay node. */
export interface RouteProtocolHost {
  readonly route: Route<Peer>;
  /** The validation route (replaced when the validation key changes, hence a function). */
  validationRoute(): Route<Peer>;
  readonly peers: ReadonlyMap<string, Peer>;
  readonly useIpv6: boolean;
  /** Rate limit of sends no authenticated message asked for (here: handshakes to route members). */
  readonly unpromptedSends: KeyedRateLimit;
  isOwnAddress(address: PeerAddress): boolean;
  sendTopic(peer: Peer, topic: Topic, content: Uint8Array): boolean;
  sendHandshake(address: PeerAddress): boolean;
  drop(reason: DropReason): void;
}

export class RouteProtocol {
  /** Peer key -> Date.now() when we sent it a ROUTE_REQUEST. */
  private readonly requests = new Map<string, number>();

  constructor(private readonly host: RouteProtocolHost) {}

  /** Asks a peer for the members of one of its routes; its response is accepted for 30 s. */
  request(peer: Peer, route: RouteId): boolean {
    this.requests.set(peer.key, Date.now());
    return this.host.sendTopic(peer, Topic.ROUTE_REQUEST, encodeRouteRequest(route));
  }

  onRequest(peer: Peer, content: Uint8Array): void {
    const h = this.host;
    const id = decodeRouteRequest(content);
    const route = id === RouteId.PEER ? h.route : h.validationRoute();
    if (route === null) {
      h.drop("content");
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
    h.sendTopic(peer, Topic.ROUTE_RESPONSE, body);
  }

  onResponse(peer: Peer, content: Uint8Array): void {
    const h = this.host;
    const asked = this.requests.get(peer.key);
    if (asked === undefined || Date.now() - asked > ROUTE_REQUEST_TTL_MS) {
      h.drop("unsolicited");
      return;
    }
    this.requests.delete(peer.key);
    const addresses = decodeRouteResponse(content, isIPv4(peer.address.host) ? 4 : 6);
    const known = new Set([...h.peers.values()].map((p) => addressKey(p.address)));
    let n = 0;
    for (const a of addresses) {
      if (n >= MAX_ROUTE_RESPONSE_ADDRESSES) break;
      if (known.has(addressKey(a)) || h.isOwnAddress(a)) continue;
      if (!h.useIpv6 && !isIPv4(a.host)) continue;
      if (!h.unpromptedSends.allow(`route|${addressKey(a)}`)) continue;
      h.sendHandshake(a);
      n++;
    }
  }

  /** Forgets requests older than 30 s. */
  prune(now: number): void {
    for (const [k, t] of this.requests) if (now - t > ROUTE_REQUEST_TTL_MS) this.requests.delete(k);
  }

  clear(): void {
    this.requests.clear();
  }
}
