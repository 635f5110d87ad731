import { cappedReward, createTransaction, signTransaction } from "astram-core";
import { describe, expect, it } from "vitest";
import {
  addrA,
  addrB,
  coinbaseFor,
  expectVerifyError,
  FEE,
  fundedChain,
  keyA,
  mineCustom,
} from "./helpers.js";

/**
 * Bitcoin's BIP30 problem: two coinbases with the same txid would make the second one's outputs
 * overwrite the first's unspent ones. An Astram coinbase commits only to its outputs and its
 * timestamp (no height), so the same miner paid the same amount in the same second gets the same
 * txid. The spec's rule ("a transaction whose txid already exists in the chain is invalid") must
 * refuse the second block, whether the first coinbase's output is still unspent or not.
 */
describe("coinbases with the same txid (BIP30)", () => {
  /** A chain where A mined block 1 at time `t`, and a block 2 built the same way in the same second. */
  function collidingPair() {
    const chain = fundedChain(1);
    const t = chain.tip.header.timestamp;
    const second = chain.buildBlock({ miner: addrA, timestamp: t });
    return { chain, first: chain.blocks[1]!.transactions[0]!, second };
  }

  it("the same miner, amount and second really give the same coinbase txid", () => {
    const { chain, first, second } = collidingPair();
    expect(cappedReward(2)).toBe(cappedReward(1));
    expect(second.header.timestamp).toBe(chain.blocks[1]!.header.timestamp);
    expect(second.transactions[0]!.txid).toBe(first.txid);
  });

  it("a block whose coinbase repeats an unspent coinbase's txid is refused; the output is kept", () => {
    const { chain, first, second } = collidingPair();
    const tip = chain.tip.hash;
    expect(chain.getUtxo({ txid: first.txid, vout: 0 })).toBeDefined();
    expectVerifyError(() => chain.connect(second), "duplicate-txid");
    expect(chain.tip.hash).toBe(tip);
    expect(chain.getUtxo({ txid: first.txid, vout: 0 })).toEqual({
      txid: first.txid,
      vout: 0,
      to: addrA.toLowerCase(),
      amount: cappedReward(1),
    });
    expect(chain.balanceOf(addrA)).toBe(cappedReward(1));
  });

  it("a repeat of a coinbase whose output was already spent is refused too (no output comes back)", () => {
    const chain = fundedChain(1);
    const first = chain.blocks[1]!.transactions[0]!;
    const t = chain.tip.header.timestamp;
    const spend = signTransaction(
      createTransaction({
        inputs: [{ txid: first.txid, vout: 0 }],
        outputs: [{ to: addrB, amount: cappedReward(1) - FEE }],
        timestamp: t,
      }),
      keyA,
    );
    // Block 2 spends the coinbase and pays A the fee in a coinbase of its own (a different txid).
    chain.mine({ miner: addrA, transactions: [spend], timestamp: t });
    expect(chain.getUtxo({ txid: first.txid, vout: 0 })).toBeUndefined();
    // Median time past is now t, so a third block must be later; its coinbase may still be dated t.
    const repeat = mineCustom(chain, [coinbaseFor(chain, 0n, t)]);
    expect(repeat.transactions[0]!.txid).toBe(first.txid);
    const tip = chain.tip.hash;
    expectVerifyError(() => chain.connect(repeat), "duplicate-txid");
    expect(chain.tip.hash).toBe(tip);
    expect(chain.getUtxo({ txid: first.txid, vout: 0 })).toBeUndefined();
  });

  it("one second later the coinbase txid differs and the block connects (how a miner avoids it)", () => {
    const { chain, first } = collidingPair();
    const next = chain.buildBlock({ miner: addrA, timestamp: chain.tip.header.timestamp + 1 });
    expect(next.transactions[0]!.txid).not.toBe(first.txid);
    chain.connect(next);
    expect(chain.height).toBe(2);
    expect(chain.balanceOf(addrA)).toBe(cappedReward(1) + cappedReward(2));
  });
});
