/**
 * What one Astreum simulator run recorded: the contract between the orchestrator (which writes it)
 * and the report (which only reads it). Times are ms since 1970.
 */

export type AstreumRole = "validator" | "verifier";

export interface AstreumNodeRecord {
  readonly id: string;
  readonly role: AstreumRole;
  /** Public address (its relay's), the one peers know. */
  readonly host: string;
  /** Joined late (after the network was up): its adoption time is reported. */
  readonly lateJoiner: boolean;
  /** Each start: when it was spawned, when it listened and the relay key it announced. */
  readonly starts: readonly NodeStart[];
  /** When it was killed with -9 (restart scenario). */
  readonly kills: number[];
}

/** One start of a node process. */
export interface NodeStart {
  readonly at: number;
  /** Filled in when the node reports it listens. */
  listeningAt: number | null;
  relayKey: string | null;
}

/** A node's `head` event (`astreum node --json`). */
export interface HeadEvent {
  readonly node: string;
  readonly at: number;
  readonly height: number;
  readonly hash: string;
  readonly how: string;
}

/** A node's `peer` / `peer_removed` event: a route-table entry added or removed. */
export interface PeerEvent {
  readonly node: string;
  readonly at: number;
  readonly kind: "peer" | "peer_removed";
  readonly key: string;
  readonly host: string;
  readonly port: number;
}

export interface ScenarioEvent {
  readonly at: number;
  readonly kind: "network-up" | "flood-start" | "flood-stop" | "kill" | "restart" | "join" | "idle-start";
  readonly node?: string;
}

export interface AstreumRunRecord {
  readonly scenario: string;
  readonly config: {
    readonly nodes: number;
    readonly latencyMs: number;
    readonly jitterMs: number;
    readonly lossRate: number;
    readonly seed: number;
    /** The verifiers' `verify_blockchain_interval` (s). */
    readonly verifyIntervalSec: number;
    /** Fake handshakes per second (0 without a flooder). */
    readonly floodRate: number;
  };
  readonly startedAt: number;
  readonly endedAt: number;
  readonly nodes: readonly AstreumNodeRecord[];
  readonly heads: readonly HeadEvent[];
  readonly peers: readonly PeerEvent[];
  readonly events: readonly ScenarioEvent[];
  /** Fake handshakes sent, and the flooders' source addresses. */
  readonly flood: { readonly sent: number; readonly sources: readonly string[] };
}
