// A peer of the relay (facts §3.11): its key, the shared key, where it listens, what it last told
// us in a ping, and traffic counters (the fair-use gate reads the shared-storage ones).
import { idKey } from "../storage/atom-id.js";
import type { PeerAddress } from "./address.js";

export class Peer {
  /** Raw 32-byte X25519 public key: the peer's id. */
  readonly publicKey: Uint8Array;
  /** Lowercase hex of the public key (map key). */
  readonly key: string;
  readonly sharedKey: Uint8Array;
  /** Where the peer listens: source IP of its datagrams and the port from their header. */
  address: PeerAddress;
  /** Date.now() when an authenticated message (or the handshake that created it) last arrived. */
  lastSeen: number;
  /** Date.now() when we last sent it a ping (0 = never). */
  lastPingSent = 0;
  latestBlockHash: Uint8Array | null = null;
  /** PoW difficulty the peer asks of datagrams sent to it (from its pings; 1 until then). */
  difficulty = 1;
  isValidator = false;
  isDefaultSeed = false;
  /** True while the peer is registered (in the node's peers and the peer route). */
  registered = false;
  /**
   * The atom id of the OBJECT_GET challenge sent to it and not yet answered (admission proof, or a
   * liveness probe of a registered peer), with the address it was sent to; null when none.
   */
  challenge: Uint8Array | null = null;
  challengeAddress: PeerAddress | null = null;
  totalNetworkUpload = 0;
  totalNetworkDownload = 0;
  /** Bytes of objects we served to it. */
  sharedStorageUpload = 0;
  /** Bytes of valid objects it served to us. */
  sharedStorageDownload = 0;

  constructor(publicKey: Uint8Array, sharedKey: Uint8Array, address: PeerAddress, now: number = Date.now()) {
    this.publicKey = Uint8Array.from(publicKey);
    this.key = idKey(this.publicKey);
    this.sharedKey = sharedKey;
    this.address = address;
    this.lastSeen = now;
  }
}
