import { MemoryChain } from "astram-core/testing";
import { describe, expect, it } from "vitest";
import { devChain } from "./chain-fixture.js";
import { addrA, addrB, FEE, forkAt, keyA, mineBlocks, ONE, params } from "./helpers.js";
import { peerOf, startNode, stopNode, type TestNode, until } from "./p2p-helpers.js";

describe("P2P network on loopback", () => {
  it("relays a block and a transaction along a line of five nodes", async () => {
    const nodes: TestNode[] = [];
    for (let i = 0; i < 5; i++) nodes.push(await startNode({ peers: i > 0 ? [peerOf(nodes[i - 1]!)] : [] }));
    await until(
      () => nodes.slice(1).every((n) => n.p2p.peerCount >= 1) && nodes[2]!.p2p.peerCount === 2,
      "line connected",
    );
    const ref = new MemoryChain(params);
    const [b1, b2, b3] = mineBlocks(ref, 3);
    for (const b of [b1!, b2!, b3!]) nodes[0]!.node.submitBlock(b, "local");
    await until(() => nodes[4]!.node.chain.tip.hash === b3!.hash, "block at the far end");
    const tx = ref.spend(keyA, ref.utxosOf(addrA).slice(0, 1), [{ to: addrB, amount: ONE }], FEE);
    nodes[0]!.node.submitTransaction(tx, "local");
    await until(() => nodes[4]!.node.mempool.has(tx.txid), "transaction at the far end");
    // And back the other way: a block mined at the far end reaches the start.
    const b4 = ref.mine({ miner: addrB, transactions: [tx] });
    nodes[4]!.node.submitBlock(b4, "local");
    await until(() => nodes[0]!.node.chain.tip.hash === b4.hash, "block at the start");
    await until(() => !nodes[0]!.node.mempool.has(tx.txid), "confirmed transaction leaves the mempool");
  }, 60_000);

  it("syncs a 2,000-block chain from two peers, and an offline node catches up", async () => {
    const blocks = devChain(2000);
    const a = await startNode();
    const b = await startNode();
    for (const blk of blocks.slice(0, 1900)) a.node.submitBlock(blk, "local");
    for (const blk of blocks.slice(0, 2000)) b.node.submitBlock(blk, "local");
    const fresh = await startNode({ peers: [peerOf(a), peerOf(b)] });
    await until(() => fresh.node.chain.height === 2000, "fresh node synced", 120_000);
    expect(fresh.node.chain.tip.hash).toBe(blocks[1999]!.hash);
    // Offline catch-up: stop the fresh node, extend the others, restart it on the same data.
    const ref = new MemoryChain(params);
    for (const blk of blocks) ref.connect(blk);
    await stopNode(fresh);
    const more = mineBlocks(ref, 5);
    for (const blk of more) b.node.submitBlock(blk, "local");
    const back = await startNode({ dir: fresh.dir, peers: [peerOf(b)] });
    await until(() => back.node.chain.height === 2005, "restarted node caught up");
    expect(back.node.chain.tip.hash).toBe(more[4]!.hash);
  }, 240_000);

  it("two partitions mine separately and converge on the most-work chain when reconnected", async () => {
    const ref = new MemoryChain(params);
    const shared = mineBlocks(ref, 3);
    const left = await startNode();
    const right = await startNode({ autoConnect: false });
    for (const b of shared) {
      left.node.submitBlock(b, "local");
      right.node.submitBlock(b, "local");
    }
    const fork = forkAt(ref, 3);
    const leftBlocks = mineBlocks(ref, 2, addrA);
    const rightBlocks = mineBlocks(fork, 4, addrB);
    for (const b of leftBlocks) left.node.submitBlock(b, "local");
    for (const b of rightBlocks) right.node.submitBlock(b, "local");
    expect(left.node.chain.height).toBe(5);
    expect(right.node.chain.height).toBe(7);
    await left.p2p.connect({ host: right.host, port: right.port });
    await until(
      () => left.node.chain.tip.hash === rightBlocks[3]!.hash,
      "left reorganizes to the heavier chain",
    );
    expect(right.node.chain.tip.hash).toBe(rightBlocks[3]!.hash);
  }, 60_000);
});

describe("stalled peers", () => {
  it("a peer that announces headers but never delivers blocks is replaced", async () => {
    const { RawPeer, handshake } = await import("./p2p-helpers.js");
    const ref = new MemoryChain(params);
    const blocks = mineBlocks(ref, 20);
    const honest = await startNode({ autoConnect: false });
    for (const b of blocks) honest.node.submitBlock(b, "local");
    const n = await startNode({ limits: { blockRequestTimeoutMs: 300, maxStalls: 1 } });
    // The staller claims the chain, serves headers, ignores every GetData.
    const staller = await RawPeer.open(n.port, { localAddress: "127.0.50.1" });
    staller.onMessage = (m) => {
      if (m.type === "GetHeaders") staller.send({ type: "Headers", headers: blocks.map((b) => b.header) });
    };
    staller.send(handshake(n, { height: 21 }));
    await until(
      () => staller.messages.some((m) => m.type === "GetData"),
      "blocks requested from the staller",
    );
    await until(() => staller.closed, "staller dropped");
    await n.p2p.connect({ host: honest.host, port: honest.port });
    await until(() => n.node.chain.height === 20, "synced from the honest peer instead");
  });
});
