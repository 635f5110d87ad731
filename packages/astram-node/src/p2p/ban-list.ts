import { readFileSync } from "node:fs";
import { replaceFileAtomic } from "../util/atomic-file.js";
import type { BanEntry } from "./peer-control.js";

/** The most bans kept; past it the ones that expire first are dropped (a bound on memory and file size). */
const MAX_BANS = 10_000;

/**
 * Bans by IP with expiry, kept in `bans.json` in the data directory (written atomically on every
 * change, read back at start, expired entries dropped), so a restart does not forgive a peer.
 */
export class BanList {
  private readonly entries = new Map<string, BanEntry>();

  constructor(
    private readonly file: string | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  ban(ip: string, durationMs: number, reason = "manual"): void {
    const t = this.now();
    this.entries.set(ip, { ip, until: t + durationMs, reason, createdAt: t });
    if (this.entries.size > MAX_BANS) {
      const first = [...this.entries.values()].sort((a, b) => a.until - b.until)[0]!;
      this.entries.delete(first.ip);
    }
    this.save();
  }

  unban(ip: string): boolean {
    const had = this.entries.delete(ip);
    if (had) this.save();
    return had;
  }

  clear(): number {
    const n = this.list().length;
    this.entries.clear();
    this.save();
    return n;
  }

  isBanned(ip: string): boolean {
    const e = this.entries.get(ip);
    if (e === undefined) return false;
    if (e.until <= this.now()) {
      this.entries.delete(ip);
      return false;
    }
    return true;
  }

  list(): BanEntry[] {
    const t = this.now();
    return [...this.entries.values()].filter((e) => e.until > t);
  }

  /** Reads the bans file; returns how many unexpired bans it held. A missing file is no bans; a corrupt one is reported. */
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
    const t = this.now();
    for (const item of list.slice(0, MAX_BANS) as Partial<BanEntry>[]) {
      if (typeof item?.ip !== "string" || typeof item.until !== "number" || item.until <= t) continue;
      this.entries.set(item.ip, {
        ip: item.ip,
        until: item.until,
        reason: typeof item.reason === "string" ? item.reason.slice(0, 200) : "",
        createdAt: typeof item.createdAt === "number" ? item.createdAt : t,
      });
    }
    return this.entries.size;
  }

  private save(): void {
    if (this.file) replaceFileAtomic(this.file, `${JSON.stringify(this.list(), null, 2)}\n`);
  }
}

/** Counts events in a sliding window (junk block announcements per peer per minute). */
export class SlidingWindow {
  private times: number[] = [];
  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records n events; returns the count inside the window afterwards. */
  add(n = 1): number {
    const t = this.now();
    const cutoff = t - this.windowMs;
    this.times = this.times.filter((x) => x > cutoff);
    for (let i = 0; i < n; i++) this.times.push(t);
    return this.times.length;
  }

  /** The count inside the window now. */
  count(): number {
    return this.add(0);
  }
}

/** A set that forgets its oldest members past a size (per-peer known inventory). */
export class BoundedSet {
  private readonly items = new Set<string>();
  constructor(private readonly max: number) {}
  add(x: string): void {
    if (this.items.has(x)) return;
    this.items.add(x);
    if (this.items.size > this.max) this.items.delete(this.items.values().next().value as string);
  }
  has(x: string): boolean {
    return this.items.has(x);
  }
}
