// Sync of blocks that carry signed transfers: signatures are verified ahead on the verifier thread
// and the block checks find them in the signature cache; a forged signature from a peer that
// claims a longer chain is still refused and its sender banned.
import { MemoryChain } from "astram-core/testing";
import { describe, expect, it } from "vitest";
import { addrA, addrB, expectSameState, FEE, keyA, mineBlocks, ONE, params } from "./helpers.js";
import { handshake, peerOf, RawPeer, startNode, until } from "./p2p-helpers.js";

/** A reference chain: 4 blocks mined by A, then `n` blocks that each carry one of A's transfers. */
function signedChain(n: number): MemoryChain {
  const ref = new MemoryChain(params);
  mineBlocks(ref, 4);
  for (let i = 0; i < n; i++) {
    const coin = ref.utxosOf(addrA)[0]!;
    const tx = ref.spend(keyA, [coin], [{ to: addrB, amount: ONE }], FEE);
    ref.mine({ miner: addrA, transactions: [tx] });
  }
  return ref;
}

describe("sync of signed blocks", () => {
  it("checks the signatures ahead on the verifier thread and ends in the reference state", async () => {
    const ref = signedChain(40);
    const seed = await startNode();
    seed.node.submitBlocks(ref.blocks.slice(1).map((block) => ({ block, source: "local" as const })));
    const fresh = await startNode({ peers: [peerOf(seed)] });
    await until(() => fresh.node.chain.height === ref.height, "fresh node synced");
    expectSameState(fresh.node.store, fresh.node.chain, ref);
    // Every transfer's signature came from the verifier thread through the cache.
    expect(fresh.node.signatureCache.hits).toBeGreaterThanOrEqual(40);
    expect(fresh.node.signatureCache.size).toBe(0);
  }, 60_000);

  it("a block with a forged signature from a peer claiming a longer chain is refused and its sender banned", async () => {
    const ref = signedChain(1);
    const n = await startNode();
    n.node.submitBlocks(ref.blocks.slice(1, 5).map((block) => ({ block, source: "local" as const })));
    const honest = ref.blocks[5]!;
    const tx = honest.transactions[1]!;
    const other = ref.spend(keyA, [ref.utxosOf(addrA)[0]!], [{ to: addrB, amount: ONE }], FEE);
    const forgedTx = {
      ...tx,
      inputs: tx.inputs.map((i) => ({ ...i, signature: other.inputs[0]!.signature })),
    };
    const parent = new MemoryChain(params);
    for (const b of ref.blocks.slice(1, 5)) parent.connect(b);
    const forged = parent.buildBlock({ miner: addrA, transactions: [forgedTx], fees: FEE });
    const liar = await RawPeer.open(n.port, { localAddress: "127.0.44.1" });
    liar.send(handshake(n, { height: 1000 })); // claims to be far ahead: the node is syncing
    await until(() => n.p2p.peerCount === 1, "liar handshaken");
    liar.send({ type: "Block", block: forged });
    await until(() => liar.closed, "forged block sender banned");
    expect(n.p2p.isBanned("127.0.44.1")).toBe(true);
    expect(n.node.chain.height).toBe(4);
    // The honest block still connects.
    expect(n.node.submitBlock(honest, "local").status).toBe("connected");
  }, 60_000);
});
