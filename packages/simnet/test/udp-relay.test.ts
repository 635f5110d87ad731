import { createSocket, type Socket } from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import { DatagramLink } from "../src/link/datagram-link.js";
import { DEFAULT_LINK, type LinkParams, LinkParamsError } from "../src/link/link-model.js";
import { Partition } from "../src/link/partition.js";
import { flowSeed, UdpRelay } from "../src/link/udp-relay.js";
import { UdpSourceSockets } from "../src/link/udp-source-sockets.js";
import { seededRandom } from "../src/report/seeded-random.js";
import { sleep, waitFor } from "../src/wait.js";

// A node behind its relay: it receives on its private address; the peer sends from its private
// address and must appear to the node under its public one.
const NODE_PRIVATE = "127.78.0.1";
const NODE_PUBLIC = "127.78.1.1";
const PEER_PRIVATE = "127.78.0.2";
const PEER_PUBLIC = "127.78.1.2";
const OUTSIDER = "127.78.66.1";
const SEED = 11;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function bound(host: string): Promise<Socket> {
  const s = createSocket("udp4");
  await new Promise<void>((r) => s.bind(0, host, () => r()));
  cleanups.push(() => new Promise<void>((r) => s.close(() => r())));
  return s;
}

interface Received {
  readonly text: string;
  readonly from: string;
}

async function nodeSocket(): Promise<{ socket: Socket; got: Received[] }> {
  const socket = await bound(NODE_PRIVATE);
  const got: Received[] = [];
  socket.on("message", (m, rinfo) => got.push({ text: m.toString(), from: rinfo.address }));
  return { socket, got };
}

async function relayFor(
  node: Socket,
  link: Partial<LinkParams>,
  partition?: Partition,
): Promise<{ relay: UdpRelay; sources: UdpSourceSockets }> {
  const sources = new UdpSourceSockets();
  const relay = new UdpRelay({
    host: NODE_PUBLIC,
    link: { ...DEFAULT_LINK, ...link },
    seed: SEED,
    sources,
    publicAddressOf: (ip) => (ip === PEER_PRIVATE ? PEER_PUBLIC : ip),
    partition,
  });
  await relay.start();
  relay.setTarget(NODE_PRIVATE, node.address().port);
  cleanups.push(() => sources.close());
  cleanups.push(() => relay.stop());
  return { relay, sources };
}

/** Sends `count` numbered datagrams, paced so loopback never drops one itself. */
async function sendMany(from: Socket, relay: UdpRelay, count: number, bytes = 100): Promise<string[]> {
  const sent: string[] = [];
  for (let i = 0; i < count; i++) {
    const text = `${String(i).padStart(5, "0")}:${"x".repeat(bytes - 6)}`;
    sent.push(text);
    await new Promise<void>((r) => from.send(text, relay.port, NODE_PUBLIC, () => r()));
    if (i % 20 === 19) await sleep(2);
  }
  return sent;
}

describe("UDP relay", () => {
  it("delivers every datagram of a lossless flow intact, in order, from the sender's public address", async () => {
    const node = await nodeSocket();
    const { relay } = await relayFor(node.socket, { latencyMs: 20, jitterMs: 10, lossRate: 0 });
    const peer = await bound(PEER_PRIVATE);
    const sent = await sendMany(peer, relay, 200);
    await waitFor(() => node.got.length === sent.length, { what: "200 datagrams", timeoutMs: 20_000 });
    expect(node.got.map((g) => g.text)).toEqual(sent);
    expect(new Set(node.got.map((g) => g.from))).toEqual(new Set([PEER_PUBLIC]));
    expect(relay.stats).toMatchObject({ received: 200, forwarded: 200, lost: 0, refused: 0 });
  });

  it("really loses datagrams, exactly the ones its seeded link model says", async () => {
    const node = await nodeSocket();
    const link = { ...DEFAULT_LINK, latencyMs: 5, jitterMs: 2, lossRate: 0.3 };
    const { relay } = await relayFor(node.socket, link);
    const peer = await bound(PEER_PRIVATE);
    const sent = await sendMany(peer, relay, 300);
    // Replay the flow's model: which datagrams survive does not depend on the clock.
    const replay = new DatagramLink(link, seededRandom(flowSeed(SEED, PEER_PUBLIC)));
    const expected = sent.filter((s) => replay.send(0, s.length).kind === "deliver");
    console.log(`udp relay loss: seed ${SEED}, ${expected.length} of ${sent.length} expected through`);
    await waitFor(() => relay.stats.forwarded + relay.stats.lost === sent.length, {
      what: "every datagram decided",
      timeoutMs: 20_000,
    });
    await waitFor(() => node.got.length === expected.length, { what: "survivors", timeoutMs: 10_000 });
    expect(node.got.map((g) => g.text)).toEqual(expected);
    expect(relay.stats.lost).toBe(sent.length - expected.length);
  });

  it("keeps an outsider's own address and refuses across a partition and without a target", async () => {
    const node = await nodeSocket();
    const partition = new Partition();
    const { relay } = await relayFor(node.socket, { latencyMs: 1, jitterMs: 0, lossRate: 0 }, partition);
    const outsider = await bound(OUTSIDER);
    const peer = await bound(PEER_PRIVATE);
    await sendMany(outsider, relay, 3);
    await waitFor(() => node.got.length === 3, { what: "outsider's datagrams", timeoutMs: 10_000 });
    expect(node.got.every((g) => g.from === OUTSIDER)).toBe(true);

    partition.split([[NODE_PUBLIC], [PEER_PUBLIC]]);
    await sendMany(peer, relay, 5);
    await waitFor(() => relay.stats.refused === 5, { what: "refusals", timeoutMs: 10_000 });
    partition.heal();
    relay.clearTarget();
    await sendMany(peer, relay, 2);
    await waitFor(() => relay.stats.refused === 7, { what: "refusals without a target", timeoutMs: 10_000 });
    expect(node.got).toHaveLength(3);
  });

  it("rejects bad link parameters", () => {
    const sources = new UdpSourceSockets();
    expect(
      () => new UdpRelay({ host: NODE_PUBLIC, link: { ...DEFAULT_LINK, lossRate: 1 }, seed: 1, sources }),
    ).toThrow(LinkParamsError);
    expect(() => new DatagramLink({ ...DEFAULT_LINK, latencyMs: -1 }, seededRandom(1))).toThrow(/latencyMs/);
  });
});
