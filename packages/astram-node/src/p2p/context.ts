import type { Logger } from "pino";
import type { AstramNode } from "../node.js";
import type { P2pLimits } from "./limits.js";
import type { Peer } from "./peer.js";

/** What the sync and relay parts need from the P2P service that owns the connections. */
export interface P2pContext {
  readonly node: AstramNode;
  readonly limits: P2pLimits;
  readonly log: Logger;
  /** Peers that completed the handshake and are still connected. */
  ready(): Peer[];
  /** Adds to a peer's ban score (dropping and banning it at the threshold). */
  misbehave(peer: Peer, score: number, why: string): void;
}
