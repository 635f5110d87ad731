import { encodeFrame, encodeP2pMessage, InventoryType, MAX_FRAME_PAYLOAD } from "astram-core";
import { MemoryChain } from "astram-core/testing";
import { describe, expect, it } from "vitest";
import { mineBlocks, params } from "./helpers.js";
import { handshake, RawPeer, startNode, until } from "./p2p-helpers.js";

/** The node still serves an honest peer: a fresh raw peer completes a handshake and gets headers. */
async function stillServes(port: number, localAddress: string): Promise<void> {
  const honest = await RawPeer.open(port, { localAddress });
  const t = { node: { params } } as Parameters<typeof handshake>[0];
  honest.send(handshake(t));
  await until(() => honest.received.length > 0, "an answer to an honest handshake");
  expect(honest.closed).toBe(false);
  honest.close();
}

describe("hostile peers", () => {
  it("garbage, oversize frames and undecodable messages get the peer dropped and banned", async () => {
    const n = await startNode({ host: "127.0.0.1" });
    const garbage = await RawPeer.open(n.port, { localAddress: "127.0.10.1" });
    garbage.sendRaw(encodeFrame(new Uint8Array([0xff, 0xff, 0xff, 0x01])));
    await until(() => garbage.closed, "garbage sender disconnected");
    expect(n.p2p.isBanned("127.0.10.1")).toBe(true);
    const big = await RawPeer.open(n.port, { localAddress: "127.0.11.1" });
    const head = Buffer.alloc(4);
    head.writeUInt32BE(MAX_FRAME_PAYLOAD + 1);
    big.sendRaw(head);
    await until(() => big.closed, "oversize frame sender disconnected");
    expect(n.p2p.isBanned("127.0.11.1")).toBe(true);
    // A banned address is refused at once.
    const again = await RawPeer.open(n.port, { localAddress: "127.0.10.1" });
    await until(() => again.closed, "banned address refused");
    await stillServes(n.port, "127.0.12.1");
  });

  it("a peer on another network or chain is disconnected", async () => {
    const n = await startNode();
    const wrongNet = await RawPeer.open(n.port, { localAddress: "127.0.20.1" });
    wrongNet.send(handshake(n, { networkId: "Astram-mainnet" }));
    await until(() => wrongNet.closed, "wrong network id disconnected");
    const wrongChain = await RawPeer.open(n.port, { localAddress: "127.0.21.1" });
    wrongChain.send(handshake(n, { chainId: 1 }));
    await until(() => wrongChain.closed, "wrong chain id disconnected");
    const wrongProto = await RawPeer.open(n.port, { localAddress: "127.0.22.1" });
    wrongProto.send(handshake(n, { protocolVersion: 2 }));
    await until(() => wrongProto.closed, "wrong protocol version disconnected");
    await stillServes(n.port, "127.0.23.1");
  });

  it("a peer that never sends a handshake is closed after the timeout", async () => {
    const n = await startNode({ limits: { handshakeTimeoutMs: 300 } });
    const silent = await RawPeer.open(n.port, { localAddress: "127.0.30.1" });
    await until(() => silent.closed, "silent peer closed");
    // Messages before the handshake are not served.
    const early = await RawPeer.open(n.port, { localAddress: "127.0.31.1" });
    early.send({ type: "GetHeaders", locatorHashes: [] });
    await until(() => early.received.length > 0, "our handshake");
    const before = early.received.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(early.received.length).toBe(before); // only our Handshake, no Headers
  });

  it("floods of block announcements and invalid blocks get a peer banned", async () => {
    const n = await startNode();
    const flooder = await RawPeer.open(n.port, { localAddress: "127.0.40.1" });
    flooder.send(handshake(n));
    await until(() => n.p2p.peerCount === 1, "flooder handshaken");
    // Announcements of blocks it never delivers: 16 may be outstanding, the rest are junk.
    for (let i = 0; i < 100 && !flooder.closed; i++) {
      const hash = new Uint8Array(32).fill(i + 1);
      flooder.send({ type: "Inv", objectType: InventoryType.Block, hashes: [hash] });
    }
    await until(() => flooder.closed, "announcement flooder banned");
    expect(n.p2p.isBanned("127.0.40.1")).toBe(true);

    const ref = new MemoryChain(params);
    const [b1] = mineBlocks(ref, 1);
    const liar = await RawPeer.open(n.port, { localAddress: "127.0.41.1" });
    liar.send(handshake(n));
    await until(() => n.p2p.peerCount === 1, "liar handshaken");
    liar.send({ type: "Block", block: { ...b1!, hash: "0".repeat(64) } });
    await until(() => liar.closed, "invalid block sender banned");
    expect(n.node.chain.height).toBe(0);
    // Oversized inventory is refused before it is decoded, and its sender banned.
    const inv = await RawPeer.open(n.port, { localAddress: "127.0.42.1" });
    inv.send(handshake(n));
    const hashes = Array.from({ length: 50_001 }, () => new Uint8Array(0));
    inv.socket.write(
      encodeFrame(encodeP2pMessage({ type: "GetData", objectType: InventoryType.Block, hashes })),
    );
    await until(() => inv.closed, "oversized GetData sender dropped");
    expect(n.p2p.isBanned("127.0.42.1")).toBe(true);
    await stillServes(n.port, "127.0.43.1");
    // Honest blocks still flow in.
    n.node.submitBlock(b1!, "local");
    expect(n.node.chain.tip.hash).toBe(b1!.hash);
  });
});

describe("connection limits with real distinct addresses", () => {
  it("at most 3 connections per IP, 2 addresses per /24 and 4 per /16", async () => {
    const n = await startNode({ host: "127.0.0.1" });
    const open = async (ip: string) => {
      const p = await RawPeer.open(n.port, { localAddress: ip });
      p.send(handshake(n));
      return p;
    };
    const sameIp = [await open("127.5.1.1"), await open("127.5.1.1"), await open("127.5.1.1")];
    await until(() => n.p2p.peerCount === 3, "three from one IP");
    const fourth = await open("127.5.1.1");
    await until(() => fourth.closed, "fourth from one IP refused");
    const second24 = await open("127.5.1.2");
    await until(() => n.p2p.peerCount === 4, "second address in the /24");
    const third24 = await open("127.5.1.3");
    await until(() => third24.closed, "third address in the /24 refused");
    const more16 = [await open("127.5.2.1"), await open("127.5.3.1")];
    await until(() => n.p2p.peerCount === 6, "four addresses in the /16");
    const fifth16 = await open("127.5.4.1");
    await until(() => fifth16.closed, "fifth address in the /16 refused");
    // Another /16 is unaffected.
    const other = await open("127.6.1.1");
    await until(() => n.p2p.peerCount === 7, "a different /16 accepted");
    for (const p of [...sameIp, second24, ...more16, other]) expect(p.closed).toBe(false);
  });

  it("outbound dials obey the same limits and prefer new /16s", async () => {
    const hub = await startNode({ host: "127.0.0.1", autoConnect: false });
    const targets = [];
    for (const ip of ["127.7.1.1", "127.7.1.2", "127.7.1.3", "127.8.1.1"])
      targets.push(await startNode({ host: ip, autoConnect: false }));
    for (const t of targets) await hub.p2p.connect({ host: t.host, port: t.port });
    await until(() => hub.p2p.peerCount === 3, "outbound peers handshaken");
    const hosts = hub.p2p.summaries().map((p) => p.address.split(":")[0]);
    expect(hosts).toContain("127.8.1.1");
    expect(hosts.filter((h) => h!.startsWith("127.7.1.")).length).toBe(2);
  });

  it("detects a connection to itself without dropping honest peers on the same port", async () => {
    const a = await startNode({ host: "127.9.0.1", autoConnect: false });
    const b = await startNode({ host: "127.9.1.1", port: a.port, autoConnect: false });
    expect(b.port).toBe(a.port);
    await a.p2p.connect({ host: a.host, port: a.port });
    await a.p2p.connect({ host: b.host, port: b.port });
    await until(
      () => a.p2p.peerCount === 1 && b.p2p.peerCount === 1,
      "honest peer on the same port connected",
    );
    expect(a.p2p.summaries().map((p) => p.address)).toEqual([`${b.host}:${b.port}`]);
    // The self endpoint is remembered and never dialled again.
    expect(await a.p2p.connect({ host: a.host, port: a.port })).toBeUndefined();
  });
});
