// The relay's events, for the node and consensus built on it. A listener that throws is logged and
// never disturbs the relay.
import type { Logger } from "../logger.js";
import type { Peer } from "./peer.js";
import type { Ping } from "./ping.js";

export interface RelayEvents {
  /** The sockets are bound (`port`: the incoming one); bootstrap handshakes follow. */
  listening: (port: number) => void;
  /** A peer proved itself and was registered. */
  peer: (peer: Peer) => void;
  /** A registered peer was evicted (timeout) or the relay stopped. */
  peerRemoved: (peer: Peer) => void;
  /** A ping arrived (after the peer's state was updated from it). */
  ping: (peer: Peer, ping: Ping) => void;
  /** A TRANSACTION message: a 32-byte transaction hash. */
  transaction: (txHash: Uint8Array, peer: Peer) => void;
}

export class RelayEventEmitter {
  private readonly listeners: { [E in keyof RelayEvents]: Set<RelayEvents[E]> } = {
    listening: new Set(),
    peer: new Set(),
    peerRemoved: new Set(),
    ping: new Set(),
    transaction: new Set(),
  };

  constructor(private readonly log: Logger) {}

  on<E extends keyof RelayEvents>(event: E, listener: RelayEvents[E]): () => void {
    this.listeners[event].add(listener);
    return () => this.off(event, listener);
  }

  off<E extends keyof RelayEvents>(event: E, listener: RelayEvents[E]): void {
    this.listeners[event].delete(listener);
  }

  emit<E extends keyof RelayEvents>(event: E, ...args: Parameters<RelayEvents[E]>): void {
    for (const l of this.listeners[event]) {
      try {
        (l as (...a: Parameters<RelayEvents[E]>) => void)(...args);
      } catch (err) {
        this.log.error(`relay ${event} listener failed: ${(err as Error).message}`);
      }
    }
  }
}
