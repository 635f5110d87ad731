import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  decodeP2pMessage,
  encodeP2pMessage,
  FEATURES,
  hexToBytes,
  InventoryType,
  MAX_ADDR_PER_MESSAGE,
} from "astram-core";
import { describe, expect, it } from "vitest";
import { devChain } from "./chain-fixture.js";
import { handshake, peerOf, RawPeer, startNode, stopNode, type TestNode, until } from "./p2p-helpers.js";

const ALL_FEATURES = ["blocks", "transactions", "headers", ...Object.values(FEATURES)];

/** Hands `blocks` to `n` the way a fast honest miner would: announce each, deliver it when asked. */
async function honestMiner(n: TestNode, localAddress: string, features: string[]): Promise<RawPeer> {
  const peer = await RawPeer.open(n.port, { localAddress });
  peer.send(handshake(n, { supportedFeatures: features }));
  await until(() => n.p2p.peerCount >= 1, "miner handshaken");
  return peer;
}

describe("relay that never punishes honest peers", () => {
  it("a miner announcing 60 valid blocks as fast as it can is never scored; a repeater of junk is banned", async () => {
    const blocks = devChain(60);
    const byHash = new Map(blocks.map((b) => [b.hash, b]));
    const n = await startNode();
    const miner = await honestMiner(n, "127.0.50.1", ["blocks"]);
    miner.onMessage = (m) => {
      if (m.type !== "GetData" || m.objectType !== InventoryType.Block) return;
      for (const h of m.hashes) {
        const b = byHash.get(Buffer.from(h).toString("hex"));
        if (b) miner.send({ type: "Block", block: b });
      }
    };
    for (const b of blocks) {
      miner.send({ type: "Inv", objectType: InventoryType.Block, hashes: [hexToBytes(b.hash)] });
      // The next block is announced as soon as this one is in: 60 in well under a minute.
      await until(() => n.node.chain.hasBlock(b.hash), `block ${b.header.index}`);
    }
    expect(n.node.chain.height).toBe(60);
    expect(n.p2p.summaries()[0]!.banScore).toBe(0);
    expect(n.p2p.isBanned("127.0.50.1")).toBe(false);
    expect(miner.closed).toBe(false);

    // Announcing the same blocks again is junk: ignored past 10 a minute, banned past 30.
    const repeater = miner;
    for (let i = 0; i < 60 && !repeater.closed; i++) {
      repeater.send({ type: "Inv", objectType: InventoryType.Block, hashes: [hexToBytes(blocks[i]!.hash)] });
    }
    await until(() => repeater.closed, "junk repeater banned");
    expect(n.p2p.isBanned("127.0.50.1")).toBe(true);
  }, 60_000);

  it("unsolicited new valid blocks are taken at any rate; pushed copies of known blocks are junk", async () => {
    const blocks = devChain(40);
    // No race window: every copy counts (by default a copy within 5 s of ours crossed it in flight).
    const n = await startNode({ limits: { pushRaceMs: 0 } });
    const pusher = await honestMiner(n, "127.0.51.1", ["blocks"]);
    for (const b of blocks) pusher.send({ type: "Block", block: b });
    await until(() => n.node.chain.height === 40, "all pushed blocks accepted");
    expect(n.p2p.summaries()[0]!.banScore).toBe(0);
    for (const b of blocks) pusher.send({ type: "Block", block: b });
    await until(() => pusher.closed, "pusher of copies banned");
  }, 60_000);

  it("negotiates relay: a pushing peer gets the Block, a header peer Headers, an original peer Inv", async () => {
    const blocks = devChain(3);
    const n = await startNode();
    const pusher = await honestMiner(n, "127.0.54.1", ALL_FEATURES);
    const modern = await honestMiner(n, "127.0.52.1", [
      "blocks",
      "transactions",
      "headers",
      FEATURES.announceHeaders,
      FEATURES.addrGossip,
    ]);
    const original = await RawPeer.open(n.port, { localAddress: "127.0.53.1" });
    original.send(handshake(n, { supportedFeatures: ["blocks", "transactions", "headers"] }));
    await until(() => n.p2p.peerCount === 3, "all handshaken");
    const details = n.p2p.peerDetails();
    expect(details.find((p) => p.remote.startsWith("127.0.54.1"))!.features.sort()).toEqual(
      Object.values(FEATURES).sort(),
    );
    expect(details.find((p) => p.remote.startsWith("127.0.52.1"))!.features.sort()).toEqual(
      [FEATURES.announceHeaders, FEATURES.addrGossip].sort(),
    );
    expect(details.find((p) => p.remote.startsWith("127.0.53.1"))!.features).toEqual([]);
    n.node.submitBlock(blocks[0]!, "local");
    await until(() => modern.messages.some((m) => m.type === "Headers"), "header announcement");
    await until(() => original.messages.some((m) => m.type === "Inv"), "inv announcement");
    await until(
      () => pusher.messages.some((m) => m.type === "Block" && m.block.hash === blocks[0]!.hash),
      "block pushed",
    );
    // A copy pushed back at once crossed ours in flight: not junk.
    pusher.send({ type: "Block", block: blocks[0]! });
    const headers = modern.messages.find((m) => m.type === "Headers");
    expect(headers?.type === "Headers" && headers.headers[0]!.index).toBe(1);
    // Extensions never reach a peer that did not negotiate them.
    expect(
      original.messages.some((m) => m.type === "Headers" || m.type === "GetAddr" || m.type === "Addr"),
    ).toBe(false);
  });

  it("a line of nodes relays a burst of 30 blocks end to end with header announcements and no bans", async () => {
    const blocks = devChain(30);
    const a = await startNode({ host: "127.0.60.1" });
    const b = await startNode({ host: "127.0.61.1", peers: [peerOf(a)] });
    const c = await startNode({ host: "127.0.62.1", peers: [peerOf(b)] });
    await until(() => b.p2p.peerCount === 2 && c.p2p.peerCount >= 1, "line connected");
    for (const blk of blocks) a.node.submitBlock(blk, "local");
    await until(() => c.node.chain.height === 30, "burst at the end of the line");
    for (const t of [a, b, c]) {
      expect(t.p2p.peerDetails().every((p) => p.banScore === 0)).toBe(true);
      expect(t.p2p.bans()).toEqual([]);
    }
    // The miner sees its inbound follower's live height (it fetched the blocks from it).
    await until(
      () => a.p2p.summaries().some((p) => p.direction === "inbound" && p.height === 31),
      "live height",
    );
  }, 60_000);
});

describe("address gossip", () => {
  it("nodes started with one seed each find one another", async () => {
    const seed = await startNode({ host: "127.0.70.1" });
    const others: TestNode[] = [];
    for (let i = 0; i < 3; i++)
      others.push(await startNode({ host: `127.0.${71 + i}.1`, peers: [peerOf(seed)] }));
    // Each learns the others' listening addresses from the seed (or from one another) and dials them.
    await until(
      () => others.every((o) => o.p2p.peerCount === 3),
      "every node connected to the seed and the two others",
    );
    for (const o of others) {
      const known = o.p2p.addresses().map((a) => a.address);
      for (const other of others.filter((x) => x !== o)) expect(known).toContain(peerOf(other));
    }
  }, 60_000);

  it("answers GetAddr once, with routable-or-allowed addresses, and drops lists over its budget", async () => {
    const n = await startNode({ host: "127.0.80.1" });
    const peer = await RawPeer.open(n.port, { host: n.host, localAddress: "127.0.81.1" });
    peer.send(handshake(n, { supportedFeatures: ALL_FEATURES, listeningPort: 4000 }));
    await until(() => n.p2p.peerCount === 1, "handshaken");
    // An unasked-for list of 1,000: over the 0.1 address/s budget, so at most one is kept.
    const flood = Array.from({ length: MAX_ADDR_PER_MESSAGE }, (_, i) => ({
      host: `127.1.${i >> 8}.${i & 255}`,
      port: 8335,
      lastSeen: Math.floor(Date.now() / 1000),
    }));
    peer.send({ type: "Addr", addresses: flood });
    peer.send({ type: "GetAddr" });
    await until(() => peer.messages.some((m) => m.type === "Addr"), "Addr answer");
    expect(n.p2p.addresses().filter((a) => a.source === "gossip").length).toBeLessThanOrEqual(1);
    peer.send({ type: "GetAddr" });
    peer.send({ type: "Ping", nonce: 7n });
    await until(() => peer.messages.some((m) => m.type === "Pong"), "pong");
    expect(peer.messages.filter((m) => m.type === "Addr").length).toBe(1);
  });

  it("an Addr message over 1,000 entries is refused before it is decoded", () => {
    const addresses = Array.from({ length: MAX_ADDR_PER_MESSAGE + 1 }, () => ({
      host: "1.2.3.4",
      port: 1,
      lastSeen: 0,
    }));
    expect(() => decodeP2pMessage(encodeP2pMessage({ type: "Addr", addresses }))).toThrow(
      /exceeds the limit/,
    );
  });
});

describe("bans and the address book persist", () => {
  it("a ban survives a restart (bans.json, written atomically) and can be lifted", async () => {
    const n = await startNode({ host: "127.0.90.1" });
    n.p2p.ban("127.0.91.1", 60_000, "test");
    await stopNode(n);
    const file = join(n.dir, "bans.json");
    expect(JSON.parse(readFileSync(file, "utf8"))[0]).toMatchObject({ ip: "127.0.91.1", reason: "test" });
    const again = await startNode({ host: "127.0.90.1", dir: n.dir });
    expect(again.p2p.isBanned("127.0.91.1")).toBe(true);
    const refused = await RawPeer.open(again.port, { host: "127.0.90.1", localAddress: "127.0.91.1" });
    await until(() => refused.closed, "banned IP refused");
    expect(again.p2p.unban("127.0.91.1")).toBe(true);
    expect(again.p2p.isBanned("127.0.91.1")).toBe(false);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual([]);
    expect(existsSync(join(n.dir, "peers.json"))).toBe(true);
  });

  it("a corrupt bans.json or peers.json is reported and the node still starts", async () => {
    const n = await startNode({ host: "127.0.92.1" });
    await stopNode(n);
    const { writeFileSync } = await import("node:fs");
    writeFileSync(join(n.dir, "bans.json"), "{ not json");
    writeFileSync(join(n.dir, "peers.json"), "[1, 2");
    const again = await startNode({ host: "127.0.92.1", dir: n.dir });
    expect(again.p2p.bans()).toEqual([]);
  });
});
