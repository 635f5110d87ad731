// The atom store service: a hot tier in memory and an optional cold tier on disk, written together
// and read in order (hot, then cold, then the network), plus the advertisement list. A cold hit is
// copied into the hot tier. The network is whatever `setNetwork` attached (the relay attaches itself
// while it runs); a missing atom is requested from it and waited for, up to
// atom_fetch_interval × atom_fetch_retries seconds, re-requested every interval.

import { type Logger, silentLogger } from "../logger.js";
import type { Expr } from "../machine/expr.js";
import {
  boolOption,
  ConfigError,
  intOption,
  numberOption,
  rejectUnknownKeys,
  stringOption,
} from "../options.js";
import { type AdvertisementInput, type AtomAdvertisement, AtomAdvertisements } from "./advertisements.js";
import { idKey, isAtomId } from "./atom-id.js";
import { atomize, type Materialized, materialize } from "./atomize.js";
import { ColdStorage, type ColdStorageStats } from "./cold/cold-storage.js";
import { COLD_STORAGE_SCALES, type ColdStorageScale } from "./cold/layout.js";
import { InvalidStorageArgumentError, StoreNotStartedError } from "./errors.js";
import { HotStorage, type HotStorageStats } from "./hot-storage.js";
import { type ListResolution, resolveList } from "./lists.js";
import { PayloadType } from "./payload-type.js";

/** Options named after the seed's config keys (defaults from the seed's table). */
export interface AtomStoreOptions {
  /** Bytes kept in the hot tier before new atoms are skipped (default 1 GiB). */
  hot_storage_limit?: number;
  /** Cold tier directory; null/absent = no cold tier. */
  cold_storage_path?: string | null;
  /** Bytes of cold files past which new atoms are skipped; 0 = unlimited (default 10 GiB). */
  cold_storage_limit?: number;
  /** Base unit of the cold level thresholds: "KB", "MB" (default) or "GB". */
  cold_storage_scale?: string;
  /** Seconds between network re-requests while waiting for a missing atom (default 0.25; 0 = no wait). */
  atom_fetch_interval?: number;
  /** Intervals to wait for a missing atom (default 8; 0 = no wait). */
  atom_fetch_retries?: number;
  /** TypeScript-only: sync each level-0 cold file before renaming it into place (default false). */
  coldStorageFsync?: boolean;
  logger?: Logger;
}

/** What the store needs from a network: send a request for an atom (or a list); true when sent. */
export interface AtomNetwork {
  requestAtom(id: Uint8Array, payloadType: PayloadType): boolean;
}

export interface PutResult {
  id: Uint8Array;
  hot: boolean;
  cold: boolean;
}

export interface AtomStoreStats {
  hot: HotStorageStats;
  cold: ColdStorageStats | null;
  hotHits: number;
  coldHits: number;
  networkRequests: number;
  networkHits: number;
  misses: number;
}

export interface FetchOptions {
  signal?: AbortSignal;
  /**
   * How `get` asks the network for a missing atom: ATOM (default) for the atom alone, LIST for the
   * atom and, when it heads a list, the list's chain and items in the same response (one round trip
   * instead of one per link: what walking tries and records node by node wants).
   */
  payloadType?: PayloadType;
}

type Waiter = (expr: Expr) => void;

/** Every key AtomStore takes (others are refused with a ConfigError naming them). */
const STORE_OPTION_KEYS: ReadonlySet<string> = new Set([
  "hot_storage_limit",
  "cold_storage_path",
  "cold_storage_limit",
  "cold_storage_scale",
  "atom_fetch_interval",
  "atom_fetch_retries",
  "coldStorageFsync",
  "logger",
]);

export class AtomStore {
  readonly hot: HotStorage;
  readonly cold: ColdStorage | null;
  readonly advertisements = new AtomAdvertisements();
  readonly hotStorageLimit: number;
  readonly coldStoragePath: string | null;
  readonly coldStorageLimit: number;
  readonly coldStorageScale: ColdStorageScale;
  /** Derived from the scale: 1e3, 1e6 or 1e9. */
  readonly coldStorageBaseSize: number;
  readonly atomFetchInterval: number;
  readonly atomFetchRetries: number;
  private network: AtomNetwork | null = null;
  private started = false;
  private starting: Promise<void> | null = null;
  private readonly waiters = new Map<string, Set<Waiter>>();
  private readonly log: Logger;
  private readonly counters = { hotHits: 0, coldHits: 0, networkRequests: 0, networkHits: 0, misses: 0 };

  constructor(options: AtomStoreOptions = {}) {
    rejectUnknownKeys(options, STORE_OPTION_KEYS, "AtomStore option");
    this.hotStorageLimit = intOption(options, "hot_storage_limit", 1_073_741_824);
    this.coldStorageLimit = intOption(options, "cold_storage_limit", 10_737_418_240);
    const scale = (stringOption(options, "cold_storage_scale", "MB") ?? "MB").trim().toUpperCase();
    if (!(scale in COLD_STORAGE_SCALES))
      throw new ConfigError("cold_storage_scale", `must be KB, MB or GB, got ${JSON.stringify(scale)}`);
    this.coldStorageScale = scale as ColdStorageScale;
    this.coldStorageBaseSize = COLD_STORAGE_SCALES[this.coldStorageScale];
    this.coldStoragePath = stringOption(options, "cold_storage_path", null);
    this.atomFetchInterval = numberOption(options, "atom_fetch_interval", 0.25);
    this.atomFetchRetries = intOption(options, "atom_fetch_retries", 8);
    this.log = options.logger ?? silentLogger;
    this.hot = new HotStorage(this.hotStorageLimit);
    this.cold =
      this.coldStoragePath === null
        ? null
        : new ColdStorage({
            path: this.coldStoragePath,
            scale: this.coldStorageScale,
            limit: this.coldStorageLimit,
            fsync: boolOption(options, "coldStorageFsync", false),
            logger: this.log,
          });
  }

  get isStarted(): boolean {
    return this.started;
  }

  /**
   * Opens the cold tier (creating its directory; cleaning what a crash left). If that fails the
   * store runs without a cold tier and logs a warning, as the reference does.
   */
  async start(): Promise<void> {
    if (this.started) return;
    this.starting ??= (async () => {
      if (this.cold !== null) {
        try {
          await this.cold.open();
        } catch (err) {
          this.log.warn(`cold storage disabled: ${(err as Error).message}`);
        }
      }
      this.started = true;
    })().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  /** Finishes cold writes in progress and closes the cold tier. The hot tier is kept. */
  async stop(): Promise<void> {
    if (this.starting !== null) await this.starting;
    if (!this.started) return;
    this.started = false;
    await this.cold?.close();
  }

  /** Attaches (or with null detaches) the network used for atoms missing locally. */
  setNetwork(network: AtomNetwork | null): void {
    this.network = network;
  }

  get stats(): AtomStoreStats {
    return { hot: this.hot.stats, cold: this.cold?.stats ?? null, ...this.counters };
  }

  // ---- writes ----

  /** Stores one atom (a Link as its two child hashes) in both tiers. */
  async putAtom(expr: Expr): Promise<PutResult> {
    this.assertStarted("putAtom");
    return this.store(expr);
  }

  /** Stores every atom of `expr` (each distinct node) in both tiers; returns the root id. */
  async put(expr: Expr): Promise<Uint8Array> {
    this.assertStarted("put");
    const atoms = atomize(expr);
    await Promise.all(atoms.map((a) => this.store(a)));
    return expr.hash();
  }

  /**
   * Atoms arrived from the network: each is stored in both tiers and handed to whoever waits for
   * it (even when both tiers are full and it is not kept). All reach the hot tier and the waiters
   * before any cold write, so a waiter sees a whole list response at once.
   */
  async deliver(atoms: readonly Expr[]): Promise<PutResult[]> {
    this.counters.networkHits += atoms.length;
    const staged = atoms.map((e) => this.stageHot(e));
    return Promise.all(staged.map((r, i) => this.finishCold(r, atoms[i]!)));
  }

  private async store(expr: Expr): Promise<PutResult> {
    return this.finishCold(this.stageHot(expr), expr);
  }

  private stageHot(expr: Expr): PutResult {
    const id = expr.hash();
    const key = idKey(id);
    const hot = this.hot.put(key, expr);
    const waiting = this.waiters.get(key);
    if (waiting !== undefined) {
      this.waiters.delete(key);
      for (const w of waiting) w(expr);
    }
    return { id, hot, cold: false };
  }

  private async finishCold(r: PutResult, expr: Expr): Promise<PutResult> {
    if (this.cold?.isOpen) r.cold = await this.cold.put(expr);
    return r;
  }

  // ---- local reads ----

  /** The atom from the hot tier, or null. */
  getHot(id: Uint8Array): Expr | null {
    return this.hot.get(idKey(checkId(id)));
  }

  /** True when a tier holds the atom (no network). */
  hasLocal(id: Uint8Array): boolean {
    return this.hot.has(idKey(checkId(id))) || (this.cold?.has(id) ?? false);
  }

  /** Hot, then cold (a cold hit is copied into hot); null when neither holds it. No network. */
  async getLocal(id: Uint8Array): Promise<Expr | null> {
    const key = idKey(checkId(id));
    const h = this.hot.get(key);
    if (h !== null) {
      this.counters.hotHits++;
      return h;
    }
    if (this.cold === null) return null;
    const c = await this.cold.get(id);
    if (c === null) return null;
    this.counters.coldHits++;
    this.hot.put(key, c);
    return c;
  }

  /** Walks a list from local storage; `missing` names what is not held. */
  async resolveListLocal(root: Expr | Uint8Array): Promise<ListResolution> {
    return resolveList(root, (id) => this.getLocal(id));
  }

  // ---- reads that may use the network ----

  /** Hot, then cold, then the network (waiting as configured); null when all miss. */
  async get(id: Uint8Array, options: FetchOptions = {}): Promise<Expr | null> {
    const local = await this.getLocal(id);
    if (local !== null) return local;
    const key = idKey(id);
    let found: Expr | null = null;
    await this.fetchLoop(
      () => [{ id, type: options.payloadType ?? PayloadType.ATOM }],
      () => [key],
      async (arrived) => {
        found = arrived ?? (await this.getLocal(id));
        return found !== null;
      },
      options,
    );
    if (found === null) this.counters.misses++;
    return found;
  }

  /**
   * A list's items (the seed's `get_atom_list_from_storage`): local storage first, then the
   * network (a list request for the root or a missing tail, atom requests for missing items).
   * Null when the list cannot be completed in time.
   */
  async getAtomList(root: Uint8Array, options: FetchOptions = {}): Promise<Expr[] | null> {
    const r = await this.resolveList(root, options);
    return r.complete ? r.items : null;
  }

  /** Like getAtomList, with what is still missing reported. */
  async resolveList(root: Uint8Array, options: FetchOptions = {}): Promise<ListResolution> {
    checkId(root);
    let r = await this.resolveListLocal(root);
    if (r.complete) return r;
    await this.fetchLoop(
      () => r.missing.map((id) => ({ id, type: id === r.missingTail ? PayloadType.LIST : PayloadType.ATOM })),
      () => r.missing.map(idKey),
      async () => {
        r = await this.resolveListLocal(root);
        return r.complete;
      },
      options,
    );
    return r;
  }

  /**
   * The whole expression with this id, every node loaded locally or from the network; children
   * that could not be loaded stay hash-only and are listed in `missing`.
   */
  async getTree(id: Uint8Array, options: FetchOptions = {}): Promise<Materialized> {
    return materialize(checkId(id), (h) => this.get(h, options));
  }

  // ---- advertisements (the seed's atom_advertisments) ----

  get atomAdvertisements(): readonly AtomAdvertisement[] {
    return this.advertisements.entries;
  }

  addAtomAdvertisement(
    atomId: Uint8Array,
    payloadType: PayloadType = PayloadType.ATOM,
    expiresAt: number | null = null,
  ): AtomAdvertisement {
    return this.advertisements.add(atomId, payloadType, expiresAt);
  }

  addAtomAdvertisements(entries: Iterable<AdvertisementInput>): AtomAdvertisement[] {
    return this.advertisements.addMany(entries);
  }

  // ---- waiting for the network ----

  /**
   * Sends the requests `wanted()` lists and waits for deliveries of `watch()` keys, re-checking
   * with `done` after each delivery and re-requesting after each delivery or every interval, until
   * `done` holds, interval × retries has passed, or the signal aborts. No network, or no request
   * sent: gives up at once. Interval or retries 0: one check, no waiting.
   */
  private async fetchLoop(
    wanted: () => { id: Uint8Array; type: PayloadType }[],
    watch: () => string[],
    done: (arrived: Expr | null) => Promise<boolean>,
    options: FetchOptions,
  ): Promise<boolean> {
    const network = this.network;
    const signal = options.signal;
    if (network === null || signal?.aborted) return false;
    const request = (): boolean => {
      let sent = false;
      for (const w of wanted()) {
        this.counters.networkRequests++;
        if (network.requestAtom(w.id, w.type)) sent = true;
      }
      return sent;
    };
    if (!request()) return false;
    const intervalMs = this.atomFetchInterval * 1000;
    if (intervalMs <= 0 || this.atomFetchRetries <= 0) return done(null);
    const deadline = Date.now() + intervalMs * this.atomFetchRetries;
    let nextRequest = Date.now() + intervalMs;
    for (;;) {
      const arrived = await this.waitAny(watch(), Math.min(nextRequest, deadline) - Date.now(), signal);
      if (await done(arrived)) return true;
      const now = Date.now();
      if (now >= deadline || signal?.aborted) return false;
      if (arrived !== null || now >= nextRequest) {
        request();
        nextRequest = now + intervalMs;
      }
    }
  }

  /** Resolves with the first atom delivered under one of `keys`, or null after `ms` or an abort. */
  private waitAny(keys: readonly string[], ms: number, signal?: AbortSignal): Promise<Expr | null> {
    if (ms <= 0 || keys.length === 0) return Promise.resolve(null);
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (e: Expr | null): void => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        for (const k of keys) {
          const set = this.waiters.get(k);
          set?.delete(finish);
          if (set?.size === 0) this.waiters.delete(k);
        }
        resolve(e);
      };
      const onAbort = (): void => finish(null);
      for (const k of keys) {
        let set = this.waiters.get(k);
        if (set === undefined) {
          set = new Set();
          this.waiters.set(k, set);
        }
        set.add(finish);
      }
      timer = setTimeout(() => finish(null), ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  private assertStarted(what: string): void {
    if (!this.started) throw new StoreNotStartedError(what);
  }
}

function checkId(id: Uint8Array): Uint8Array {
  if (!isAtomId(id)) throw new InvalidStorageArgumentError("an atom id is a 32-byte Uint8Array");
  return id;
}
