// Bootstrap: handshakes to default_seed and additional_seeds, when the relay starts and again while
// it has no peers. It also remembers where the default seed resolved to, so a peer speaking from
// that address and port is marked as the default seed (several nodes often share one host).
import type { Logger } from "../logger.js";
import { addressKey, type PeerAddress, parseSeed } from "./address.js";

/** What bootstrap needs from its relay node. */
export interface BootstrapHost {
  readonly defaultSeed: string | null;
  readonly additionalSeeds: readonly string[];
  readonly bootstrapRetryMs: number;
  readonly log: Logger;
  isConnected(): boolean;
  resolve(host: string): Promise<string | null>;
  sendHandshake(address: PeerAddress): boolean;
}

export class Bootstrap {
  private last = 0;
  /** host|port of the resolved default seed (a peer there is the default seed). */
  private readonly defaultSeedAddresses = new Set<string>();

  constructor(private readonly host: BootstrapHost) {}

  /** default_seed (when set) followed by additional_seeds. */
  get seeds(): string[] {
    const h = this.host;
    return [...(h.defaultSeed === null ? [] : [h.defaultSeed]), ...h.additionalSeeds];
  }

  isDefaultSeed(address: PeerAddress): boolean {
    return this.defaultSeedAddresses.has(addressKey(address));
  }

  /** True when bootstrap_retry_interval has passed since the last attempt. */
  retryDue(now: number): boolean {
    return now - this.last >= this.host.bootstrapRetryMs;
  }

  /** Sends handshakes to default_seed and additional_seeds (invalid entries are logged and skipped). */
  async run(): Promise<void> {
    const h = this.host;
    if (!h.isConnected()) return;
    this.last = Date.now();
    for (const [i, text] of this.seeds.entries()) {
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
      h.sendHandshake({ host, port: a.port });
    }
  }
}
