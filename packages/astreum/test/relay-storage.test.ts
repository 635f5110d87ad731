// Atoms over the relay: advertisements and the provider index (tests.storage.indexing), fetching
// atoms and lists between nodes, a three-node network where the fetch is routed, lists larger than
// a datagram, restart with cold storage intact, and the fair-use gate.
import {
  BytesExpr,
  compareDistance,
  type Expr,
  exprEquals,
  listToExpr,
  PayloadType,
  printExpr,
  relayKeyPair,
  unixNow,
} from "astreum";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { hex } from "./helpers.js";
import {
  connectedPair,
  removeTempDirs,
  startNode,
  stopAll,
  type TestNode,
  tempDir,
  waitFor,
} from "./relay-helpers.js";

afterAll(removeTempDirs);

afterEach(stopAll);

/** The first expression built from 0, 1, 2, … whose id is strictly closer to `near` than to `far`. */
function closerTo(near: TestNode, far: TestNode, make: (n: number) => Expr): Expr {
  for (let n = 0; ; n++) {
    const e = make(n);
    if (compareDistance(e.hash(), near.relay.publicKey, far.relay.publicKey) < 0) return e;
  }
}
/** Store options for a requester that gives up quickly. */
const quick = (retries: number) => ({ atom_fetch_interval: 0.02, atom_fetch_retries: retries });
const small = (n: number): Expr => BytesExpr.fromInt(1000 + n);
const list4 = (n: number): Expr => listToExpr([1, 2, 3, 4].map((i) => BytesExpr.fromInt(n * 4 + i)));

describe("tests.storage.indexing (reference)", () => {
  it("A advertises one atom: B indexes A as its provider and fetches it; then a 4-item list", async () => {
    const [a, b] = await connectedPair();
    const e = closerTo(b, a, small);
    await a.store.put(e);
    a.store.addAtomAdvertisement(e.hash(), PayloadType.ATOM);
    const provider = await waitFor("B indexes A", () => b.relay.exchange.providers.get(e.hash()));
    expect(provider).toEqual({ publicKey: a.relay.publicKey, host: "127.0.0.1", port: a.port });
    expect(exprEquals((await b.store.get(e.hash()))!, e)).toBe(true);

    const list = closerTo(b, a, list4);
    await a.store.put(list);
    a.store.addAtomAdvertisements([[list.hash(), PayloadType.LIST, unixNow() + 900]]);
    await waitFor("B indexes the list", () => b.relay.exchange.providers.get(list.hash()));
    const items = await b.store.getAtomList(list.hash());
    expect(items!.map(printExpr)).toEqual((await a.store.getAtomList(list.hash()))!.map(printExpr));
    expect(items!.length).toBe(4);
  });

  it("an atom closer to the advertiser than to any peer is indexed by the advertiser itself", async () => {
    const [a, b] = await connectedPair();
    const e = closerTo(a, b, small);
    await a.store.put(e);
    a.store.addAtomAdvertisement(e.hash());
    const own = await waitFor("A indexes itself", () => a.relay.exchange.providers.get(e.hash()));
    expect(hex(own.publicKey)).toBe(a.relay.publicKeyHex);
    expect(b.relay.exchange.providers.get(e.hash())).toBeNull();
  });

  it("re-advertises every storage_index_interval (reaching peers that came later) and drops expired entries", async () => {
    const a = await startNode({ storage_index_interval: 0.05 });
    const late = relayKeyPair();
    // an atom closer to the late peer than to A
    let e: Expr = small(0);
    for (let n = 0; compareDistance(e.hash(), late.publicKey, a.relay.publicKey) >= 0; n++) e = small(n);
    await a.store.put(e);
    a.store.addAtomAdvertisement(e.hash(), PayloadType.ATOM, null);
    a.store.addAtomAdvertisement(small(99_999).hash(), PayloadType.ATOM, unixNow() + 0.2);
    const b = await startNode({
      relay_secret_key: late.secretKey,
      additional_seeds: [`127.0.0.1:${a.port}`],
    });
    await waitFor("B indexes through a later round", () => b.relay.exchange.providers.get(e.hash()));
    await waitFor("expired entry dropped", () => a.store.atomAdvertisements.length === 1);
  });
});

describe("fetching through the network", () => {
  it("three nodes: C asks B (closest to the id), B points at A, C fetches from A", async () => {
    const [a, b] = await connectedPair();
    const c = await startNode({ additional_seeds: [`127.0.0.1:${b.port}`] });
    await waitFor(
      "C connected to B",
      () => c.relay.getPeer(b.relay.publicKey) && b.relay.getPeer(c.relay.publicKey),
    );
    const e = closerTo(b, a, small);
    await a.store.put(e); // stored on A only, never advertised
    expect(b.store.hasLocal(e.hash())).toBe(false);
    const got = await c.store.get(e.hash());
    expect(exprEquals(got!, e)).toBe(true);
    expect(c.relay.exchange.stats.providerHints).toBeGreaterThanOrEqual(1);
    expect(a.relay.exchange.stats.served).toBe(1);
    expect(b.relay.exchange.stats.served).toBe(0);
    expect(b.store.hasLocal(e.hash())).toBe(false);
  });

  it("a closest peer that never answers does not stall a fetch: the re-request goes to the next peer", async () => {
    const [a, b] = await connectedPair({}, {}, quick(50));
    const silent = await startNode({ additional_seeds: [`127.0.0.1:${b.port}`] });
    await waitFor("B knows the silent peer", () => b.relay.getPeer(silent.relay.publicKey));
    // The silent peer drops every object request.
    silent.relay.exchange.onRequest = () => {};
    const e = closerTo(silent, a, small);
    await a.store.put(e);
    const got = await b.store.get(e.hash());
    expect(exprEquals(got!, e)).toBe(true);
    expect(a.relay.exchange.stats.served).toBe(1);
  });

  it("a list larger than one datagram arrives over several list requests", async () => {
    // a generous wait (20 s): the walk takes several round trips, slow on a loaded machine
    const [a, b] = await connectedPair({}, {}, { atom_fetch_interval: 0.05, atom_fetch_retries: 400 });
    const items = Array.from({ length: 400 }, (_, i) => new BytesExpr(new Uint8Array(300).fill(i % 251)));
    items.forEach((it, i) => {
      it.value[0] = i >> 8;
      it.value[1] = i & 0xff;
    });
    const list = listToExpr(items);
    await a.store.put(list);
    const got = await b.store.getAtomList(list.hash());
    expect(got!.length).toBe(400);
    expect(got!.every((e, i) => exprEquals(e, items[i]!))).toBe(true);
    expect(a.relay.exchange.stats.served).toBeGreaterThan(2);
  });

  it("an atom too large for one datagram is not sent; a missing atom is null after the wait", async () => {
    const [a, b] = await connectedPair({}, {}, quick(3));
    const big = new BytesExpr(new Uint8Array(70_000).fill(1));
    await a.store.put(big);
    expect(await b.store.get(big.hash())).toBeNull();
    expect(await b.store.get(small(12345).hash())).toBeNull();
    expect(b.store.stats.misses).toBe(2);
  });

  it("restart with cold storage intact: a node back on the same directory serves what it stored", async () => {
    const dir = tempDir("relay-restart");
    const key = relayKeyPair();
    const first = await startNode(
      { relay_secret_key: key.secretKey },
      { cold_storage_path: dir, cold_storage_scale: "KB" },
    );
    const atoms = Array.from({ length: 30 }, (_, i) => new BytesExpr(new Uint8Array(64).fill(i)));
    for (const e of atoms) await first.store.put(e);
    await first.stop();

    const again = await startNode(
      { relay_secret_key: key.secretKey },
      { cold_storage_path: dir, cold_storage_scale: "KB" },
    );
    expect(again.store.hot.count).toBe(0);
    const b = await startNode({ additional_seeds: [`127.0.0.1:${again.port}`] });
    await waitFor("connected", () => b.relay.getPeer(key.publicKey));
    for (const e of atoms) expect(exprEquals((await b.store.get(e.hash()))!, e)).toBe(true);
    expect(again.store.stats.coldHits).toBe(30);
  });
});

describe("fair use", () => {
  it("past fair_use_limit a peer that gives nothing back is asked to pay; giving back restores service", async () => {
    const [a, b] = await connectedPair(
      { fair_use_limit: 200, fair_use_ratio: 0.5, relay_payment_secret_key: hex(new Uint8Array(32).fill(3)) },
      { fair_use_limit: 200, fair_use_ratio: 0.5 },
      quick(5),
    );
    const onA = [1, 2, 3].map((i) => new BytesExpr(new Uint8Array(100).fill(i)));
    for (const e of onA) await a.store.put(e);
    expect(await b.store.get(onA[0]!.hash())).not.toBeNull(); // 101 bytes: under the limit
    expect(await b.store.get(onA[1]!.hash())).toBeNull(); // 202 ≥ 200 with nothing given back
    expect(a.relay.exchange.stats.paymentRequired).toBeGreaterThanOrEqual(1);
    // B serves A 202 bytes; now B's ratio is 202 / 202 ≥ 0.5
    const onB = [4, 5].map((i) => new BytesExpr(new Uint8Array(100).fill(i)));
    for (const e of onB) await b.store.put(e);
    for (const e of onB) expect(await a.store.get(e.hash())).not.toBeNull();
    expect(a.relay.getPeer(b.relay.publicKey)!.sharedStorageDownload).toBe(202);
    expect(await b.store.get(onA[1]!.hash())).not.toBeNull();
  });

  it("without a payment key the gated object is simply not served", async () => {
    const [a, b] = await connectedPair({ fair_use_limit: 10, fair_use_ratio: 1 }, {}, quick(3));
    const e = new BytesExpr(new Uint8Array(50));
    await a.store.put(e);
    expect(await b.store.get(e.hash())).toBeNull();
    expect(a.relay.exchange.stats.paymentRequired).toBeGreaterThanOrEqual(1);
    expect(a.relay.exchange.stats.served).toBe(0);
  });
});
