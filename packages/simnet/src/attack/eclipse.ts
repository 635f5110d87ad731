import { attackerHost } from "../node/address-plan.js";
import { sleep } from "../wait.js";
import { RawPeer } from "./raw-peer.js";

export interface EclipseOptions {
  readonly host: string;
  readonly port: number;
  /** Connections to try, each from its own address in 127.66.0.0/16 (attacker indexes from `firstIndex`). */
  readonly connections: number;
  readonly firstIndex: number;
}

/**
 * Tries to eclipse a node: many connections from addresses of one /16, each completing the
 * handshake, answering pings and holding its slot until `signal` ends the attack. Returns how many
 * the node accepted (handshake done) and how many it refused or dropped.
 */
export async function eclipse(
  o: EclipseOptions,
  signal: AbortSignal,
  onProgress?: (held: number) => void,
): Promise<{ attempted: number; held: number }> {
  const peers: RawPeer[] = [];
  try {
    for (let i = 0; i < o.connections && !signal.aborted; i++) {
      const peer = await RawPeer.open(o.host, o.port, attackerHost(o.firstIndex + i));
      if (!peer) continue;
      peer.handshake();
      peers.push(peer);
      await sleep(20, signal);
    }
    // Hold the slots (RawPeer answers pings) while the attack lasts.
    while (!signal.aborted) {
      onProgress?.(peers.filter((p) => p.handshakeDone && !p.closed).length);
      await sleep(1000, signal);
    }
    return { attempted: o.connections, held: peers.filter((p) => p.handshakeDone && !p.closed).length };
  } finally {
    for (const p of peers) p.close();
  }
}
