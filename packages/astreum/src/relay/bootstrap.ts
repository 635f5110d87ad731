// Bootstrap: handshakes to default_seed, additional_seeds and the peers known from an earlier run,
// when the relay starts (the relay repeats it; see RelayNode). It also remembers where the default
// seed resolved to, so a peer speaking from that address and port is marked as the default seed
// (several nodes often share one host).
import type { Logger } from "../logger.js";
import { addressKey, type PeerAddress, parseSeed } from "./address.js";

/** What bootstrap needs from its relay node. */
export interface BootstrapHost {
  readonly defaultSeed: string | null;
  readonly additionalSeeds: readonly string[];
  readonly knownPeers: readonly string[];
  readonly log: Logger;
  isConnected(): boolean;
  resolve(host: string): Promise<string | null>;
  sendHandshake(address: PeerAddress): boolean;
}

export class Bootstrap {
  /** host|port of the resolved default seed (a peer there is the default seed). */
  private readonly defaultSeedAddresses = new Set<string>();

  constructor(private readonly host: BootstrapHost) {}

  /** default_seed (when set) followed by additional_seeds. */
  get seeds(): string[] {
    const h = this.host;
    return [...(h.defaultSeed === null ? [] : [h.defaultSeed]), ...h.additionalSeeds];
  }

  /** The seeds, then the known peers that are not seeds too. */
  get addresses(): string[] {
    const seeds = this.seeds;
    const known = new Set(seeds);
    return [...seeds, ...this.host.knownPeers.filter((a) => !known.has(a))];
  }

  isDefaultSeed(address: PeerAddress): boolean {
    return this.defaultSeedAddresses.has(addressKey(address));
  }

  /**
   * Sends handshakes to the seeds and known peers (invalid entries are logged and skipped), except
   * to resolved addresses `skip` accepts.
   */
  async run(skip?: (address: PeerAddress) => boolean): Promise<void> {
    const h = this.host;
    if (!h.isConnected()) return;
    for (const [i, text] of this.addresses.entries()) {
      let a: PeerAddress;
      try {
        a = parseSeed(text);
      } catch (err) {
        h.log.warn(`skipping bootstrap address: ${(err as Error).message}`);
        continue;
      }
      const host = await h.resolve(a.host);
      if (host === null || !h.isConnected()) continue;
      if (i === 0 && h.defaultSeed !== null)
        this.defaultSeedAddresses.add(addressKey({ host, port: a.port }));
      if (skip?.({ host, port: a.port })) continue;
      h.sendHandshake({ host, port: a.port });
    }
  }
}
