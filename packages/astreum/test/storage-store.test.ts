// The atom store: the hot tier bounded by hot_storage_limit (new atoms skipped when full), reads in
// tier order (hot, cold, network), option validation, and waiting for the network
// (atom_fetch_interval / atom_fetch_retries).
import {
  type AtomNetwork,
  AtomStore,
  atomBytes,
  BytesExpr,
  ConfigError,
  type Expr,
  exprEquals,
  HotStorage,
  idKey,
  PayloadType,
  parse,
  printExpr,
  StoreNotStartedError,
  tokenize,
} from "astreum";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { hex } from "./helpers.js";
import { removeTempDirs, tempDir } from "./relay-helpers.js";

afterAll(removeTempDirs);

const p = (s: string): Expr => parse(tokenize(s))[0];
const blob = (n: number, fill: number): BytesExpr => new BytesExpr(new Uint8Array(n).fill(fill));
const stores: AtomStore[] = [];

async function open(options: ConstructorParameters<typeof AtomStore>[0] = {}): Promise<AtomStore> {
  const s = new AtomStore(options);
  await s.start();
  stores.push(s);
  return s;
}

afterEach(async () => {
  for (const s of stores.splice(0)) await s.stop();
});

describe("hot tier (hot_storage_limit)", () => {
  it("accounts serialized bytes and skips new atoms once full, never evicting old ones", () => {
    const hot = new HotStorage(200);
    const atoms = [1, 2, 3, 4, 5].map((i) => blob(50, i));
    expect(atomBytes(atoms[0]!)).toBe(51);
    expect(atomBytes(p("(1 2)"))).toBe(65);
    const stored = atoms.map((a) => hot.put(idKey(a.hash()), a));
    expect(stored).toEqual([true, true, true, false, false]);
    expect(hot.bytes).toBe(153);
    expect(hot.stats).toEqual({ puts: 3, skipped: 2 });
    expect(hot.put(idKey(atoms[0]!.hash()), atoms[0]!)).toBe(true); // already held: no double count
    expect(hot.bytes).toBe(153);
    expect(hot.has(idKey(atoms[0]!.hash()))).toBe(true);
  });

  it("in the store: a full hot tier skips new atoms; cold still takes them and serves them", async () => {
    const store = await open({ hot_storage_limit: 120, cold_storage_path: tempDir("hotfull") });
    const atoms = [1, 2, 3].map((i) => blob(50, i));
    const results = [];
    for (const a of atoms) results.push(await store.putAtom(a));
    expect(results.map((r) => [r.hot, r.cold])).toEqual([
      [true, true],
      [true, true],
      [false, true],
    ]);
    expect(store.getHot(atoms[2]!.hash())).toBeNull();
    const back = await store.get(atoms[2]!.hash());
    expect(exprEquals(back!, atoms[2]!)).toBe(true);
    expect(store.stats.coldHits).toBe(1);
    expect(store.hot.bytes).toBeLessThanOrEqual(120);
    expect(store.stats.hot.skipped).toBeGreaterThanOrEqual(2); // the put and the copy after the cold hit
  });
});

describe("tiers", () => {
  it("reads hot, then cold (copying a cold hit into hot)", async () => {
    const dir = tempDir("tiers");
    const first = await open({ cold_storage_path: dir });
    const e = p("(1 (2 x) 3)");
    await first.put(e);
    await first.stop();
    const store = await open({ cold_storage_path: dir });
    expect(store.getHot(e.hash())).toBeNull();
    expect(store.hasLocal(e.hash())).toBe(true);
    const root = await store.getLocal(e.hash());
    expect(hex(root!.hash())).toBe(hex(e.hash()));
    expect(store.stats.coldHits).toBe(1);
    expect(store.getHot(e.hash())).not.toBeNull();
    await store.getLocal(e.hash());
    expect(store.stats.hotHits).toBe(1);
    const { expr, missing } = await store.getTree(e.hash());
    expect(missing).toEqual([]);
    expect(printExpr(expr!)).toBe("(1 (2 x) 3)");
  });

  it("put stores every atom; lists resolve locally with what is missing", async () => {
    const store = await open();
    const list = p("(10 20 30 40)");
    await store.put(list);
    expect(store.hot.count).toBe(7);
    expect((await store.getAtomList(list.hash()))!.map(printExpr)).toEqual(["10", "20", "30", "40"]);
    const other = p("(1 2)");
    const r = await store.resolveListLocal(other.hash());
    expect(r.complete).toBe(false);
    expect(r.missing.map(hex)).toEqual([hex(other.hash())]);
    expect(await store.getAtomList(other.hash())).toBeNull();
  });

  it("refuses use before start and bad ids", async () => {
    const store = new AtomStore();
    await expect(store.put(p("1"))).rejects.toThrow(StoreNotStartedError);
    await store.start();
    await expect(store.get(new Uint8Array(31))).rejects.toThrow(/32-byte/);
    await store.stop();
  });
});

describe("options (seed config keys)", () => {
  it("has the seed's defaults", () => {
    const s = new AtomStore();
    expect(s.hotStorageLimit).toBe(1_073_741_824);
    expect(s.coldStorageLimit).toBe(10_737_418_240);
    expect(s.coldStorageScale).toBe("MB");
    expect(s.coldStorageBaseSize).toBe(1_000_000);
    expect(s.coldStoragePath).toBeNull();
    expect(s.cold).toBeNull();
    expect(s.atomFetchInterval).toBe(0.25);
    expect(s.atomFetchRetries).toBe(8);
  });

  it("trims and upper-cases the scale; numeric strings are numbers", () => {
    const s = new AtomStore({ cold_storage_scale: " kb ", hot_storage_limit: "2048" as unknown as number });
    expect(s.coldStorageBaseSize).toBe(1_000);
    expect(s.hotStorageLimit).toBe(2048);
  });

  it.each([
    [{ cold_storage_scale: "TB" }, "cold_storage_scale"],
    [{ hot_storage_limit: -1 }, "hot_storage_limit"],
    [{ hot_storage_limit: true }, "hot_storage_limit"],
    [{ atom_fetch_retries: 1.5 }, "atom_fetch_retries"],
    [{ atom_fetch_interval: -0.1 }, "atom_fetch_interval"],
    [{ cold_storage_path: 7 }, "cold_storage_path"],
  ])("rejects %o naming the key", (opts, key) => {
    let err: unknown;
    try {
      new AtomStore(opts as never);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).key).toBe(key);
    expect((err as ConfigError).message).toContain(key);
  });
});

/** A network stub: records requests and delivers (after a turn of the event loop) what it holds. */
class StubNetwork implements AtomNetwork {
  readonly requests: { id: string; type: PayloadType }[] = [];
  constructor(
    private readonly store: AtomStore,
    private readonly has: Map<string, Expr[]>,
    private readonly reachable = true,
  ) {}
  requestAtom(id: Uint8Array, type: PayloadType): boolean {
    this.requests.push({ id: hex(id), type });
    if (!this.reachable) return false;
    const answer = this.has.get(idKey(id));
    if (answer !== undefined) setTimeout(() => void this.store.deliver(answer), 5);
    return true;
  }
}

describe("network fallback (atom_fetch_interval, atom_fetch_retries)", () => {
  it("a miss in both tiers asks the network and returns the delivered atom", async () => {
    const store = await open({ atom_fetch_interval: 0.05, atom_fetch_retries: 40 });
    const e = blob(10, 9);
    const net = new StubNetwork(store, new Map([[idKey(e.hash()), [e]]]));
    store.setNetwork(net);
    expect(exprEquals((await store.get(e.hash()))!, e)).toBe(true);
    expect(net.requests).toEqual([{ id: hex(e.hash()), type: PayloadType.ATOM }]);
    expect(store.stats.networkHits).toBe(1);
  });

  it("a list is requested as a list, and the store resolves it once delivered", async () => {
    const store = await open({ atom_fetch_interval: 0.05, atom_fetch_retries: 40 });
    const list = p("(5 6 7)");
    const source = await open();
    await source.put(list);
    const atoms = (await source.resolveListLocal(list.hash())).atoms;
    const net = new StubNetwork(store, new Map([[idKey(list.hash()), atoms]]));
    store.setNetwork(net);
    expect((await store.getAtomList(list.hash()))!.map(printExpr)).toEqual(["5", "6", "7"]);
    expect(net.requests[0]).toEqual({ id: hex(list.hash()), type: PayloadType.LIST });
  });

  it("delivered atoms reach the waiter even when both tiers are full", async () => {
    const store = await open({ hot_storage_limit: 0, atom_fetch_interval: 0.05, atom_fetch_retries: 40 });
    const e = blob(10, 3);
    store.setNetwork(new StubNetwork(store, new Map([[idKey(e.hash()), [e]]])));
    expect(exprEquals((await store.get(e.hash()))!, e)).toBe(true);
    expect(store.hot.count).toBe(0);
  });

  it("re-requests every interval and gives up after interval × retries", async () => {
    const store = await open({ atom_fetch_interval: 0.02, atom_fetch_retries: 3 });
    const net = new StubNetwork(store, new Map());
    store.setNetwork(net);
    expect(await store.get(blob(4, 4).hash())).toBeNull();
    expect(net.requests.length).toBeGreaterThanOrEqual(2);
    expect(net.requests.length).toBeLessThanOrEqual(4);
    expect(store.stats.misses).toBe(1);
  });

  it("interval 0 or retries 0: one request, one local check, no waiting", async () => {
    for (const opts of [{ atom_fetch_interval: 0 }, { atom_fetch_retries: 0 }]) {
      const store = await open(opts);
      const e = blob(4, 5);
      const net = new StubNetwork(store, new Map([[idKey(e.hash()), [e]]]));
      store.setNetwork(net);
      expect(await store.get(e.hash())).toBeNull();
      expect(net.requests.length).toBe(1);
      // The answer still lands in storage for later reads.
      await new Promise((r) => setTimeout(r, 20));
      expect(store.getHot(e.hash())).not.toBeNull();
    }
  });

  it("no network, or no request sent: null at once; an abort ends the wait", async () => {
    const store = await open({ atom_fetch_interval: 10, atom_fetch_retries: 10 });
    expect(await store.get(blob(3, 1).hash())).toBeNull();
    store.setNetwork(new StubNetwork(store, new Map(), false));
    expect(await store.get(blob(3, 1).hash())).toBeNull();
    store.setNetwork(new StubNetwork(store, new Map()));
    const ac = new AbortController();
    const pending = store.get(blob(3, 2).hash(), { signal: ac.signal });
    setTimeout(() => ac.abort(), 20);
    expect(await pending).toBeNull();
  });
});
