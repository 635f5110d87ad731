import {
  assembleBlock,
  type Block,
  blockHeaderHash,
  createCoinbase,
  createTransaction,
  MAX_BLOCK_SIZE,
  meetsDifficulty,
} from "astram-core";
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

/** Connecting must fail with `code` and leave the chain exactly as it was. */
function rejects(chain: ReturnType<typeof fundedChain>, block: Block, code: string) {
  const tip = chain.tip.hash;
  const balance = chain.balanceOf(addrA);
  const err = expectVerifyError(() => chain.connect(block), code);
  expect(chain.tip.hash).toBe(tip);
  expect(chain.balanceOf(addrA)).toBe(balance);
  return err;
}

describe("headers", () => {
  it("a valid chain connects", () => {
    const chain = fundedChain(5);
    expect(chain.height).toBe(5);
    expect(chain.balanceOf(addrA)).toBe(5n * 8n * 10n ** 18n);
  });

  it("a hash that does not match the header is rejected (hashes are recomputed, never trusted)", () => {
    const chain = fundedChain(1);
    const b = chain.buildBlock({ miner: addrA });
    rejects(chain, { ...b, hash: "0".repeat(64) }, "bad-block-hash");
  });

  it("a header without enough proof of work is rejected", () => {
    const chain = fundedChain(1);
    const b = chain.buildBlock({ miner: addrA });
    let nonce = 0n;
    while (meetsDifficulty(blockHeaderHash({ ...b.header, nonce }), b.header.difficulty)) nonce++;
    const header = { ...b.header, nonce };
    rejects(chain, { ...b, header, hash: blockHeaderHash(header) }, "high-hash");
  });

  it("difficulty outside the schedule is rejected even with valid PoW", () => {
    const chain = fundedChain(1);
    // Height 2 is scheduled at difficulty 1; difficulty 2 (harder) is still not the schedule.
    rejects(chain, mineCustom(chain, [coinbaseFor(chain)], { difficulty: 2 }), "bad-diff");
  });

  it("difficulty beyond 2 of the parent is rejected", () => {
    const chain = fundedChain(1);
    rejects(chain, mineCustom(chain, [coinbaseFor(chain)], { difficulty: 4 }), "bad-diff-step");
  });

  it("difficulty outside [1, 10] is rejected", () => {
    const chain = fundedChain(1);
    rejects(chain, mineCustom(chain, [coinbaseFor(chain)], { difficulty: 0 }), "bad-diff-range");
  });

  it("height must be parent + 1", () => {
    const chain = fundedChain(1);
    rejects(chain, mineCustom(chain, [coinbaseFor(chain)], { index: 5 }), "bad-height");
  });

  it("previous hash must be the parent", () => {
    const chain = fundedChain(2);
    rejects(
      chain,
      mineCustom(chain, [coinbaseFor(chain)], { previousHash: chain.blocks[0]!.hash }),
      "bad-prev-hash",
    );
  });

  it("timestamp must exceed median-time-past", () => {
    const chain = fundedChain(3);
    const mtp = chain.blocks[2]!.header.timestamp; // median of 4 timestamps ... equals mean of the middle two
    rejects(
      chain,
      mineCustom(chain, [coinbaseFor(chain, 0n, mtp - 100)], { timestamp: mtp - 100 }),
      "time-too-old",
    );
  });

  it("timestamp more than 2 hours ahead is rejected without a ban", () => {
    const chain = fundedChain(1);
    const future = Math.floor(Date.now() / 1000) + 3 * 3600;
    const err = rejects(
      chain,
      mineCustom(chain, [coinbaseFor(chain, 0n, future)], { timestamp: future }),
      "time-too-new",
    );
    expect(err.action).toEqual({ kind: "ban", score: 0 });
  });

  it("timestamps before 1738800000 are rejected", () => {
    const chain = fundedChain(0);
    rejects(chain, mineCustom(chain, [coinbaseFor(chain, 0n, 1)], { timestamp: 1 }), "time-too-old");
  });
});

describe("block body", () => {
  it("merkle root must match the transactions", () => {
    const chain = fundedChain(1);
    const b = chain.buildBlock({ miner: addrA });
    const other = createCoinbase([{ to: addrB, amount: 1n }], b.header.timestamp);
    const template = assembleBlock({ ...b.header }, [other]);
    // Header commits to `other`, body carries the original coinbase.
    const mined = mineCustom(chain, [other], { timestamp: b.header.timestamp });
    rejects(chain, { ...mined, transactions: b.transactions }, "bad-merkle-root");
    expect(template.header.merkleRoot).not.toBe(b.header.merkleRoot);
  });

  it("a forged txid is rejected (txids are recomputed, never trusted)", () => {
    const chain = fundedChain(1);
    const cb = coinbaseFor(chain);
    const forged = { ...cb, txid: "ab".repeat(32) };
    rejects(chain, mineCustom(chain, [forged]), "bad-txid");
  });

  it("a forged eth_hash is rejected", () => {
    const chain = fundedChain(1);
    const cb = coinbaseFor(chain);
    rejects(chain, mineCustom(chain, [{ ...cb, ethHash: "0x" + "ab".repeat(32) }]), "bad-eth-hash");
  });

  it("the first transaction must be a coinbase and only the first", () => {
    const chain = fundedChain(2);
    const spend = chain.spend(
      keyA,
      chain.utxosOf(addrA).slice(0, 1),
      [{ to: addrB, amount: 10n ** 18n }],
      FEE,
    );
    rejects(chain, mineCustom(chain, [spend]), "first-not-coinbase");
    const cb = coinbaseFor(chain);
    const cb2 = createCoinbase([{ to: addrB, amount: 1n }], cb.timestamp);
    rejects(chain, mineCustom(chain, [cb, cb2]), "multiple-coinbase");
    rejects(chain, mineCustom(chain, []), "no-transactions");
  });

  it("the coinbase may not pay more than reward + fees", () => {
    const chain = fundedChain(2);
    rejects(chain, mineCustom(chain, [coinbaseFor(chain, 1n)]), "bad-coinbase-amount");
    const spend = chain.spend(
      keyA,
      chain.utxosOf(addrA).slice(0, 1),
      [{ to: addrB, amount: 10n ** 18n }],
      FEE,
    );
    rejects(chain, mineCustom(chain, [coinbaseFor(chain, FEE + 1n), spend]), "bad-coinbase-amount");
    chain.connect(mineCustom(chain, [coinbaseFor(chain, FEE), spend]));
    expect(chain.balanceOf(addrB)).toBe(10n ** 18n);
  });

  it("a coinbase identical to one already in the chain is rejected (txids are unique)", () => {
    const chain = fundedChain(1);
    const first = chain.blocks[1]!.transactions[0]!;
    rejects(chain, mineCustom(chain, [first]), "duplicate-txid");
  });

  it("transactions dated after their block are rejected", () => {
    const chain = fundedChain(1);
    const ts = chain.tip.header.timestamp + 10;
    rejects(
      chain,
      mineCustom(chain, [coinbaseFor(chain, 0n, ts + 1)], { timestamp: ts }),
      "tx-time-after-block",
    );
  });

  it("blocks over the size limit are rejected", () => {
    const chain = fundedChain(1);
    const cb = coinbaseFor(chain);
    // Pad with a large number of (invalid) transactions; size is checked before their validity.
    const filler = createTransaction({
      inputs: [{ txid: "00".repeat(32), vout: 0, pubkey: "00", signature: "x".repeat(90_000) }],
      outputs: [{ to: addrB, amount: 1n }],
      timestamp: cb.timestamp,
    });
    const txs = [cb, ...Array.from({ length: Math.ceil(MAX_BLOCK_SIZE / 90_000) + 1 }, () => filler)];
    rejects(chain, mineCustom(chain, txs), "block-too-large");
  });
});

describe("spends inside a block", () => {
  it("two transactions spending the same output in one block are rejected", () => {
    const chain = fundedChain(2);
    const [u] = chain.utxosOf(addrA);
    const s1 = chain.spend(keyA, [u!], [{ to: addrB, amount: 10n ** 18n }], FEE);
    const s2 = chain.spend(keyA, [u!], [{ to: addrB, amount: 2n * 10n ** 18n }], FEE);
    rejects(chain, mineCustom(chain, [coinbaseFor(chain, 2n * FEE), s1, s2]), "double-spend-in-block");
  });

  it("an output created earlier in the block may be spent later in it", () => {
    const chain = fundedChain(2);
    const [u] = chain.utxosOf(addrA);
    const s1 = chain.spend(keyA, [u!], [{ to: addrA, amount: 5n * 10n ** 18n }], FEE);
    const created = { txid: s1.txid, vout: 0, to: addrA, amount: 5n * 10n ** 18n };
    const s2 = chain.spend(keyA, [created], [{ to: addrB, amount: 10n ** 18n }], FEE);
    chain.connect(mineCustom(chain, [coinbaseFor(chain, 2n * FEE), s1, s2]));
    expect(chain.balanceOf(addrB)).toBe(10n ** 18n);
    expect(chain.getUtxo(created)).toBeUndefined();
  });

  it("spending an output spent in an earlier block is rejected", () => {
    const chain = fundedChain(2);
    const [u] = chain.utxosOf(addrA);
    const s1 = chain.spend(keyA, [u!], [{ to: addrB, amount: 10n ** 18n }], FEE);
    chain.connect(mineCustom(chain, [coinbaseFor(chain, FEE), s1]));
    const s2 = chain.spend(keyA, [u!], [{ to: addrB, amount: 2n * 10n ** 18n }], FEE);
    rejects(chain, mineCustom(chain, [coinbaseFor(chain, FEE), s2]), "missing-or-spent-input");
  });
});
