// Peer admission (README "Peer admission"): a handshake only makes a candidate; the answer to the
// encrypted challenge (an OBJECT_GET for a random id) proves key and address; proven peers are
// registered within the per-IP and per-subnet caps; a full bucket keeps its responsive members
// (Kademlia's rule) and hands the slot of one that does not answer a probe to a waiting peer.
// Unit tests drive PeerAdmission with a fake relay; live tests flood a real node over UDP.
import {
  addPow,
  emptyStats,
  encodeContact,
  encodeMessage,
  encodeObjectResponse,
  ObjectResponseCode,
  type Peer,
  type PeerAddress,
  PeerAdmission,
  RelayEventEmitter,
  type RelayKeyPair,
  Route,
  relayKeyPair,
  sharedPrefixBits,
  silentLogger,
  Topic,
} from "astreum";
import { afterEach, describe, expect, it } from "vitest";
import { hex } from "./helpers.js";
import { RawClient, startNode, stopAll, waitFor } from "./relay-helpers.js";

afterEach(stopAll);

/** A PeerAdmission over a fake relay that records what it would send. */
function fakeRelay(opts: { bucketSize?: number; maxPeersPerIp?: number; maxPeersPerSubnet?: number } = {}) {
  const keys = relayKeyPair();
  const route = new Route<Peer>(keys.publicKey, opts.bucketSize ?? 2);
  const validators = new Route<Peer>(keys.publicKey);
  const events = new RelayEventEmitter(silentLogger);
  const challenges = new Map<string, Uint8Array>();
  const joined: string[] = [];
  const removed: string[] = [];
  events.on("peer", (p) => joined.push(p.key));
  events.on("peerRemoved", (p) => removed.push(p.key));
  const peersByKey = new Map<string, Peer>();
  const admission = new PeerAdmission(
    {
      keys,
      publicKey: keys.publicKey,
      route,
      peersByKey,
      stats: emptyStats(),
      log: silentLogger,
      events,
      maxPeersPerIp: opts.maxPeersPerIp ?? 0,
      maxPeersPerSubnet: opts.maxPeersPerSubnet ?? 0,
      validationRoute: () => validators,
      isDefaultSeed: () => false,
      sendHandshake: () => true,
      sendPing: () => {},
      sendChallenge: (peer, id) => {
        challenges.set(peer.key, id);
        return true;
      },
      requestRoute: () => true,
      drop: () => {},
    },
    30, // probe timeout (ms)
  );
  /** A handshake from `k` at `address`; returns the candidate peer. */
  const handshake = (k: RelayKeyPair, address: PeerAddress): Peer => {
    admission.onHandshake(
      { handshake: true, senderPublicKey: k.publicKey, incomingPort: address.port, body: new Uint8Array(0) },
      address,
    );
    const peer = admission.peerFor(k.publicKey, address);
    if (typeof peer === "string") throw new Error(peer);
    return peer;
  };
  /** The peer answers its pending challenge (as the relay's intake would deliver it). */
  const answer = (peer: Peer, id = challenges.get(peer.key)!): boolean => {
    peer.lastSeen = Date.now();
    const content = encodeObjectResponse({
      code: ObjectResponseCode.PROVIDER,
      atomId: id,
      data: encodeContact({ publicKey: peer.publicKey, host: "127.0.0.1", port: 9 }),
    });
    return admission.takeChallengeAnswer(peer, content);
  };
  /** Relay keys that land in bucket 0 of this node's route (first bit differs). */
  const bucket0Key = (): RelayKeyPair => {
    for (;;) {
      const k = relayKeyPair();
      if (sharedPrefixBits(keys.publicKey, k.publicKey) === 0) return k;
    }
  };
  return { admission, route, peersByKey, challenges, joined, removed, handshake, answer, bucket0Key };
}

const at = (host: string, port = 7000): PeerAddress => ({ host, port });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("PeerAdmission (unit)", () => {
  it("a handshake makes a candidate, challenged at its address; only the right answer registers it", () => {
    const r = fakeRelay();
    const k = relayKeyPair();
    const peer = r.handshake(k, at("10.0.0.1"));
    expect(r.challenges.has(peer.key)).toBe(true);
    expect(peer.registered).toBe(false);
    expect(r.route.size).toBe(0);
    // a wrong id is not an answer (it goes on to the object exchange)
    expect(r.answer(peer, new Uint8Array(32).fill(9))).toBe(false);
    expect(peer.registered).toBe(false);
    // an answer arriving from another address proves nothing
    peer.address = at("10.0.0.1", 7001);
    expect(r.answer(peer)).toBe(true);
    expect(peer.registered).toBe(false);
    // a new handshake (after the 1 s reply limit) challenges again; the right answer registers it
    const again = fakeRelay();
    const p2 = again.handshake(k, at("10.0.0.1"));
    expect(again.answer(p2)).toBe(true);
    expect(p2.registered).toBe(true);
    expect(again.joined).toEqual([p2.key]);
    expect(again.admission.stats).toMatchObject({ challenged: 1, proven: 1, registered: 1 });
  });

  it("per-IP and per-subnet caps keep proven peers out of the route; they wait, within caps of their own", () => {
    const r = fakeRelay({ maxPeersPerIp: 1, maxPeersPerSubnet: 2, bucketSize: 16 });
    const join = (host: string) => {
      const p = r.handshake(relayKeyPair(), at(host));
      r.answer(p);
      return p;
    };
    expect(join("10.0.0.1").registered).toBe(true);
    const sameIp = join("10.0.0.1");
    expect(sameIp.registered).toBe(false);
    expect(r.admission.isWaiting(sameIp)).toBe(true); // still pinged with heads, its head followed
    expect(join("10.0.0.2").registered).toBe(true);
    expect(join("10.0.0.3").registered).toBe(false); // same /24, third
    expect(join("10.0.1.3").registered).toBe(true);
    expect(r.admission.stats.capped).toBe(2);
    expect(r.peersByKey.size).toBe(3);
    // waiting peers have caps too (4 times the route's): one IP cannot fill the waiting list
    const more = [1, 2, 3, 4].map(() => join("10.0.0.1"));
    expect(more.slice(0, 3).every((p) => r.admission.isWaiting(p))).toBe(true);
    expect(r.admission.isWaiting(more[3]!)).toBe(false);
    expect(r.admission.stats.refused).toBe(1);
  });

  it("a full bucket keeps members that answer a probe: proven newcomers wait and never displace them", async () => {
    const r = fakeRelay({ bucketSize: 2 });
    const members = [r.bucket0Key(), r.bucket0Key()].map((k, i) => {
      const p = r.handshake(k, at(`10.0.${i}.1`));
      r.answer(p);
      return p;
    });
    expect(members.every((p) => p.registered)).toBe(true);
    members[0]!.lastSeen -= 10_000; // the least recently seen
    for (let i = 0; i < 5; i++) {
      const newcomer = r.handshake(r.bucket0Key(), at(`10.1.${i}.1`));
      r.answer(newcomer);
      expect(newcomer.registered).toBe(false);
      expect(r.admission.isWaiting(newcomer)).toBe(true);
      // the probed member answers its challenge
      const probed = members.find((m) => r.challenges.has(m.key) && m.challenge !== null)!;
      expect(probed).toBeDefined();
      r.answer(probed);
      await sleep(60);
      expect(members.every((m) => m.registered)).toBe(true);
    }
    expect(r.admission.stats.keptByProbe).toBe(5);
    expect(r.admission.stats.evictedByProbe).toBe(0);
    expect([...r.admission.replacementPeers].length).toBe(5);
    expect(r.removed).toEqual([]);
  });

  it("a member that does not answer the probe gives its slot to the newest waiting peer", async () => {
    const r = fakeRelay({ bucketSize: 2 });
    const [silent, alive] = [r.bucket0Key(), r.bucket0Key()].map((k, i) => {
      const p = r.handshake(k, at(`10.0.${i}.1`));
      r.answer(p);
      return p;
    });
    silent!.lastSeen -= 10_000;
    const newcomer = r.handshake(r.bucket0Key(), at("10.2.0.1"));
    r.answer(newcomer);
    expect(silent!.challenge).not.toBeNull(); // probed
    await waitFor("probe settled", () => newcomer.registered, 2000);
    expect(silent!.registered).toBe(false);
    expect(alive!.registered).toBe(true);
    expect(r.removed).toEqual([silent!.key]);
    expect(r.admission.stats.evictedByProbe).toBe(1);
  });
});

describe("a live node under a handshake flood", () => {
  /** Handshakes under random keys (no secret key behind most, never an answer) claiming `port`. */
  function fakeHandshakes(n: number, port: number): Uint8Array[] {
    return Array.from({ length: n }, () =>
      addPow(
        encodeMessage({
          handshake: true,
          senderPublicKey: relayKeyPair().publicKey,
          incomingPort: port,
          body: new Uint8Array(0),
        }),
        1,
      ),
    );
  }

  it("admits none of 3,000 fake handshakes; honest peers join during the flood and get head pings", async () => {
    const a = await startNode();
    const before = await startNode({ additional_seeds: [`127.0.0.1:${a.port}`] });
    await waitFor("early peer", () => a.relay.getPeer(before.relay.publicKey));
    const flooder = await RawClient.open("127.0.0.2");
    const flood = (async () => {
      const dgs = fakeHandshakes(3000, 40_000);
      for (let i = 0; i < dgs.length; i += 100) {
        await Promise.all(dgs.slice(i, i + 100).map((d) => flooder.send(d, a.port)));
        await sleep(100); // ~1,000 handshakes/s
      }
    })();
    await sleep(300);
    const late = await startNode({ additional_seeds: [`127.0.0.1:${a.port}`] });
    await waitFor("late joiner registered both ways", () => {
      return a.relay.getPeer(late.relay.publicKey) && late.relay.getPeer(a.relay.publicKey);
    });
    await flood;
    a.relay.latestBlockHash = new Uint8Array(32).fill(0xcd);
    a.relay.ping();
    await waitFor("head ping reached the late joiner", () => {
      const h = late.relay.getPeer(a.relay.publicKey)?.latestBlockHash;
      return h !== null && h !== undefined && hex(h) === "cd".repeat(32);
    });
    expect(a.relay.peers.size).toBe(2);
    expect(a.relay.admissionStats.proven).toBe(2);
    expect(a.relay.admissionStats.challenged).toBeGreaterThan(10);
    expect(a.relay.getPeer(before.relay.publicKey)).not.toBeNull();
    await flooder.close();
  });

  it("a sender holding its key but not receiving at the claimed port cannot prove itself", async () => {
    const a = await startNode();
    const c = await RawClient.open();
    const elsewhere = 40_001; // nobody listens there: the challenge is lost
    await c.send(c.handshake(elsewhere), a.port);
    // authenticated messages sent blindly: a ping and a guessed answer
    const ping = new Uint8Array(34);
    ping[1] = 1;
    await c.send(c.normal(a.relay.publicKey, Topic.PING, ping, elsewhere), a.port);
    await c.send(c.answer(a.relay.publicKey, new Uint8Array(32).fill(1), elsewhere), a.port);
    await waitFor("handled", () => a.relay.stats.processed >= 3);
    await sleep(100);
    expect(a.relay.getPeer(c.keys.publicKey)).toBeNull();
    expect(a.relay.admissionStats).toMatchObject({ challenged: 1, proven: 0 });
    // the same client answering at its real port is admitted (after the 1 s limit of challenges per key)
    await sleep(1100);
    await c.join(a.relay.publicKey, a.port);
    await waitFor("admitted", () => a.relay.getPeer(c.keys.publicKey));
    await c.close();
  });

  it("the per-IP cap holds on a live node; a GET the node cannot serve is answered", async () => {
    const a = await startNode({ maxPeersPerIp: 2 });
    const clients = await Promise.all([1, 2, 3].map(() => RawClient.open()));
    for (const c of clients) await c.join(a.relay.publicKey, a.port);
    await waitFor("two admitted, one capped", () => a.relay.admissionStats.capped === 1);
    expect(a.relay.peers.size).toBe(2);
    expect([...a.relay.provenPeers()].length).toBe(3); // the third waits: it still gets head pings
    // every join above got an answer to a GET for an atom the client lacked (the challenge), and
    // the node answers a GET it cannot serve the same way
    const c = clients[0]!;
    const seen = c.received.length;
    const id = new Uint8Array(32).fill(0x42);
    await c.send(
      c.normal(
        a.relay.publicKey,
        Topic.OBJECT_REQUEST,
        Uint8Array.of(0, ...id, 1), // GET, id, payload type ATOM
      ),
      a.port,
    );
    await waitFor("an answer", () => c.received.length > seen);
    for (const x of clients) await x.close();
  });
});
