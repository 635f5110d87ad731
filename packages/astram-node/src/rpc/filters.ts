import { randomBytes } from "node:crypto";
import { serverError } from "./errors.js";

/** Filters installed at once on a node (geth bounds them only by time). */
export const MAX_FILTERS = 1000;
/** A filter unused this long is removed (geth's 5 minutes). */
export const FILTER_TIMEOUT_MS = 5 * 60_000;
/** Changes a filter keeps between polls; the oldest go first. */
export const MAX_FILTER_CHANGES = 10_000;

export type FilterKind = "block" | "pendingTransaction" | "log";

interface Filter {
  readonly kind: FilterKind;
  changes: string[];
  lastUsed: number;
}

/**
 * Polled filters (eth_newBlockFilter, eth_newPendingTransactionFilter, eth_newFilter): each keeps
 * what arrived since its last eth_getFilterChanges. Log filters never see a log: no contract emits
 * one. Bounded in count and buffered changes; a filter unused for 5 minutes is removed.
 */
export class FilterRegistry {
  private readonly filters = new Map<string, Filter>();

  constructor(private readonly clock: () => number = Date.now) {}

  get size(): number {
    return this.filters.size;
  }

  install(kind: FilterKind): string {
    this.expire();
    if (this.filters.size >= MAX_FILTERS)
      throw serverError(`too many filters: at most ${MAX_FILTERS} (unused ones expire after 5 minutes)`);
    const id = "0x" + randomBytes(16).toString("hex");
    this.filters.set(id, { kind, changes: [], lastUsed: this.clock() });
    return id;
  }

  uninstall(id: string): boolean {
    return this.filters.delete(id);
  }

  /** The changes since the last poll (clears them). */
  poll(id: string): string[] {
    const f = this.use(id);
    const out = f.changes;
    f.changes = [];
    return out;
  }

  /** The filter's kind, refreshing its timeout. */
  kindOf(id: string): FilterKind {
    return this.use(id).kind;
  }

  /** Records a new block hash or pending transaction hash for the filters of that kind. */
  push(kind: "block" | "pendingTransaction", hash: string): void {
    for (const f of this.filters.values()) {
      if (f.kind !== kind) continue;
      f.changes.push(hash);
      if (f.changes.length > MAX_FILTER_CHANGES) f.changes.shift();
    }
  }

  private use(id: string): Filter {
    this.expire();
    const f = this.filters.get(id);
    if (!f) throw serverError("filter not found");
    f.lastUsed = this.clock();
    return f;
  }

  private expire(): void {
    const cutoff = this.clock() - FILTER_TIMEOUT_MS;
    for (const [id, f] of this.filters) if (f.lastUsed < cutoff) this.filters.delete(id);
  }
}
