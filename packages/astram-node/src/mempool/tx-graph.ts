const NONE: ReadonlySet<string> = new Set();

/**
 * Dependencies between pending transactions: a parent is a pending transaction whose output a child
 * spends, or the same Ethereum sender's previous nonce. Walks are bounded in practice by the
 * mempool's ancestor and descendant limits.
 */
export class TxGraph {
  private readonly parents = new Map<string, Set<string>>();
  private readonly children = new Map<string, Set<string>>();

  /** Links `txid` below `parentIds` and above `childIds` (children already pending, after a reorg). */
  add(txid: string, parentIds: Iterable<string>, childIds: Iterable<string> = []): void {
    for (const p of parentIds) this.link(p, txid);
    for (const c of childIds) this.link(txid, c);
  }

  /** Unlinks `txid` from its parents and children. */
  delete(txid: string): void {
    for (const p of this.parents.get(txid) ?? NONE) this.children.get(p)?.delete(txid);
    for (const c of this.children.get(txid) ?? NONE) this.parents.get(c)?.delete(txid);
    this.parents.delete(txid);
    this.children.delete(txid);
  }

  parentsOf(txid: string): ReadonlySet<string> {
    return this.parents.get(txid) ?? NONE;
  }
  childrenOf(txid: string): ReadonlySet<string> {
    return this.children.get(txid) ?? NONE;
  }

  /** Every pending transaction `txid` depends on, itself excluded. */
  ancestors(txid: string): Set<string> {
    return this.closure(txid, (t) => this.parentsOf(t));
  }
  /** Every pending transaction that depends on `txid`, itself excluded. */
  descendants(txid: string): Set<string> {
    return this.closure(txid, (t) => this.childrenOf(t));
  }

  private link(parent: string, child: string): void {
    addTo(this.children, parent, child);
    addTo(this.parents, child, parent);
  }

  private closure(start: string, next: (txid: string) => ReadonlySet<string>): Set<string> {
    const seen = new Set<string>();
    const stack = [...next(start)];
    while (stack.length > 0) {
      const t = stack.pop()!;
      if (seen.has(t)) continue;
      seen.add(t);
      for (const n of next(t)) if (!seen.has(n)) stack.push(n);
    }
    return seen;
  }
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}
