import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { type Endpoint, formatEndpoint, parseEndpoint, subnet16 } from "./addresses.js";

export type AddressSource = "config" | "dns" | "file" | "inbound" | "manual";

interface Known {
  readonly endpoint: Endpoint;
  source: AddressSource;
  lastSeen: number;
  lastAttempt: number;
  failures: number;
}

/**
 * Addresses the node may dial: from BOOTSTRAP_PEERS, the discovery server, the peers file it
 * maintains in its data directory, and peers that connected to us. Failing addresses back off.
 */
export class AddressBook {
  private readonly known = new Map<string, Known>();

  constructor(
    private readonly file: string | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.known.size;
  }

  add(endpoint: Endpoint, source: AddressSource): void {
    const key = formatEndpoint(endpoint);
    const k = this.known.get(key);
    if (k) {
      if (source === "config" || source === "manual") k.source = source;
      return;
    }
    this.known.set(key, { endpoint, source, lastSeen: 0, lastAttempt: 0, failures: 0 });
  }

  remove(endpoint: Endpoint): void {
    this.known.delete(formatEndpoint(endpoint));
  }

  markAttempt(endpoint: Endpoint): void {
    const k = this.known.get(formatEndpoint(endpoint));
    if (k) k.lastAttempt = this.now();
  }

  markSuccess(endpoint: Endpoint): void {
    const k = this.known.get(formatEndpoint(endpoint));
    if (k) {
      k.lastSeen = this.now();
      k.failures = 0;
    }
  }

  markFailure(endpoint: Endpoint): void {
    const k = this.known.get(formatEndpoint(endpoint));
    if (!k) return;
    k.failures++;
    // Forget learned addresses that keep failing; configured ones stay and back off.
    if (k.failures >= 10 && k.source !== "config" && k.source !== "manual")
      this.known.delete(formatEndpoint(endpoint));
  }

  /**
   * Candidates to dial now, best first: not connected, not in back-off (exponential on failures),
   * preferring /16 groups not yet among `connected16` so outbound peers span several subnets.
   */
  candidates(exclude: (e: Endpoint) => boolean, connected16: ReadonlySet<string>): Endpoint[] {
    const t = this.now();
    const ready = [...this.known.values()].filter((k) => {
      if (exclude(k.endpoint)) return false;
      const backoff = k.failures === 0 ? 5_000 : Math.min(3_600_000, 5_000 * 2 ** k.failures);
      return t - k.lastAttempt >= backoff;
    });
    const rank = (k: Known) => (connected16.has(subnet16(k.endpoint.host)) ? 1 : 0);
    ready.sort((a, b) => rank(a) - rank(b) || b.lastSeen - a.lastSeen || a.failures - b.failures);
    // One candidate per new /16 first, then the rest.
    const seen = new Set<string>();
    const first: Endpoint[] = [];
    const rest: Endpoint[] = [];
    for (const k of ready) {
      const g = subnet16(k.endpoint.host);
      if (!connected16.has(g) && !seen.has(g)) {
        seen.add(g);
        first.push(k.endpoint);
      } else rest.push(k.endpoint);
    }
    return [...first, ...rest];
  }

  /** Loads `peers.json` ([{ addr, last_seen }]); a missing or corrupt file is ignored. */
  load(): number {
    if (!this.file) return 0;
    try {
      const list = JSON.parse(readFileSync(this.file, "utf8")) as { addr: string; last_seen?: number }[];
      let n = 0;
      for (const item of Array.isArray(list) ? list : []) {
        try {
          const e = parseEndpoint(String(item.addr));
          this.add(e, "file");
          const k = this.known.get(formatEndpoint(e))!;
          k.lastSeen = Number(item.last_seen) * 1000 || 0;
          n++;
        } catch {
          // skip malformed entries
        }
      }
      return n;
    } catch {
      return 0;
    }
  }

  /** Writes the addresses that worked at least once (write-then-rename, so a crash never tears it). */
  save(): void {
    if (!this.file) return;
    const list = [...this.known.values()]
      .filter((k) => k.lastSeen > 0 || k.source === "config")
      .map((k) => ({ addr: formatEndpoint(k.endpoint), last_seen: Math.floor(k.lastSeen / 1000) }));
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(list, null, 2));
    renameSync(tmp, this.file);
  }
}
