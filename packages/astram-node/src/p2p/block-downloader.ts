import type { P2pLimits } from "./limits.js";
import type { Peer } from "./peer.js";

/**
 * Block download during sync: hashes wanted (from validated headers) are requested in height order
 * from several peers at once, a bounded number in flight per peer; requests that time out go back
 * to the queue and count as a stall against the peer.
 */
export class BlockDownloader {
  /** hash -> height, not yet requested; kept in height order (re-sorted only when an insert breaks it) */
  private wanted = new Map<string, number>();
  private lastWantedHeight = -1;
  private unordered = false;
  private readonly inFlight = new Map<string, { peer: Peer; at: number; height: number }>();

  constructor(
    private readonly limits: P2pLimits,
    private readonly request: (peer: Peer, hashes: string[]) => void,
    private readonly have: (hash: string) => boolean = () => false,
    private readonly now: () => number = Date.now,
    /** Whether `peer` has the block (it sent its header or a later one); by default, its height says. */
    private readonly canServe: (peer: Peer, hash: string, height: number) => boolean = (peer, _h, height) =>
      peer.height >= height + 1,
  ) {}

  get queued(): number {
    return this.wanted.size + this.inFlight.size;
  }

  want(hash: string, height: number): void {
    if (this.inFlight.has(hash) || this.wanted.has(hash) || this.have(hash)) return;
    this.addWanted(hash, height);
  }

  private addWanted(hash: string, height: number): void {
    if (height < this.lastWantedHeight) this.unordered = true;
    this.lastWantedHeight = height;
    this.wanted.set(hash, height);
  }

  /** Stops wanting a block (its header was forgotten); a request already in flight stands. */
  forget(hash: string): void {
    this.wanted.delete(hash);
  }

  isInFlight(hash: string): boolean {
    return this.inFlight.has(hash);
  }

  /** Records a request made outside the scheduler (a block fetched after an Inv). */
  markRequested(hash: string, peer: Peer, height = Number.MAX_SAFE_INTEGER): void {
    this.wanted.delete(hash);
    this.inFlight.set(hash, { peer, at: this.now(), height });
    peer.blocksInFlight.set(hash, this.now());
  }

  /** A block arrived; returns whether it had been requested (from any peer). */
  received(hash: string, from: Peer): boolean {
    this.wanted.delete(hash);
    const f = this.inFlight.get(hash);
    if (!f) return false;
    this.inFlight.delete(hash);
    f.peer.blocksInFlight.delete(hash);
    if (f.peer === from) from.stalls = 0;
    return true;
  }

  /** Hands queued hashes to peers that have them, lowest heights first. */
  schedule(peers: readonly Peer[]): void {
    if (this.wanted.size === 0) return;
    if (this.unordered) {
      this.wanted = new Map([...this.wanted].sort((a, b) => a[1] - b[1]));
      this.unordered = false;
    }
    const byLoad = [...peers].sort((a, b) => a.blocksInFlight.size - b.blocksInFlight.size);
    for (const peer of byLoad) {
      const room = this.limits.blocksInFlightPerPeer - peer.blocksInFlight.size;
      if (room <= 0) continue;
      const batch: string[] = [];
      for (const [hash, height] of this.wanted) {
        if (batch.length >= room) break;
        if (!this.canServe(peer, hash, height)) continue;
        if (this.have(hash)) {
          this.wanted.delete(hash);
          continue;
        }
        this.wanted.delete(hash);
        this.inFlight.set(hash, { peer, at: this.now(), height });
        peer.blocksInFlight.set(hash, this.now());
        batch.push(hash);
      }
      if (batch.length > 0) this.request(peer, batch);
    }
  }

  /**
   * Re-queues requests older than the timeout; `onStall` is told once per stalled peer, with the
   * number of its requests that timed out.
   */
  checkTimeouts(peers: readonly Peer[], onStall: (peer: Peer, missed: number) => void): void {
    const cutoff = this.now() - this.limits.blockRequestTimeoutMs;
    const stalled = new Map<Peer, number>();
    for (const [hash, f] of this.inFlight) {
      if (f.at > cutoff) continue;
      this.inFlight.delete(hash);
      f.peer.blocksInFlight.delete(hash);
      if (!this.have(hash)) this.addWanted(hash, f.height);
      stalled.set(f.peer, (stalled.get(f.peer) ?? 0) + 1);
    }
    for (const [p, missed] of stalled) onStall(p, missed);
    this.schedule(peers.filter((p) => !p.isClosed));
  }

  /** A peer disconnected: its requests go back to the queue. */
  peerGone(peer: Peer): void {
    for (const [hash, f] of this.inFlight) {
      if (f.peer !== peer) continue;
      this.inFlight.delete(hash);
      if (!this.have(hash)) this.addWanted(hash, f.height);
    }
  }
}
