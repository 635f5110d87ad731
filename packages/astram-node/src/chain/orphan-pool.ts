import type { Block } from "astram-core";

interface Orphan {
  readonly block: Block;
  readonly size: number;
  readonly receivedAt: number;
}

/**
 * Blocks whose parent is unknown, kept until the parent arrives. Bounded by count and bytes; the
 * oldest entries go first, and entries older than `maxAgeSeconds` are dropped.
 */
export class OrphanPool {
  private readonly byHash = new Map<string, Orphan>();
  private bytes = 0;

  constructor(
    private readonly limits = { maxCount: 100, maxBytes: 64 * 1024 * 1024, maxAgeSeconds: 1800 },
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  get size(): number {
    return this.byHash.size;
  }

  has(hash: string): boolean {
    return this.byHash.has(hash);
  }

  add(block: Block, size: number): void {
    if (this.byHash.has(block.hash) || size > this.limits.maxBytes) return;
    this.expire();
    while (this.byHash.size >= this.limits.maxCount || this.bytes + size > this.limits.maxBytes) {
      const oldest = this.byHash.keys().next().value as string;
      this.remove(oldest);
    }
    this.byHash.set(block.hash, { block, size, receivedAt: this.now() });
    this.bytes += size;
  }

  /** Removes and returns the orphans whose parent is `parentHash`. */
  takeChildren(parentHash: string): Block[] {
    const out: Block[] = [];
    for (const [hash, o] of this.byHash) {
      if (o.block.header.previousHash === parentHash) {
        out.push(o.block);
        this.remove(hash);
      }
    }
    return out;
  }

  /** The earliest missing ancestor an orphan chain needs (walks orphan parents). */
  missingRoot(hash: string): string | undefined {
    let cur = this.byHash.get(hash);
    let guard = 0;
    while (cur && guard++ < 10_000) {
      const parent = this.byHash.get(cur.block.header.previousHash);
      if (!parent) return cur.block.header.previousHash;
      cur = parent;
    }
    return undefined;
  }

  private remove(hash: string): void {
    const o = this.byHash.get(hash);
    if (!o) return;
    this.byHash.delete(hash);
    this.bytes -= o.size;
  }

  private expire(): void {
    const cutoff = this.now() - this.limits.maxAgeSeconds;
    for (const [hash, o] of this.byHash) if (o.receivedAt < cutoff) this.remove(hash);
  }
}
