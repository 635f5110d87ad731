import { hexToBytes, InventoryType } from "astram-core";
import { MemoryChain } from "astram-core/testing";
import { describe, expect, it } from "vitest";
import { devChain } from "./chain-fixture.js";
import { addrB, addrC, forkAt, mineBlocks, params } from "./helpers.js";
import { handshake, RawPeer, startNode, until } from "./p2p-helpers.js";

/** Sends a Ping and waits for its Pong: everything sent before it has been handled. */
async function roundTrip(p: RawPeer, nonce: bigint): Promise<void> {
  p.send({ type: "Ping", nonce });
  await until(() => p.messages.some((m) => m.type === "Pong" && m.nonce === nonce), "pong");
}

const asked = (p: RawPeer, hashes: readonly string[]) =>
  p.messages.some(
    (m) =>
      m.type === "GetData" &&
      m.objectType === InventoryType.Block &&
      m.hashes.some((h) => hashes.includes(Buffer.from(h).toString("hex"))),
  );

describe("headers-first anti-DoS", () => {
  it("a branch forking deeper than the reorg limit is refused at the header stage and its sender scored", async () => {
    const n = await startNode();
    for (const b of devChain(120)) n.node.submitBlock(b, "local");
    const fork = new MemoryChain(params);
    const low = mineBlocks(fork, 5, addrC);
    const p = await RawPeer.open(n.port, { localAddress: "127.0.36.1" });
    p.send(handshake(n, { height: 6 }));
    await until(() => n.p2p.peerCount === 1, "handshaken");
    p.send({ type: "Headers", headers: low.map((b) => b.header) });
    await roundTrip(p, 1n);
    expect(n.p2p.summaries()[0]!.banScore).toBe(20);
    expect(
      asked(
        p,
        low.map((b) => b.hash),
      ),
    ).toBe(false);
    expect(n.p2p.isSyncing()).toBe(false);
    // Pushed blocks of that branch are not stored either.
    for (const b of low) p.send({ type: "Block", block: b });
    await roundTrip(p, 2n);
    expect(low.some((b) => n.node.chain.hasBlock(b.hash))).toBe(false);
  }, 60_000);

  it("headers of a branch with less work than the tip are kept but their blocks are not fetched", async () => {
    const chain = devChain(20);
    const n = await startNode();
    for (const b of chain) n.node.submitBlock(b, "local");
    const ref = new MemoryChain(params);
    for (const b of chain.slice(0, 10)) ref.connect(b);
    const side = mineBlocks(forkAt(ref, 10), 3, addrB); // heights 11-13 < 20
    const p = await RawPeer.open(n.port, { localAddress: "127.0.37.1" });
    p.send(handshake(n, { height: 14 }));
    await until(() => n.p2p.peerCount === 1, "handshaken");
    p.send({ type: "Headers", headers: side.map((b) => b.header) });
    await roundTrip(p, 1n);
    expect(
      asked(
        p,
        side.map((b) => b.hash),
      ),
    ).toBe(false);
    expect(n.p2p.isSyncing()).toBe(false);
    expect(n.p2p.summaries()[0]!.banScore).toBe(0);
  });

  it("blocks are asked only of peers that vouched for them; headers nobody can serve expire", async () => {
    const chain = devChain(12);
    const n = await startNode();
    // An honest peer at our height, and a peer that sends 12 valid headers and leaves.
    const honest = await RawPeer.open(n.port, { localAddress: "127.0.38.1" });
    honest.send(handshake(n, { height: 1 }));
    const faker = await RawPeer.open(n.port, { localAddress: "127.0.39.1" });
    faker.send(handshake(n, { height: 13 }));
    await until(() => n.p2p.peerCount === 2, "both handshaken");
    faker.send({ type: "Headers", headers: chain.map((b) => b.header) });
    await until(() => n.p2p.isSyncing(), "headers with more work validated");
    await until(() => asked(faker, [chain[0]!.hash]), "blocks asked of the peer that sent the headers");
    faker.close();
    await until(() => n.p2p.peerCount === 1, "faker gone");
    await until(() => !n.p2p.isSyncing(), "its headers forgotten");
    // A later announcement by the honest peer brings nothing to chase; it is never asked for them.
    honest.send({ type: "Inv", objectType: InventoryType.Block, hashes: [hexToBytes(chain[0]!.hash)] });
    await roundTrip(honest, 1n);
    expect(
      asked(
        honest,
        chain.slice(1).map((b) => b.hash),
      ),
    ).toBe(false);
    expect(n.p2p.summaries()[0]!.banScore).toBe(0);
  });

  it("a node announces the blocks it connects even while it is catching up", async () => {
    const chain = devChain(30);
    const n = await startNode();
    const watcher = await RawPeer.open(n.port, { localAddress: "127.0.40.9" });
    watcher.send(handshake(n, { height: 1, supportedFeatures: ["blocks"] }));
    const serving = await RawPeer.open(n.port, { localAddress: "127.0.41.9" });
    serving.onMessage = (m) => {
      if (m.type === "GetHeaders") serving.send({ type: "Headers", headers: chain.map((b) => b.header) });
      if (m.type === "GetData" && m.hashes.length > 0) {
        const want = new Set(m.hashes.map((h) => Buffer.from(h).toString("hex")));
        // Deliver all but the last block: the node stays behind the headers it validated.
        for (const b of chain.slice(0, 29)) if (want.has(b.hash)) serving.send({ type: "Block", block: b });
      }
    };
    serving.send(handshake(n, { height: 31 }));
    await until(() => n.node.chain.height === 29, "synced to 29");
    expect(n.p2p.isSyncing()).toBe(true);
    await until(() => watcher.messages.some((m) => m.type === "Inv"), "tip announced while syncing");
  });
});
