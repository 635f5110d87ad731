// A working set of accounts over an accounts trie root (facts §4.3): reads go through the trie
// (address -> account id -> account), writes stay in memory until `commit`, which writes each
// changed account (with its refreshed data trie root) into the trie and returns the new root with
// every atom that must be stored: data-trie nodes and records, account chains, accounts-trie nodes.
import type { Expr } from "../machine/expr.js";
import { idKey } from "../storage/atom-id.js";
import { Account } from "./account.js";
import type { AtomLookup } from "./expr-chain.js";
import { PatriciaTrie } from "./patricia.js";

export interface CommitResult {
  root: Uint8Array;
  atoms: Expr[];
}

export class Accounts {
  readonly trie: PatriciaTrie;
  private readonly cache = new Map<string, { address: Uint8Array; account: Account | null }>();
  private readonly dirty = new Set<string>();
  private readonly dataTries = new Map<string, PatriciaTrie>();
  private pending: Expr[] = [];

  constructor(
    readonly lookup: AtomLookup,
    root: Uint8Array | null,
  ) {
    this.trie = new PatriciaTrie(lookup, root);
  }

  /** The account at `address` (the working copy: change it, then call `set`), or null. */
  async get(address: Uint8Array): Promise<Account | null> {
    const k = idKey(address);
    const hit = this.cache.get(k);
    if (hit !== undefined) return hit.account;
    const id = await this.trie.get(address);
    const account = id === null ? null : await Account.load(this.lookup, id);
    this.cache.set(k, { address: Uint8Array.from(address), account });
    return account;
  }

  /** The account at `address`, created empty (and marked changed) when missing. */
  async getOrCreate(address: Uint8Array): Promise<Account> {
    const a = await this.get(address);
    if (a !== null) return a;
    const created = new Account();
    this.set(address, created);
    return created;
  }

  /** Records `account` as the new state of `address`. */
  set(address: Uint8Array, account: Account): void {
    const k = idKey(address);
    this.cache.set(k, { address: Uint8Array.from(address), account });
    this.dirty.add(k);
  }

  /** The data trie of the account at `address` (its writes are committed with the account). */
  async dataTrie(address: Uint8Array): Promise<PatriciaTrie> {
    const k = idKey(address);
    let t = this.dataTries.get(k);
    if (t === undefined) {
      const a = await this.get(address);
      t = new PatriciaTrie(this.lookup, a === null ? null : a.dataHash);
      this.dataTries.set(k, t);
    }
    return t;
  }

  /** Atoms to store with the next commit (e.g. records a data trie points at). */
  addAtoms(atoms: Iterable<Expr>): void {
    for (const a of atoms) this.pending.push(a);
  }

  /** Writes the changed accounts into the trie; returns the new root and the atoms to store. */
  async commit(): Promise<CommitResult> {
    const pending = this.pending;
    this.pending = [];
    const dataNodes: Expr[] = [];
    const accountAtoms: Expr[] = [];
    for (const [k, t] of this.dataTries) {
      const entry = this.cache.get(k);
      if (entry?.account === null || entry === undefined) continue;
      const nodes = t.takeAtoms();
      if (nodes.length === 0) continue;
      entry.account.dataHash = t.rootHash;
      this.dirty.add(k);
      dataNodes.push(...nodes);
    }
    for (const k of [...this.dirty].sort()) {
      const { address, account } = this.cache.get(k)!;
      if (account === null) continue;
      accountAtoms.push(...account.atoms());
      await this.trie.put(address, account.id());
    }
    this.dirty.clear();
    return {
      root: this.trie.rootHash,
      atoms: [...pending, ...dataNodes, ...accountAtoms, ...this.trie.takeAtoms()],
    };
  }
}
