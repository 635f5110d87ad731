import { connect, createServer, type Server, type Socket } from "node:net";
import {
  BincodeWriter,
  decodeP2pMessageInSteps,
  encodeFrame,
  encodeP2pMessage,
  MAX_BLOCK_TRANSACTIONS,
  type P2pMessage,
} from "astram-core";
import { Peer } from "astram-node";
import { afterEach, describe, expect, it } from "vitest";
import { handshake, RawPeer, startNode, until } from "./p2p-helpers.js";

/** A Block payload of `count` transactions, each with a txid of `txidLength` characters (all invalid). */
function bogusBlockPayload(count: number, txidLength: number): Uint8Array {
  const w = new BincodeWriter("standard", 1 << 16);
  w.variant(8);
  w.u64(1).string("0".repeat(64)).string("0".repeat(64)).i64(1_738_800_001).u64(0).u32(1);
  w.u64(count);
  for (let i = 0; i < count; i++) w.string("a".repeat(txidLength)).string("").u64(0).u64(0).i64(0);
  w.string("0".repeat(64));
  return w.finish();
}

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A Peer on the server side of a loopback connection, and the client socket that feeds it. */
async function peerPair(): Promise<{ peer: Peer; client: Socket }> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  const accepted = new Promise<Socket>((r) => server.once("connection", r));
  const client = connect({ host: "127.0.0.1", port });
  const peer = new Peer(await accepted, "inbound", undefined);
  return { peer, client };
}

describe("decode bombs and protocol abuse", () => {
  it("a frame too large for a stranger is refused before it is buffered, and its sender banned", async () => {
    const n = await startNode();
    const p = await RawPeer.open(n.port, { localAddress: "127.0.44.1" });
    const head = new Uint8Array(4);
    new DataView(head.buffer).setUint32(0, 8 * 1024 * 1024);
    p.sendRaw(head);
    await until(() => p.closed, "oversize pre-handshake frame refused");
    expect(n.p2p.isBanned("127.0.44.1")).toBe(true);
  });

  it("a Block before the handshake is never decoded: the connection is dropped and the IP banned", async () => {
    const n = await startNode();
    const p = await RawPeer.open(n.port, { localAddress: "127.0.45.1" });
    p.sendRaw(encodeFrame(bogusBlockPayload(100, 0)));
    await until(() => p.closed, "pre-handshake Block refused");
    expect(n.p2p.isBanned("127.0.45.1")).toBe(true);
  });

  it("a block claiming more transactions than its bytes can hold is refused before decoding", async () => {
    const n = await startNode();
    const p = await RawPeer.open(n.port, { localAddress: "127.0.46.1" });
    p.send(handshake(n));
    await until(() => n.p2p.peerCount === 1, "handshaken");
    // 60,787 empty transactions in 300 KB: every valid transaction needs at least 69 bytes.
    p.sendRaw(encodeFrame(bogusBlockPayload(MAX_BLOCK_TRANSACTIONS, 0)));
    await until(() => p.closed, "bomb sender dropped");
    expect(n.p2p.isBanned("127.0.46.1")).toBe(true);
    expect(n.node.chain.height).toBe(0);
  });

  it("a maximal block is decoded in slices, in order, while other peers are served", async () => {
    const payload = bogusBlockPayload(60_000, 64);
    let steps = 0;
    const gen = decodeP2pMessageInSteps(payload, 500);
    while (gen.next().done !== true) steps++;
    expect(steps).toBe(119);

    const a = await peerPair();
    const b = await peerPair();
    a.peer.completeHandshake();
    b.peer.completeHandshake();
    const events: string[] = [];
    const onMessage = (who: string) => (m: P2pMessage) => events.push(`${who}:${m.type}`);
    a.peer.on("message", onMessage("a"));
    b.peer.on("message", onMessage("b"));
    a.peer.on("misbehave", (_s, why) => events.push(`a:misbehave ${why}`));
    // a: the big block, then a Ping in the same write; b: a Ping once a's decode is under way.
    a.client.write(
      Buffer.concat([encodeFrame(payload), encodeFrame(encodeP2pMessage({ type: "Ping", nonce: 1n }))]),
    );
    await until(() => a.peer.busy, "a's block being decoded");
    b.client.write(encodeFrame(encodeP2pMessage({ type: "Ping", nonce: 2n })));
    await until(() => events.length === 3, "all three messages");
    expect(events).toEqual(["b:Ping", "a:Block", "a:Ping"]);
    for (const x of [a, b]) {
      x.client.destroy();
      x.peer.close("done");
    }
  }, 60_000);
});
