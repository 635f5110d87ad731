import { SignatureCache, verifiedSignatureKeys } from "astram-core";
import { MemoryChain } from "astram-core/testing";
import { ChainStore, Chainstate, Mempool, SignatureVerifier } from "astram-node";
import { describe, expect, it } from "vitest";
import { addrA, addrB, FEE, keyA, mineBlocks, ONE, params, tempDir } from "./helpers.js";

/** A reference chain where A mined 4 blocks, then a block carrying two of A's transfers. */
function chainWithTransfers() {
  const ref = new MemoryChain(params);
  const early = mineBlocks(ref, 4);
  const coins = ref.utxosOf(addrA);
  const t1 = ref.spend(keyA, [coins[0]!], [{ to: addrB, amount: ONE }], FEE);
  const t2 = ref.spend(keyA, [coins[1]!], [{ to: addrB, amount: ONE }], FEE);
  const block = ref.mine({ miner: addrA, transactions: [t1, t2] });
  return { ref, early, block, t1, t2 };
}

function openWithCache(cache: SignatureCache) {
  const store = ChainStore.open(tempDir(), params.networkId);
  const chain = new Chainstate(store, params, { signatureCache: cache });
  chain.init();
  return { store, chain };
}

describe("signature verification ahead of block checks", () => {
  it("worker threads fill the cache with exactly the signatures that verify; the block check consumes them", async () => {
    const { early, block, t1, t2 } = chainWithTransfers();
    const cache = new SignatureCache();
    const verifier = new SignatureVerifier(cache, 2);
    const forged = {
      ...block,
      transactions: [
        block.transactions[0]!,
        { ...t2, inputs: t2.inputs.map((i) => ({ ...i, signature: t1.inputs[0]!.signature })) },
      ],
    };
    await verifier.prepare([...early, block, forged]);
    const expected = [...verifiedSignatureKeys(t1), ...verifiedSignatureKeys(t2)];
    expect(cache.size).toBe(2);
    for (const k of expected) expect(cache.has(k)).toBe(true);
    await verifier.stop();

    const { store, chain } = openWithCache(cache);
    chain.acceptBlocks([...early, block]);
    expect(chain.tip.hash).toBe(block.hash);
    expect(cache.size).toBe(0); // each entry served its block once
    await store.close();
  });

  it("with no workers nothing is cached and the block check verifies everything itself", async () => {
    const { early, block } = chainWithTransfers();
    const cache = new SignatureCache();
    await new SignatureVerifier(cache, 0).prepare([block]);
    expect(cache.size).toBe(0);
    const { store, chain } = openWithCache(cache);
    chain.acceptBlocks([...early, block]);
    expect(chain.tip.hash).toBe(block.hash);
    await store.close();
  });

  it("signatures checked on admission to the mempool are not checked again when their block connects", async () => {
    const { early, block, t1, t2 } = chainWithTransfers();
    const cache = new SignatureCache();
    const { store, chain } = openWithCache(cache);
    chain.acceptBlocks(early);
    const mempool = new Mempool(store, { chainId: params.chainId, signatureCache: cache });
    mempool.add(t1);
    mempool.add(t2);
    expect(cache.size).toBe(2);
    expect(chain.acceptBlock(block).status).toBe("connected");
    expect(cache.size).toBe(0);
    await store.close();
  });

  it("a worker thread that dies releases whoever waits, and the checks fall back to the main thread", async () => {
    const { early, block } = chainWithTransfers();
    const cache = new SignatureCache();
    const verifier = new SignatureVerifier(cache, 1);
    await verifier.prepare([early[0]!]); // starts the worker
    const pending = verifier.prepare([block]);
    // Kill the thread from outside, as an out-of-memory abort would.
    await (verifier as unknown as { workers: { terminate(): Promise<number> }[] }).workers[0]!.terminate();
    await pending; // resolves instead of waiting forever
    const before = cache.size;
    await verifier.prepare([block]);
    expect(cache.size).toBe(before); // no workers any more: nothing new is cached
    const { store, chain } = openWithCache(cache);
    chain.acceptBlocks([...early, block]);
    expect(chain.tip.hash).toBe(block.hash);
    await store.close();
    await verifier.stop();
  });
});
