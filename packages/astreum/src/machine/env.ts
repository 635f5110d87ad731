// Environments (facts §5.4): string-keyed bindings with parent-chain lookup; `put` writes locally.
// Each Env owns its bindings (the reference's shared default map is not reproduced).
//
// `fn` gives every call a child of the *calling* environment, so recursion builds long parent
// chains. Three measures keep this cheap without changing any lookup result:
// - small Envs (a call's parameters) keep parallel key/value arrays; a Map appears past 8 names;
// - a per-Env memo of "which ancestor owns this name", invalidated by a global epoch that moves
//   whenever a new name appears in an Env that already has children (the only event that can
//   change which ancestor owns a name);
// - a tail call may give its Env the replaced call's parent directly when the callee rebinds
//   every name the replaced call's Env holds (see `canBypass` and Task.call).
import type { Expr } from "./expr.js";

let epoch = 0;

/** Memoize an owner only after walking at least this many parents (short walks are cheaper). */
const MEMO_AFTER_HOPS = 6;
/** Past this many names an Env switches from arrays to a Map. */
const SMALL = 8;

export type EnvData = ReadonlyMap<string, Expr> | Readonly<Record<string, Expr>>;

export class Env {
  readonly parent: Env | null;
  /** Created by `fn` for one call; never handed to user code. */
  readonly isCallFrame: boolean;
  private keys: string[] = [];
  private vals: Expr[] = [];
  /** `keys` is a call's parameter list, shared with other calls: copy before adding a name. */
  private sharedKeys = false;
  private map: Map<string, Expr> | null = null;
  private hasChildren = false;
  private memo: Map<string, Env | null> | null = null;
  private memoEpoch = -1;

  constructor(data?: EnvData | null, parent: Env | null = null, isCallFrame = false) {
    this.parent = parent;
    this.isCallFrame = isCallFrame;
    if (parent !== null) parent.hasChildren = true;
    if (data != null) {
      const entries = data instanceof Map ? data.entries() : Object.entries(data);
      for (const [k, v] of entries) this.put(k, v as Expr);
    }
  }

  /**
   * The Env of one `fn` call: `names[i]` bound to `values[i]` (taken over, not copied). Shares
   * `names` (the memoized parameter list) instead of copying it. With duplicate names the last wins.
   */
  static forCall(parent: Env, names: readonly string[], values: Expr[]): Env {
    const env = new Env(null, parent, true);
    if (names.length > SMALL) {
      for (let i = 0; i < names.length; i++) env.put(names[i]!, values[i]!);
      return env;
    }
    env.keys = names as string[];
    env.sharedKeys = true;
    env.vals = values;
    return env;
  }

  /** A snapshot of the local bindings (write with `put`). */
  get data(): ReadonlyMap<string, Expr> {
    if (this.map !== null) return new Map(this.map);
    // Map keeps the last value set for a duplicated name, like `get`.
    return new Map(this.keys.map((k, i) => [k, this.vals[i]!]));
  }

  /** Number of local bindings. */
  get size(): number {
    return this.map === null ? this.keys.length : this.map.size;
  }

  /** Value bound to `key` here or in the nearest ancestor; undefined when unbound everywhere. */
  get(key: string): Expr | undefined {
    const local = this.local(key);
    if (local !== undefined) return local;
    let hops = 0;
    let e = this.parent;
    let owner: Env | null = null;
    while (e !== null) {
      const v = e.local(key);
      if (v !== undefined) {
        owner = e;
        break;
      }
      if (e.memo !== null && e.memoEpoch === epoch) {
        const m = e.memo.get(key);
        if (m !== undefined) {
          owner = m;
          break;
        }
      }
      e = e.parent;
      hops++;
    }
    if (hops >= MEMO_AFTER_HOPS) {
      if (this.memo === null || this.memoEpoch !== epoch) {
        this.memo = new Map();
        this.memoEpoch = epoch;
      }
      this.memo.set(key, owner);
    }
    return owner === null ? undefined : owner.local(key);
  }

  /** Binds `key` in this Env only. */
  put(key: string, value: Expr): void {
    const map = this.map;
    if (map !== null) {
      if (this.hasChildren && !map.has(key)) epoch++;
      map.set(key, value);
      return;
    }
    const keys = this.keys;
    for (let i = keys.length - 1; i >= 0; i--) {
      if (keys[i] === key) {
        this.vals[i] = value;
        return;
      }
    }
    if (this.hasChildren) epoch++;
    if (keys.length < SMALL) {
      if (this.sharedKeys) {
        this.keys = [...keys, key];
        this.sharedKeys = false;
      } else keys.push(key);
      this.vals.push(value);
      return;
    }
    const m = new Map<string, Expr>();
    for (let i = 0; i < keys.length; i++) m.set(keys[i]!, this.vals[i]!);
    m.set(key, value);
    this.map = m;
    this.keys = [];
    this.vals = [];
    this.sharedKeys = false;
  }

  /** All visible names, nearest binding first (for tools such as the REPL's `:env`). */
  entries(): [string, Expr][] {
    const seen = new Set<string>();
    const out: [string, Expr][] = [];
    for (let e: Env | null = this; e !== null; e = e.parent) {
      for (const [k, v] of e.data) {
        if (seen.has(k)) continue;
        seen.add(k);
        out.push([k, v]);
      }
    }
    return out;
  }

  /** True when this Env is a call frame whose every local name is among `names`. */
  canBypass(names: readonly string[]): boolean {
    if (!this.isCallFrame || this.map !== null || this.keys.length > names.length) return false;
    if (this.keys === names) return true; // the same parameter list: the common self tail call
    for (const k of this.keys) if (!names.includes(k)) return false;
    return true;
  }

  private local(key: string): Expr | undefined {
    if (this.map !== null) return this.map.get(key);
    // Backwards, so that with duplicate parameter names the last binding wins.
    const keys = this.keys;
    for (let i = keys.length - 1; i >= 0; i--) if (keys[i] === key) return this.vals[i];
    return undefined;
  }
}
