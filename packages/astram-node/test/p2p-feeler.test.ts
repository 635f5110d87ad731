import { describe, expect, it } from "vitest";
import { devChain } from "./chain-fixture.js";
import { peerOf, startNode, until } from "./p2p-helpers.js";

describe("feeler connections", () => {
  it("a node whose outbound slots are full still finds a better chain its peers do not carry, then lets the feeler go", async () => {
    const chain = devChain(25);
    // B: A's only outbound peer, on a short chain. C: a longer chain that A only knows the address of.
    const b = await startNode({ host: "127.0.94.1" });
    const c = await startNode({ host: "127.0.95.1", autoConnect: false });
    for (const blk of chain.slice(0, 5)) b.node.submitBlock(blk, "local");
    for (const blk of chain) c.node.submitBlock(blk, "local");
    const a = await startNode({
      host: "127.0.96.1",
      peers: [peerOf(b)],
      limits: { maxOutbound: 1, feelerIntervalMs: 300, feelerLifetimeMs: 1500 },
    });
    await until(() => a.node.chain.height === 5, "A synced with its one outbound peer");
    a.p2p.book.add({ host: c.host, port: c.port }, "gossip");
    await until(() => a.node.chain.height === 25, "A found C's chain through a feeler");
    expect(a.node.chain.tip.hash).toBe(chain[24]!.hash);
    // The feeler goes once nothing more is fetched from it; the regular peer stays.
    await until(
      () => a.p2p.peerDetails().every((p) => !p.remote.startsWith(c.host)),
      "feeler connection closed",
    );
    expect(a.p2p.peerDetails().some((p) => p.address === peerOf(b))).toBe(true);
    // And B, pushed the better chain by A, catches up too.
    await until(() => b.node.chain.height === 25, "B caught up through A");
  }, 60_000);
});
