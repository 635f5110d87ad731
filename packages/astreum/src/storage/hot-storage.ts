// The hot tier: atoms in memory, keyed by id, bounded by `hot_storage_limit` bytes. When an atom
// would take the total past the limit it is skipped (the seed's rule), never an older one evicted.
import { type Expr, LINK_TAG } from "../machine/expr.js";
import { atomBytes } from "./atom-size.js";

export interface HotStorageStats {
  /** Atoms stored. */
  puts: number;
  /** Atoms refused because the tier was full. */
  skipped: number;
}

export class HotStorage {
  private readonly atoms = new Map<string, Expr>();
  private total = 0;
  readonly stats: HotStorageStats = { puts: 0, skipped: 0 };

  constructor(readonly limit: number) {}

  /** Bytes held (sum of serialized atom lengths). */
  get bytes(): number {
    return this.total;
  }

  get count(): number {
    return this.atoms.size;
  }

  has(key: string): boolean {
    return this.atoms.has(key);
  }

  get(key: string): Expr | null {
    return this.atoms.get(key) ?? null;
  }

  /**
   * Stores `expr` under `key` (its id's hex). True when it is held afterwards. An atom already held
   * is kept, except that a materialised Link replaces a hash-only copy (same id, same size).
   */
  put(key: string, expr: Expr): boolean {
    const held = this.atoms.get(key);
    if (held !== undefined) {
      if (isHashOnlyLink(held) && expr.tag === LINK_TAG && !isHashOnlyLink(expr)) this.atoms.set(key, expr);
      return true;
    }
    const n = atomBytes(expr);
    if (this.total + n > this.limit) {
      this.stats.skipped++;
      return false;
    }
    this.atoms.set(key, expr);
    this.total += n;
    this.stats.puts++;
    return true;
  }

  delete(key: string): boolean {
    const held = this.atoms.get(key);
    if (held === undefined) return false;
    this.atoms.delete(key);
    this.total -= atomBytes(held);
    return true;
  }

  clear(): void {
    this.atoms.clear();
    this.total = 0;
  }

  keys(): IterableIterator<string> {
    return this.atoms.keys();
  }
}

function isHashOnlyLink(e: Expr): boolean {
  return e.tag === LINK_TAG && (e.headHash !== null || e.tailHash !== null);
}
