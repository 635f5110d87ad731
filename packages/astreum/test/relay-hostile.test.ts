// Property runs start from the suite's fixed fast-check seed (vitest.setup.ts; FC_SEED overrides).
// Hostile input at a live node: truncated, oversized, wrong-key, tampered, replayed, unsolicited
// and random datagrams are dropped and counted; none throws out of the socket handler or stalls
// the queue. The property test throws 100,000 of them at a node and after every 1,000 checks that
// it still answers a real peer.
import {
  addPow,
  BytesExpr,
  encodeFoundAtom,
  encodeMessage,
  encodeObjectRequest,
  encodeObjectResponse,
  ObjectRequestCode,
  ObjectResponseCode,
  PayloadType,
  type RelayStats,
  Topic,
  totalDropped,
} from "astreum";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { connectedPair, RawClient, startNode, stopAll, type TestNode, waitFor } from "./relay-helpers.js";

afterEach(stopAll);

const get = (id: Uint8Array): Uint8Array =>
  encodeObjectRequest({
    code: ObjectRequestCode.GET,
    atomId: id,
    payloadType: PayloadType.ATOM,
    data: new Uint8Array(0),
  });

/** Sends datagrams in chunks the socket buffers can hold, waiting for the node to take each chunk. */
async function throwAt(node: TestNode, client: RawClient, datagrams: readonly Uint8Array[]): Promise<void> {
  for (let i = 0; i < datagrams.length; i += 100) {
    const chunk = datagrams.slice(i, i + 100);
    const target = node.relay.stats.received + chunk.length;
    await Promise.all(chunk.map((d) => client.send(d, node.port)));
    // Wait until the node has read them all, or (if the kernel dropped some) until reading stops.
    let last = -1;
    let idle = Date.now();
    while (node.relay.stats.received < target) {
      if (node.relay.stats.received !== last) {
        last = node.relay.stats.received;
        idle = Date.now();
      } else if (Date.now() - idle > 200) break;
      await new Promise((r) => setImmediate(r));
    }
  }
  await waitFor("queue drained", () => node.relay.queuedBytes === 0);
}

/** Every datagram read was either dropped before the queue or processed. */
function accountedFor(s: RelayStats): boolean {
  const d = s.dropped;
  return s.received === s.processed + d.too_short + d.oversized + d.pow + d.queue_full + d.queue_timeout;
}

describe("hostile datagrams, one kind at a time", () => {
  it("every truncation of a genuine datagram is dropped; the whole one is served", async () => {
    const node = await startNode();
    const e = new BytesExpr(Uint8Array.of(4, 2));
    await node.store.put(e);
    const c = await RawClient.open();
    const genuine = c.normal(node.relay.publicKey, Topic.OBJECT_REQUEST, get(e.hash()));
    const cuts = Array.from({ length: genuine.length }, (_, n) => genuine.subarray(0, n));
    await throwAt(node, c, cuts);
    const s = node.relay.stats;
    expect(s.received).toBe(genuine.length);
    expect(totalDropped(s)).toBe(genuine.length);
    expect(s.dropped.too_short).toBe(9);
    expect(s.accepted).toBe(0);
    expect(node.relay.exchange.stats.served).toBe(0);
    await throwAt(node, c, [genuine]);
    expect(node.relay.exchange.stats.served).toBe(1);
    expect(accountedFor(s)).toBe(true);
    await c.close();
  });

  it("datagrams over maxDatagramSize are dropped as oversized", async () => {
    const node = await startNode({ maxDatagramSize: 1024 });
    const c = await RawClient.open();
    await throwAt(node, c, [addPow(new Uint8Array(1500), 1), addPow(new Uint8Array(60_000), 1)]);
    expect(node.relay.stats.dropped.oversized).toBe(2);
    await c.close();
  });

  it("a message under a wrong key (claiming a real peer's identity) is dropped and moves nothing", async () => {
    const [a, b] = await connectedPair();
    const c = await RawClient.open();
    const forged = encodeMessage({
      handshake: false,
      senderPublicKey: b.relay.publicKey,
      incomingPort: c.port,
      body: new Uint8Array(60).fill(7),
    });
    await throwAt(a, c, [addPow(forged, 1), addPow(forged, 1)]);
    expect(a.relay.stats.dropped.decrypt).toBe(2);
    expect(a.relay.getPeer(b.relay.publicKey)!.address.port).toBe(b.port);
    // a re-key handshake is offered to the claimed address at most once per second
    await waitFor("re-key handshake", () => c.received.length >= 1);
    expect(c.received.length).toBe(1);
    await c.close();
  });

  it("a replayed datagram is dropped after its first delivery", async () => {
    const node = await startNode();
    const e = new BytesExpr(Uint8Array.of(9));
    await node.store.put(e);
    const c = await RawClient.open();
    const genuine = c.normal(node.relay.publicKey, Topic.OBJECT_REQUEST, get(e.hash()));
    await throwAt(node, c, [genuine, genuine, genuine, genuine]);
    expect(node.relay.stats.dropped.replay).toBe(3);
    expect(node.relay.exchange.stats.served).toBe(1);
    await waitFor("one answer", () => c.received.length === 1);
    await c.close();
  });

  it("object responses nobody asked for, or that do not match the id asked for, are dropped", async () => {
    const [a, b] = await connectedPair({}, {}, { atom_fetch_interval: 0.02, atom_fetch_retries: 5 });
    const c = await RawClient.open();
    const atom = new BytesExpr(Uint8Array.of(1, 1));
    const found = (id: Uint8Array) =>
      encodeObjectResponse({
        code: ObjectResponseCode.FOUND,
        atomId: id,
        data: encodeFoundAtom(atom.serialize()),
      });
    await throwAt(b, c, [c.normal(b.relay.publicKey, Topic.OBJECT_RESPONSE, found(atom.hash()))]);
    expect(b.relay.stats.dropped.unsolicited).toBe(1);
    expect(b.store.hasLocal(atom.hash())).toBe(false);
    // B asks A for an atom; a third party answers with the wrong atom under that id
    const wanted = new BytesExpr(Uint8Array.of(2, 2)).hash();
    const pending = b.store.get(wanted);
    await waitFor("request pending", () => b.relay.exchange.pendingCount === 1);
    await throwAt(b, c, [c.normal(b.relay.publicKey, Topic.OBJECT_RESPONSE, found(wanted))]);
    expect(b.relay.stats.dropped.unsolicited).toBe(2);
    expect(await pending).toBeNull();
    expect(b.store.hasLocal(atom.hash())).toBe(false);
    expect(a.relay.isConnected).toBe(true);
    await c.close();
  });
});

describe("property: random hostile traffic", () => {
  it("100,000 hostile datagrams are dropped and counted, and the node still answers a real peer", async () => {
    const [a, b] = await connectedPair({}, {}, { atom_fetch_interval: 0.05, atom_fetch_retries: 100 });
    const c = await RawClient.open();
    const bKey = b.relay.publicKey;
    const aKey = a.relay.publicKey;
    const bytes = (max: number, min = 0) => fc.uint8Array({ minLength: min, maxLength: max });
    // Genuine datagrams from the attacker's own key: valid the first time, replays afterwards.
    const genuine = Array.from({ length: 20 }, (_, i) =>
      c.normal(aKey, i % 6, i % 2 === 0 ? get(new Uint8Array(32).fill(i)) : new Uint8Array(i * 3)),
    );
    const hostile: fc.Arbitrary<Uint8Array> = fc.oneof(
      bytes(300),
      bytes(300, 1).map((m) => addPow(m, 1)),
      fc
        .record({
          handshake: fc.boolean(),
          key: fc.oneof(bytes(32, 32), fc.constant(bKey), fc.constant(aKey), fc.constant(new Uint8Array(32))),
          port: fc.integer({ min: 0, max: 65_535 }),
          body: bytes(120),
        })
        .map((r) =>
          addPow(
            encodeMessage({
              handshake: r.handshake,
              senderPublicKey: r.key,
              incomingPort: r.port,
              body: r.body,
            }),
            1,
          ),
        ),
      fc
        .record({ topic: fc.integer({ min: 0, max: 9 }), content: bytes(80) })
        .map((r) => c.normal(aKey, r.topic, r.content)),
      fc.tuple(fc.nat(), fc.constantFrom(...genuine)).map(([n, g]) => g.subarray(0, n % g.length)),
      fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 }), fc.constantFrom(...genuine)).map(([i, x, g]) => {
        const t = Uint8Array.from(g);
        t[i % t.length]! ^= x;
        return t;
      }),
      fc.constantFrom(...genuine),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(hostile, { minLength: 1000, maxLength: 1000 }), async (datagrams) => {
        await throwAt(a, c, datagrams);
        expect(accountedFor(a.relay.stats)).toBe(true);
        const e = new BytesExpr(Uint8Array.of(0xfe, run >> 8, run & 0xff));
        run++;
        await a.store.put(e);
        const got = await b.store.get(e.hash());
        expect(got).not.toBeNull();
      }),
      { numRuns: 100, endOnFailure: true },
    );
    const s = a.relay.stats;
    if (process.env.HOSTILE_STATS) console.log(JSON.stringify(s), a.relay.peers.size);
    expect(s.received).toBeGreaterThan(90_000);
    expect(totalDropped(s)).toBeGreaterThan(50_000);
    expect(s.dropped.internal).toBe(0);
    expect(a.relay.route.size).toBeLessThanOrEqual(256 * 16);
    expect(a.relay.getPeer(bKey)).not.toBeNull();
    await c.close();
  }, 120_000);
});
