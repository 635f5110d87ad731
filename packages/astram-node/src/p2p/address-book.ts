import { readFileSync } from "node:fs";
import { replaceFileAtomic } from "../util/atomic-file.js";
import { type Endpoint, formatEndpoint, parseEndpoint, subnet16 } from "./addresses.js";
import type { AddressEntry } from "./peer-control.js";

export type AddressSource = "config" | "dns" | "file" | "gossip" | "inbound" | "manual";

const SOURCES: readonly AddressSource[] = ["config", "dns", "file", "gossip", "inbound", "manual"];

interface Known {
  readonly endpoint: Endpoint;
  source: AddressSource;
  /** Our last successful handshake with it (ms), 0 = never. */
  lastSeen: number;
  /** When a peer last vouched for it (gossip's last-seen time, ms), 0 = never. */
  heardAt: number;
  lastAttempt: number;
  failures: number;
}

/** Bounds on what gossip can make the book hold (a flood of addresses costs the flooder, not us). */
export const ADDRESS_BOOK_LIMITS = {
  maxAddresses: 10_000,
  /** Gossip-learned addresses kept per /16 group. */
  maxLearnedPerGroup: 64,
  /** A never-reached address heard longer ago than this is not passed on. */
  staleHeardMs: 24 * 60 * 60 * 1000,
} as const;

/**
 * Addresses the node may dial: from BOOTSTRAP_PEERS, the discovery server, address gossip, the peers
 * file it keeps in its data directory, and peers that connected to us. Failing addresses back off;
 * learned ones are bounded in number and per /16 group.
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

  has(endpoint: Endpoint): boolean {
    return this.known.has(formatEndpoint(endpoint));
  }

  /** Adds an address (or raises its source to config/manual); false when the bounds refused it. */
  add(endpoint: Endpoint, source: AddressSource, heardAt = 0): boolean {
    const key = formatEndpoint(endpoint);
    const k = this.known.get(key);
    if (k) {
      if (source === "config" || source === "manual") k.source = source;
      k.heardAt = Math.max(k.heardAt, Math.min(heardAt, this.now()));
      return true;
    }
    if (source === "gossip" || source === "file") {
      if (this.learnedIn(subnet16(endpoint.host)) >= ADDRESS_BOOK_LIMITS.maxLearnedPerGroup) return false;
      if (this.known.size >= ADDRESS_BOOK_LIMITS.maxAddresses && !this.evictOneLearned()) return false;
    }
    this.known.set(key, {
      endpoint,
      source,
      lastSeen: 0,
      heardAt: Math.min(heardAt, this.now()),
      lastAttempt: 0,
      failures: 0,
    });
    return true;
  }

  private learnedIn(group: string): number {
    let n = 0;
    for (const k of this.known.values())
      if ((k.source === "gossip" || k.source === "file") && subnet16(k.endpoint.host) === group) n++;
    return n;
  }

  /** Drops the least useful learned address that never worked; false when there is none. */
  private evictOneLearned(): boolean {
    let worst: Known | undefined;
    for (const k of this.known.values()) {
      if (k.lastSeen > 0 || (k.source !== "gossip" && k.source !== "file")) continue;
      if (
        !worst ||
        k.failures > worst.failures ||
        (k.failures === worst.failures && k.heardAt < worst.heardAt)
      )
        worst = k;
    }
    if (worst) this.known.delete(formatEndpoint(worst.endpoint));
    return worst !== undefined;
  }

  remove(endpoint: Endpoint): boolean {
    return this.known.delete(formatEndpoint(endpoint));
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

  /**
   * Up to `limit` good addresses to give a peer that asks, spread over /16 groups (one from each
   * group in turn, groups and members in random order), so that no group can dominate the answer.
   * Good: fewer than 3 failures, and either reached once or heard of within a day.
   */
  sample(
    limit: number,
    include: (e: Endpoint) => boolean,
    random: () => number = Math.random,
  ): { endpoint: Endpoint; seenAt: number }[] {
    const t = this.now();
    const groups = new Map<string, Known[]>();
    for (const k of this.known.values()) {
      if (k.failures >= 3 || !include(k.endpoint)) continue;
      const heard = Math.max(k.heardAt, k.lastSeen);
      if (k.lastSeen === 0 && t - heard > ADDRESS_BOOK_LIMITS.staleHeardMs) continue;
      const g = subnet16(k.endpoint.host);
      groups.set(g, [...(groups.get(g) ?? []), k]);
    }
    const shuffle = <T>(xs: T[]): T[] => {
      for (let i = xs.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [xs[i], xs[j]] = [xs[j]!, xs[i]!];
      }
      return xs;
    };
    const queues = shuffle([...groups.values()].map(shuffle));
    const out: { endpoint: Endpoint; seenAt: number }[] = [];
    for (let round = 0; out.length < limit; round++) {
      let took = false;
      for (const q of queues) {
        const k = q[round];
        if (!k) continue;
        took = true;
        out.push({ endpoint: k.endpoint, seenAt: Math.max(k.lastSeen, k.heardAt) });
        if (out.length >= limit) break;
      }
      if (!took) break;
    }
    return out;
  }

  list(): AddressEntry[] {
    return [...this.known.values()].map(toEntry);
  }

  /**
   * Loads `peers.json` ([{ addr, last_seen, source?, heard_at?, failures? }], times in seconds);
   * a missing file is empty; malformed entries are skipped; a corrupt file throws.
   */
  load(): number {
    if (!this.file) return 0;
    let text: string;
    try {
      text = readFileSync(this.file, "utf8");
    } catch {
      return 0;
    }
    const list: unknown = JSON.parse(text);
    if (!Array.isArray(list)) throw new TypeError(`${this.file}: not a JSON array`);
    let n = 0;
    for (const item of list.slice(0, ADDRESS_BOOK_LIMITS.maxAddresses) as Record<string, unknown>[]) {
      try {
        const e = parseEndpoint(String(item?.addr));
        const saved = SOURCES.includes(item.source as AddressSource)
          ? (item.source as AddressSource)
          : "file";
        // What was learned from others stays bounded like gossip; what the operator gave stays.
        const source = saved === "config" || saved === "manual" ? saved : "file";
        if (!this.add(e, source, Number(item.heard_at) * 1000 || 0)) continue;
        const k = this.known.get(formatEndpoint(e))!;
        k.lastSeen = Number(item.last_seen) * 1000 || 0;
        k.failures = Math.min(9, Math.max(0, Math.floor(Number(item.failures)) || 0));
        n++;
      } catch {
        // skip malformed entries
      }
    }
    return n;
  }

  /** Writes the book (atomically: a crash leaves the old file or the new one). */
  save(): void {
    if (!this.file) return;
    const list = [...this.known.values()].map((k) => ({
      addr: formatEndpoint(k.endpoint),
      last_seen: Math.floor(k.lastSeen / 1000),
      heard_at: Math.floor(k.heardAt / 1000),
      source: k.source,
      failures: k.failures,
    }));
    replaceFileAtomic(this.file, `${JSON.stringify(list, null, 2)}\n`);
  }
}

function toEntry(k: Known): AddressEntry {
  return {
    address: formatEndpoint(k.endpoint),
    source: k.source,
    lastSeen: k.lastSeen,
    lastAttempt: k.lastAttempt,
    failures: k.failures,
  };
}
