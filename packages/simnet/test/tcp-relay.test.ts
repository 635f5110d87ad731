import { randomBytes } from "node:crypto";
import { connect, createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_LINK } from "../src/link/link-model.js";
import { Partition } from "../src/link/partition.js";
import { TcpRelay } from "../src/link/tcp-relay.js";
import { waitFor } from "../src/wait.js";

const NODE_HOST = "127.77.0.1";
const PEER_HOST = "127.77.1.1";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The "node": an echo server that remembers who connected. */
async function echoServer(): Promise<{ server: Server; port: number; peers: string[] }> {
  const peers: string[] = [];
  const server = createServer((s) => {
    peers.push(s.remoteAddress ?? "");
    s.on("error", () => {}); // the relay resets cut connections
    s.pipe(s);
  });
  await new Promise<void>((r) => server.listen(0, NODE_HOST, () => r()));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  const addr = server.address();
  return { server, port: typeof addr === "object" && addr ? addr.port : 0, peers };
}

async function startRelay(partition?: Partition, over: Partial<typeof DEFAULT_LINK> = {}): Promise<TcpRelay> {
  const relay = new TcpRelay({ host: NODE_HOST, link: { ...DEFAULT_LINK, ...over }, seed: 7, partition });
  await relay.start();
  cleanups.push(() => relay.stop());
  return relay;
}

interface Client {
  readonly socket: Socket;
  bytes(): Buffer;
  /** Closed, by a reset or an error alike (a refused connection may fail before it connects). */
  closed(): boolean;
}

/** Dials the relay from PEER_HOST and records what comes back. */
function dial(port: number): Client {
  const chunks: Buffer[] = [];
  let closed = false;
  const socket = connect({ host: NODE_HOST, port, localAddress: PEER_HOST });
  socket.on("data", (c: Buffer) => chunks.push(c));
  socket.on("close", () => (closed = true));
  socket.on("error", () => (closed = true));
  cleanups.push(() => void socket.destroy());
  return { socket, bytes: () => Buffer.concat(chunks), closed: () => closed };
}

describe("TCP relay", () => {
  it("carries bytes intact and in order both ways, delayed, from the dialer's own address", async () => {
    const node = await echoServer();
    const relay = await startRelay(undefined, { latencyMs: 30, jitterMs: 10, lossRate: 0.05 });
    relay.setTarget(node.port);
    const got = dial(relay.port);
    const socket = got.socket;
    const sent = randomBytes(600_000);
    const start = Date.now();
    for (let off = 0; off < sent.length; ) {
      const size = 1 + (off % 7919); // uneven chunk sizes
      socket.write(sent.subarray(off, off + size));
      off += size;
    }
    await waitFor(() => got.bytes().length >= sent.length, {
      what: "the echo of every byte",
      timeoutMs: 60_000,
    });
    // There and back through two delayed directions: at least 2 × (30 − 10) ms.
    expect(Date.now() - start).toBeGreaterThanOrEqual(40);
    expect(got.bytes().equals(sent)).toBe(true);
    expect(node.peers).toEqual([PEER_HOST]);
  });

  it("refuses connections until it has a target", async () => {
    const relay = await startRelay();
    const got = dial(relay.port);
    await waitFor(() => got.closed(), { what: "refused connection closed" });
    expect(relay.stats.refused).toBe(1);
  });

  it("a partition cuts open connections and refuses new ones until healed", async () => {
    const node = await echoServer();
    const partition = new Partition();
    const relay = await startRelay(partition, { latencyMs: 5, jitterMs: 0, lossRate: 0 });
    relay.setTarget(node.port);
    const open = dial(relay.port);
    open.socket.write("ping");
    await waitFor(() => open.bytes().toString() === "ping", { what: "echo before the split" });

    partition.split([[PEER_HOST], [NODE_HOST]]);
    expect(relay.enforcePartition()).toBe(1);
    await waitFor(() => open.closed(), { what: "cut connection closed" });
    const during = dial(relay.port);
    await waitFor(() => during.closed(), { what: "connection across the split refused" });
    expect(during.bytes().length).toBe(0);
    expect(relay.stats.refused).toBe(1);

    partition.heal();
    const healed = dial(relay.port);
    healed.socket.write("pong");
    await waitFor(() => healed.bytes().toString() === "pong", { what: "echo after the heal" });
    expect(node.peers).toEqual([PEER_HOST, PEER_HOST]);
  });

  it("clearTarget drops open connections (the node was killed)", async () => {
    const node = await echoServer();
    const relay = await startRelay(undefined, { latencyMs: 1, jitterMs: 0, lossRate: 0 });
    relay.setTarget(node.port);
    const s = dial(relay.port);
    await waitFor(() => relay.openConnections === 1, { what: "relayed connection open" });
    relay.clearTarget();
    await waitFor(() => s.closed(), { what: "connection dropped" });
    expect(relay.openConnections).toBe(0);
  });
});
