/** Temporary bans by IP, with expiry. */
export class BanList {
  private readonly until = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  ban(ip: string, durationMs: number): void {
    this.until.set(ip, this.now() + durationMs);
  }

  isBanned(ip: string): boolean {
    const t = this.until.get(ip);
    if (t === undefined) return false;
    if (t <= this.now()) {
      this.until.delete(ip);
      return false;
    }
    return true;
  }

  list(): { ip: string; until: number }[] {
    return [...this.until].filter(([, t]) => t > this.now()).map(([ip, until]) => ({ ip, until }));
  }
}

/** Counts events in a sliding window (block announcements per peer per minute). */
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
