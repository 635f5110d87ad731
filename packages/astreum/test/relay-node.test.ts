// A live relay on 127.0.0.1 (and ::1): sockets and ports (tests.node.test_node_init), connection
// between two nodes (tests.node.test_node_connection), the processor's use of header ports
// (tests.communication.test_integration_port_handling, over real sockets), IPv6, pings,
// transactions, route discovery, peer timeout eviction, bootstrap retries and the queue cap.
import { createSocket } from "node:dgram";
import {
  BytesExpr,
  ConfigError,
  decodeMessage,
  encodeNormalDatagram,
  encodeObjectRequest,
  type Logger,
  ObjectRequestCode,
  openBody,
  PayloadType,
  RelayNode,
  relayKeyPair,
  sharedKey,
  Topic,
} from "astreum";
import { afterEach, describe, expect, it } from "vitest";
import { hex } from "./helpers.js";
import { connectedPair, RawClient, startNode, stopAll, waitFor } from "./relay-helpers.js";

afterEach(stopAll);

function captureLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (m: string): void => {
    lines.push(m);
  };
  return { lines, debug: push, info: push, warn: push, error: push };
}

async function freePort(): Promise<number> {
  const s = createSocket("udp4");
  await new Promise<void>((r) => s.bind(0, "127.0.0.1", () => r()));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe("tests.node.test_node_init (relay part)", () => {
  it("has the seed's defaults; port 0 binds an ephemeral port and writes it back into the options", async () => {
    const defaults = new RelayNode();
    expect(defaults.requestedPort).toBe(52780);
    expect(defaults.defaultSeed).toBe("bootstrap.astreum.org:52780");
    expect(defaults.peerTimeoutMs).toBe(900_000);
    expect(defaults.fairUseLimit).toBe(1_048_576);
    expect(defaults.publicKey.length).toBe(32);
    const options = { incoming_port: 0, default_seed: null, bindAddress: "127.0.0.1" };
    const relay = new RelayNode(options);
    await relay.start();
    expect(relay.incomingPort).toBeGreaterThan(0);
    expect(options.incoming_port).toBe(relay.incomingPort);
    expect(relay.isConnected).toBe(true);
    await relay.start(); // idempotent
    await relay.stop();
    expect(relay.isConnected).toBe(false);
    // the port is free again: a new socket can bind it
    const s = createSocket("udp4");
    await new Promise<void>((r, j) => {
      s.once("error", j);
      s.bind(options.incoming_port, "127.0.0.1", () => r());
    });
    s.close();
    await relay.stop(); // idempotent
  });

  it("concurrent start() calls bind once; stop() during start() leaves nothing running", async () => {
    const options = { incoming_port: 0, default_seed: null, bindAddress: "127.0.0.1" };
    const relay = new RelayNode(options);
    await Promise.all([relay.start(), relay.start()]);
    expect(relay.isConnected).toBe(true);
    await relay.stop();
    const other = new RelayNode({ ...options });
    const starting = other.start();
    await other.stop();
    await starting;
    expect(other.isConnected).toBe(false);
  });

  it("relay_secret_key fixes the identity; bad options name their key", () => {
    const kp = relayKeyPair();
    const relay = new RelayNode({ relay_secret_key: Buffer.from(kp.secretKey).toString("hex") });
    expect(hex(relay.publicKey)).toBe(hex(kp.publicKey));
    expect(hex(new RelayNode({ relay_secret_key: `0x${hex(kp.secretKey)}` }).publicKey)).toBe(
      hex(kp.publicKey),
    );
    const bad: [object, string][] = [
      [{ relay_secret_key: "abcd" }, "relay_secret_key"],
      [{ incoming_port: -1 }, "incoming_port"],
      [{ incoming_port: 70000 }, "incoming_port"],
      [{ peer_timeout: 0 }, "peer_timeout"],
      [{ use_ipv6: "yes" }, "use_ipv6"],
      [{ default_seeds: ["a:1"] }, "default_seeds"],
      [{ additional_seeds: "127.0.0.1:1" }, "additional_seeds"],
      [{ fair_use_ratio: -1 }, "fair_use_ratio"],
      [{ incoming_queue_size_limit: 1.5 }, "incoming_queue_size_limit"],
      [{ bogus_key: 1 }, "bogus_key"],
      [{ bind_address: "127.0.0.1" }, "bind_address"],
      [{ maxPeersPerIp: -1 }, "maxPeersPerIp"],
    ];
    for (const [opts, key] of bad) {
      let err: unknown;
      try {
        new RelayNode(opts as never);
      } catch (e) {
        err = e;
      }
      expect(err, key).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).key).toBe(key);
    }
    expect(() => new RelayNode({ bind_address: "x" } as never)).toThrow(/did you mean bindAddress\?/);
  });

  it("a port in use is an error, and nothing stays bound", async () => {
    const a = await startNode();
    const b = new RelayNode({ incoming_port: a.port, default_seed: null, bindAddress: "127.0.0.1" });
    await expect(b.start()).rejects.toThrow(/EADDRINUSE/);
    expect(b.isConnected).toBe(false);
  });
});

describe("tests.node.test_node_connection", () => {
  it("B lists A in additional_seeds; each gets the other as a peer", async () => {
    const [a, b] = await connectedPair();
    const pa = b.relay.getPeer(a.relay.publicKey)!;
    expect(pa.address).toEqual({ host: "127.0.0.1", port: a.port });
    expect(b.relay.getPeer(a.relay.publicKey)!.registered).toBe(true);
    expect(a.relay.route.has(b.relay.publicKey)).toBe(true);
    expect(a.relay.peers.size).toBe(1);
  });

  it("over IPv6 (::1), and from an IPv4 node to a dual-stack IPv6 node", async () => {
    const a = await startNode({ use_ipv6: true, bindAddress: "::1" });
    const b = await startNode({ use_ipv6: true, bindAddress: "::1", additional_seeds: [`[::1]:${a.port}`] });
    await waitFor(
      "IPv6 handshake",
      () => a.relay.getPeer(b.relay.publicKey) && b.relay.getPeer(a.relay.publicKey),
    );
    expect(a.relay.getPeer(b.relay.publicKey)!.address.host).toBe("::1");
    const e = new BytesExpr(Uint8Array.of(6, 6));
    await a.store.put(e);
    expect(await b.store.get(e.hash())).not.toBeNull();

    const dual = await startNode({ use_ipv6: true, bindAddress: "::" });
    const v4 = await startNode({ additional_seeds: [`127.0.0.1:${dual.port}`] });
    await waitFor(
      "dual-stack handshake",
      () => dual.relay.getPeer(v4.relay.publicKey) && v4.relay.getPeer(dual.relay.publicKey),
    );
    expect(dual.relay.getPeer(v4.relay.publicKey)!.address.host).toBe("127.0.0.1");
  });
});

describe("tests.communication.test_integration_port_handling (real sockets)", () => {
  it("answers a transient sender at its header port, without registering it", async () => {
    const node = await startNode();
    const e = new BytesExpr(Uint8Array.of(1, 2, 3));
    await node.store.put(e);
    const sender = await RawClient.open();
    const listener = await RawClient.open();
    const get = encodeObjectRequest({
      code: ObjectRequestCode.GET,
      atomId: e.hash(),
      payloadType: PayloadType.ATOM,
      data: new Uint8Array(0),
    });
    await sender.send(
      sender.normal(node.relay.publicKey, Topic.OBJECT_REQUEST, get, listener.port),
      node.port,
    );
    await waitFor("response at the header port", () => listener.received.length > 0);
    expect(sender.received.length).toBe(0);
    expect(node.relay.peers.size).toBe(0);
    expect(node.relay.route.size).toBe(0);
    // the node's own outgoing datagram carries its key and incoming port (filled in on send)
    const m = decodeMessage(listener.received[0]!.msg.subarray(8));
    expect(m.incomingPort).toBe(node.port);
    expect(hex(m.senderPublicKey)).toBe(node.relay.publicKeyHex);
    expect(listener.received[0]!.port).not.toBe(node.port); // sent from the separate outgoing socket
    const opened = openBody(sharedKey(sender.keys.privateKey, node.relay.publicKey), m.body);
    expect(opened.topic).toBe(Topic.OBJECT_RESPONSE);
    await sender.close();
    await listener.close();
  });

  it("drops a normal message with port 0, warning 'missing incoming_port'", async () => {
    const log = captureLogger();
    const node = await startNode({ logger: log });
    const c = await RawClient.open();
    await c.send(c.normal(node.relay.publicKey, Topic.PING, new Uint8Array(34), null), node.port);
    await waitFor("drop", () => node.relay.stats.dropped.missing_port === 1);
    expect(log.lines.some((l) => l.includes("missing incoming_port"))).toBe(true);
    await c.close();
  });

  it("moves a known peer to (new source IP, header port) on an authenticated message only", async () => {
    const node = await startNode();
    const c = await RawClient.open();
    await c.join(node.relay.publicKey, node.port);
    const peer = await waitFor("registration", () => node.relay.getPeer(c.keys.publicKey));
    expect(peer.address).toEqual({ host: "127.0.0.1", port: c.port });
    const elsewhere = await RawClient.open("127.0.0.2");
    // a forged message (wrong key) from another address does not move it
    const forged = RawClient.prototype.normal.call(
      Object.assign(Object.create(RawClient.prototype), {
        keys: { ...relayKeyPair(), publicKey: c.keys.publicKey },
      }),
      node.relay.publicKey,
      Topic.PING,
      new Uint8Array(34),
      4444,
    );
    await elsewhere.send(forged, node.port);
    await waitFor("forgery dropped", () => node.relay.stats.dropped.decrypt === 1);
    expect(peer.address).toEqual({ host: "127.0.0.1", port: c.port });
    // a handshake (unauthenticated) does not move it either
    const accepted = node.relay.stats.accepted;
    await elsewhere.send(c.handshake(elsewhere.port), node.port);
    await waitFor("handshake handled", () => node.relay.stats.accepted > accepted);
    expect(peer.address).toEqual({ host: "127.0.0.1", port: c.port });
    // the real key from the new address does
    const ping = new Uint8Array(34);
    ping[1] = 1;
    await elsewhere.send(c.normal(node.relay.publicKey, Topic.PING, ping, 4444), node.port);
    await waitFor("address moved", () => peer.address.host === "127.0.0.2");
    expect(peer.address).toEqual({ host: "127.0.0.2", port: 4444 });
    await c.close();
    await elsewhere.close();
  });
});

describe("pings, transactions and routes", () => {
  it("a ping carries validator flag, difficulty and head; validators join the validation route", async () => {
    const [a, b] = await connectedPair({}, { validation_secret_key: hex(new Uint8Array(32).fill(5)) });
    a.relay.isValidator = true;
    a.relay.latestBlockHash = new Uint8Array(32).fill(0xab);
    const pings: boolean[] = [];
    b.relay.on("ping", (_p, ping) => pings.push(ping.isValidator));
    a.relay.ping();
    const seen = await waitFor("ping", () => {
      const p = b.relay.getPeer(a.relay.publicKey)!;
      return p.latestBlockHash !== null && p;
    });
    expect(hex(seen.latestBlockHash!)).toBe("ab".repeat(32));
    expect(seen.isValidator).toBe(true);
    expect(b.relay.validationRoute!.has(a.relay.publicKey)).toBe(true);
    a.relay.isValidator = false;
    a.relay.ping(b.relay.getPeer(a.relay.publicKey) ? a.relay.getPeer(b.relay.publicKey)! : undefined);
    await waitFor("validator flag cleared", () => !b.relay.validationRoute!.has(a.relay.publicKey));
    expect(pings).toContain(true);
    expect(pings).toContain(false);
  });

  it("a transaction hash reaches the peer's transaction listeners", async () => {
    const [a, b] = await connectedPair();
    const got: string[] = [];
    a.relay.on("transaction", (h, peer) => got.push(`${hex(h)}@${peer.key}`));
    b.relay.sendTransaction(b.relay.getPeer(a.relay.publicKey)!, new Uint8Array(32).fill(0x11));
    await waitFor("transaction", () => got.length === 1);
    expect(got[0]).toBe(`${"11".repeat(32)}@${b.relay.publicKeyHex}`);
  });

  it("route requests discover peers: C, seeded with B only, meets A", async () => {
    const [a, b] = await connectedPair();
    const c = await startNode({ additional_seeds: [`127.0.0.1:${b.port}`] });
    await waitFor(
      "C meets A through B's route",
      () => c.relay.getPeer(a.relay.publicKey) && a.relay.getPeer(c.relay.publicKey),
    );
    expect(c.relay.peers.size).toBe(2);
  });

  it("an unrequested route response is dropped", async () => {
    const node = await startNode();
    const c = await RawClient.open();
    await c.send(
      c.normal(node.relay.publicKey, Topic.ROUTE_RESPONSE, Uint8Array.of(127, 0, 0, 1, 0, 9)),
      node.port,
    );
    await waitFor("drop", () => node.relay.stats.dropped.unsolicited === 1);
    await c.close();
  });
});

describe("peer timeout and bootstrap", () => {
  it("keeps live peers with keepalive pings and evicts a peer that went silent", async () => {
    const [a, b] = await connectedPair(
      { peer_timeout: 0.6, peer_timeout_interval: 0.05 },
      { peer_timeout: 0.6, peer_timeout_interval: 0.05 },
    );
    const removed: string[] = [];
    a.relay.on("peerRemoved", (p) => removed.push(p.key));
    const pingsBefore = a.relay.stats.sent;
    // more than a timeout's worth of keepalives: both still peers
    await waitFor("keepalives", () => a.relay.stats.sent > pingsBefore + 4);
    expect(a.relay.getPeer(b.relay.publicKey)).not.toBeNull();
    expect(removed).toEqual([]);
    await b.stop();
    await waitFor("eviction", () => a.relay.getPeer(b.relay.publicKey) === null);
    expect(removed).toEqual([b.relay.publicKeyHex]);
    expect(a.relay.route.size).toBe(0);
  });

  it("retries bootstrap every bootstrap_retry_interval while it has no peers, whatever peer_timeout_interval", async () => {
    const port = await freePort();
    const a = await startNode({
      additional_seeds: [`127.0.0.1:${port}`],
      bootstrap_retry_interval: 0.1,
      peer_timeout_interval: 60, // the peer manager's round does not pace bootstrap retries
    });
    const sentBefore = a.relay.stats.sent;
    await waitFor("retries", () => a.relay.stats.sent >= sentBefore + 2);
    expect(a.relay.peers.size).toBe(0);
    const b = await startNode({ incoming_port: port });
    await waitFor("connected after retry", () => a.relay.getPeer(b.relay.publicKey));
  });

  it("a peer restarted with the same key on a new port re-registers, and the other side follows it", async () => {
    const key = relayKeyPair();
    const [a, b] = await connectedPair({}, { relay_secret_key: key.secretKey });
    await b.stop();
    const again = await startNode({
      relay_secret_key: key.secretKey,
      additional_seeds: [`127.0.0.1:${a.port}`],
    });
    expect(again.port).not.toBe(b.port);
    await waitFor("re-registered both ways", () => {
      const seen = a.relay.getPeer(key.publicKey);
      return again.relay.getPeer(a.relay.publicKey) && seen?.address.port === again.port;
    });
  });

  it("a malformed seed is a config error naming the option and the entry", () => {
    for (const [opts, key, entry] of [
      [{ additional_seeds: ["127.0.0.1:1", "nonsense"] }, "additional_seeds", 'entry 1 "nonsense"'],
      [{ additional_seeds: ["[::1]80"] }, "additional_seeds", 'entry 0 "[::1]80"'],
      [{ additional_seeds: [7] }, "additional_seeds", "entry 0 is not a string"],
      [{ default_seed: "host-without-port" }, "default_seed", '"host-without-port"'],
      [{ knownPeers: ["1.2.3.4:99999"] }, "knownPeers", 'entry 0 "1.2.3.4:99999"'],
    ] as const) {
      let err: unknown;
      try {
        new RelayNode(opts as never);
      } catch (e) {
        err = e;
      }
      expect(err, key).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).key).toBe(key);
      expect((err as ConfigError).message).toContain(entry);
    }
  });
});

describe("incoming queue cap", () => {
  /**
   * Datagrams that reach the queue: pings under a foreign key (decrypt fails in the processor),
   * with `difficulty` bits of PoW.
   */
  async function blast(
    client: RawClient,
    port: number,
    n: number,
    size: number,
    difficulty: number,
  ): Promise<void> {
    const dg = Array.from({ length: n }, () =>
      encodeNormalDatagram({
        senderPublicKey: client.keys.publicKey,
        incomingPort: client.port,
        sharedKey: new Uint8Array(32).fill(1),
        topic: Topic.PING,
        content: new Uint8Array(size),
        difficulty,
      }),
    );
    await Promise.all(dg.map((d) => client.send(d, port)));
  }

  it("a filling queue raises the PoW it demands; what still does not fit a cap with timeout 0 is dropped", async () => {
    // One 500-byte datagram fills 84% of a 600-byte cap: the next must carry 8 bits of PoW, and
    // then finds no room.
    const node = await startNode({ incoming_queue_size_limit: 600, incoming_queue_timeout: 0 });
    const c = await RawClient.open();
    await waitFor("queue_full and pow drops", async () => {
      await blast(c, node.port, 32, 440, 8);
      await blast(c, node.port, 32, 440, 1);
      await new Promise((r) => setTimeout(r, 5));
      return node.relay.stats.dropped.queue_full > 0 && node.relay.stats.dropped.pow > 0;
    });
    const peer = await startNode({ additional_seeds: [`127.0.0.1:${node.port}`] });
    await waitFor(
      "still answers",
      () => node.relay.getPeer(peer.relay.publicKey) && peer.relay.getPeer(node.relay.publicKey),
    );
    await c.close();
  });

  it("limit 0 never drops for room and never raises the PoW", async () => {
    const node = await startNode({ incoming_queue_size_limit: 0 });
    const c = await RawClient.open();
    for (let i = 0; i < 5; i++) await blast(c, node.port, 64, 440, 1);
    await waitFor("all processed", () => {
      const s = node.relay.stats;
      return s.received >= 200 && s.processed + s.dropped.pow === s.received;
    });
    expect(node.relay.stats.dropped.queue_full).toBe(0);
    expect(node.relay.stats.dropped.pow).toBe(0);
    await c.close();
  });
});
