// Block production and verification (facts §4.8, §4.9, §4.12, §4.14): genesis, the state transition
// with the spec's transaction rules (signature, counter, fee; FAILED receipts), totals and
// cumulatives, difficulty, and every header and re-execution rule a forged block can break.
import {
  Accounts,
  Block,
  BURN_ADDRESS,
  generateKeyPair,
  hashListToExpr,
  leadingZeroBits,
  NIL,
  nextDifficulty,
  ReceiptStatus,
  requiredWork,
  TREASURY_ADDRESS,
  Transaction,
  VerifyError,
  verifyBlockState,
  verifyGenesis,
  verifyHeader,
  ZERO32,
} from "astreum";
import { describe, expect, it } from "vitest";
import { fieldsOf, forge, MemoryChain, transfer, withTransactions } from "./consensus-helpers.js";
import { hex } from "./helpers.js";

async function balanceOf(chain: MemoryChain, address: Uint8Array, block = chain.head) {
  const a = await new Accounts(chain.lookup, block.accountsHash).get(address);
  return a === null ? null : { balance: a.balance, counter: a.counter };
}

async function rejection(p: Promise<unknown> | (() => void)): Promise<string> {
  try {
    if (typeof p === "function") p();
    else await p;
  } catch (err) {
    if (err instanceof VerifyError) return err.reason;
    throw err;
  }
  return "accepted";
}

describe("genesis (facts §4.8)", () => {
  it("the validator holds the stake; treasury 1, burn 0, validator 0; fields as the reference", async () => {
    const chain = await MemoryChain.create();
    const g = chain.head;
    expect(g.height).toBe(0);
    expect(hex(g.previousBlockHash)).toBe(hex(ZERO32));
    expect(g.cumulativeTransactionFee).toBe(1n);
    expect(g.cumulativeStake).toBe(1n);
    expect(g.difficulty).toBe(0);
    expect(hex(g.transactionsHash)).toBe(hex(ZERO32));
    expect(hex(g.validatorPublicKey!)).toBe(hex(chain.validator.publicKey));
    expect(g.verifySignature()).toBe(true);
    expect(await balanceOf(chain, TREASURY_ADDRESS)).toEqual({ balance: 1n, counter: 0n });
    expect(await balanceOf(chain, BURN_ADDRESS)).toEqual({ balance: 0n, counter: 0n });
    expect(await balanceOf(chain, chain.validator.publicKey)).toEqual({ balance: 0n, counter: 0n });
    await verifyGenesis(chain.lookup, g);
    verifyHeader(g, null, 0);
    const tampered = new Block({ ...fieldsOf(g), cumulativeStake: 5n });
    expect(await rejection(verifyGenesis(chain.lookup, tampered))).toBe("bad_genesis");
    expect(await rejection(() => verifyHeader(new Block({ ...fieldsOf(g), height: 3 }), null, 0))).toBe(
      "bad_height",
    );
    expect(await rejection(() => verifyHeader(g, null, 1))).toBe("wrong_chain");
  });
});

describe("producing blocks", () => {
  it("an empty block: height + 1, reward 1 to the validator, cumulatives, NIL lists, signed, enough work", async () => {
    const chain = await MemoryChain.create();
    const g = chain.head;
    const { block, included, receipts } = await chain.next();
    expect(block.height).toBe(1);
    expect(hex(block.previousBlockHash)).toBe(hex(g.hash()));
    expect(included).toEqual([]);
    expect(receipts).toEqual([]);
    expect(hex(block.transactionsHash)).toBe(hex(NIL.hash()));
    expect(block.totalFee).toBe(0n);
    expect(block.cumulativeTransactionFee).toBe(1n);
    expect(block.cumulativeStake).toBe(2n); // previous 1 + treasury balance 1
    expect(block.cumulativeBurn).toBe(0n);
    expect(block.difficulty).toBe(nextDifficulty(0, 2));
    expect(block.verifySignature()).toBe(true);
    expect(leadingZeroBits(block.hash())).toBeGreaterThanOrEqual(requiredWork(g.difficulty));
    expect((await balanceOf(chain, chain.validator.publicKey))!.balance).toBe(1n);
    verifyHeader(block, g, 0);
    const atoms = await verifyBlockState(chain.lookup, block, g);
    expect(atoms.length).toBeGreaterThan(0);
  });

  it("difficulty: +1 for spacing ≤ 1, −1 (not below 1) above 2, else unchanged", () => {
    expect(nextDifficulty(0, 2)).toBe(1);
    expect(nextDifficulty(3, 1)).toBe(4);
    expect(nextDifficulty(3, 0)).toBe(4);
    expect(nextDifficulty(3, 2)).toBe(3);
    expect(nextDifficulty(3, 3)).toBe(2);
    expect(nextDifficulty(1, 10)).toBe(1);
  });

  it("transfers: counter = account counter + 1, fee 1, FAILED when the amount is not covered", async () => {
    const chain = await MemoryChain.create();
    const v = chain.validator;
    for (let i = 0; i < 4; i++) await chain.next(); // the validator earns 4
    const r = generateKeyPair();
    const ok = transfer(v, r.publicKey, 2n, 1n);
    const replay = transfer(v, r.publicKey, 1n, 1n); // same counter again: left out
    const future = transfer(v, r.publicKey, 1n, 5n);
    const wrongChain = transfer(v, r.publicKey, 1n, 2n, 1);
    const forgedSig = new Transaction({
      chainId: 0,
      amount: 1n,
      counter: 2n,
      recipient: r.publicKey,
      sender: v.publicKey,
      signature: new Uint8Array(64).fill(1),
    });
    const unknown = transfer(generateKeyPair(), r.publicKey, 1n, 1n);
    const built = await chain.next([ok, replay, future, wrongChain, forgedSig, unknown]);
    expect(built.included.map((t) => hex(t.hash()))).toEqual([hex(ok.hash())]);
    expect(built.rejected.map((x) => x.error.reason)).toEqual([
      "bad_counter",
      "bad_counter",
      "wrong_chain",
      "bad_signature",
      "unknown_sender",
    ]);
    expect(built.receipts.map((x) => x.status)).toEqual([ReceiptStatus.SUCCESS]);
    expect(built.block.totalTransactionFee).toBe(1n);
    // 4 − fee 1 − amount 2 + reward (the block's fees: 1) = 2
    expect(await balanceOf(chain, v.publicKey)).toEqual({ balance: 2n, counter: 1n });
    expect(await balanceOf(chain, r.publicKey)).toEqual({ balance: 2n, counter: 0n });

    // R covers the fee but not fee + amount: FAILED, the fee is paid, the counter advances.
    const short = transfer(r, v.publicKey, 5n, 1n);
    const b2 = await chain.next([short]);
    expect(b2.receipts.map((x) => x.status)).toEqual([ReceiptStatus.FAILED]);
    expect(await balanceOf(chain, r.publicKey)).toEqual({ balance: 1n, counter: 1n });
    // A sender that cannot pay the fee is left out.
    const poor = generateKeyPair();
    const b3 = await chain.next([transfer(r, poor.publicKey, 1n, 2n)]);
    expect(b3.receipts.map((x) => x.status)).toEqual([ReceiptStatus.FAILED]);
    const b4 = await chain.next([transfer(r, poor.publicKey, 0n, 3n)]);
    expect(b4.rejected.map((x) => x.error.reason)).toEqual(["insufficient_fee"]);
    // Two transactions of one sender in counter order both apply; a self-transfer nets out.
    const b5 = await chain.next([transfer(v, v.publicKey, 1n, 2n), transfer(v, r.publicKey, 1n, 3n)]);
    expect(b5.receipts.map((x) => x.status)).toEqual([ReceiptStatus.SUCCESS, ReceiptStatus.SUCCESS]);
    for (const b of [built, b2, b3, b4, b5]) {
      const parent = chain.blocks[chain.blocks.indexOf(b.block) - 1]!;
      verifyHeader(b.block, parent, 0);
      await verifyBlockState(chain.lookup, b.block, parent);
    }
  });
});

describe("verifying forged blocks", () => {
  async function setup() {
    const chain = await MemoryChain.create();
    for (let i = 0; i < 3; i++) await chain.next();
    const parent = chain.head;
    const r = generateKeyPair();
    const tx = transfer(chain.validator, r.publicKey, 1n, 1n);
    const good = await chain.next([tx], 2, false);
    chain.add(good.atoms);
    return { chain, parent, good, tx, r };
  }

  it("the honest block passes; header rules reject each tampering", async () => {
    const { chain, parent, good } = await setup();
    const v = chain.validator;
    const d = parent.difficulty;
    verifyHeader(good.block, parent, 0);
    await verifyBlockState(chain.lookup, good.block, parent);
    const badSig = new Block({
      ...fieldsOf(good.block),
      nonce: good.block.nonce,
      signature: new Uint8Array(64).fill(7),
    });
    expect(await rejection(() => verifyHeader(badSig, parent, 0))).toBe("bad_signature");
    const otherKey = forge(good.block, {}, generateKeyPair(), d);
    expect(await rejection(() => verifyHeader(otherKey, parent, 0))).toBe("accepted"); // header alone cannot tell
    expect(await rejection(verifyBlockState(chain.lookup, otherKey, parent))).toBe("wrong_validator");
    expect(await rejection(() => verifyHeader(forge(good.block, { height: 9 }, v, d), parent, 0))).toBe(
      "bad_height",
    );
    expect(
      await rejection(() =>
        verifyHeader(forge(good.block, { timestamp: parent.timestamp }, v, d), parent, 0),
      ),
    ).toBe("bad_timestamp");
    expect(await rejection(() => verifyHeader(forge(good.block, { difficulty: 7 }, v, d), parent, 0))).toBe(
      "bad_difficulty",
    );
    expect(await rejection(() => verifyHeader(forge(good.block, { chainId: 1 }, v, d), parent, 0))).toBe(
      "wrong_chain",
    );
    const unsigned = new Block({ ...fieldsOf(good.block), signature: null });
    expect(await rejection(() => verifyHeader(unsigned, parent, 0))).toBe("missing_signature");
    // No work: search for a signed nonce whose hash has no leading zero bit.
    let weak: Block;
    for (let n = 0n; ; n++) {
      weak = new Block({ ...fieldsOf(good.block), nonce: n }).sign(v.secretKey);
      if (leadingZeroBits(weak.hash()) === 0) break;
    }
    expect(await rejection(() => verifyHeader(weak, parent, 0))).toBe("insufficient_work");
    expect(await rejection(() => verifyHeader(good.block, null, 0))).toBe("missing_parent");
  });

  it("re-execution rejects a bad transaction, a wrong state root, wrong totals and receipts", async () => {
    const { chain, parent, good, tx, r } = await setup();
    const v = chain.validator;
    const d = parent.difficulty;
    // The same transaction with a tampered signature, in a block the validator signed.
    const tampered = new Transaction({ ...tx, signature: Uint8Array.from(tx.signature!).fill(3, 0, 8) });
    chain.add(tampered.atoms());
    const badTx = withTransactions(good.block, [tampered], v, d);
    chain.add([badTx.list, ...tampered.atoms()]);
    expect(await rejection(verifyBlockState(chain.lookup, badTx.block, parent))).toBe("bad_transaction");
    // A transaction with the wrong counter.
    const wrongCounter = transfer(v, r.publicKey, 1n, 3n);
    chain.add(wrongCounter.atoms());
    const badCounter = withTransactions(good.block, [wrongCounter], v, d);
    chain.add([badCounter.list]);
    expect(await rejection(verifyBlockState(chain.lookup, badCounter.block, parent))).toBe("bad_transaction");
    expect(
      await rejection(
        verifyBlockState(
          chain.lookup,
          forge(good.block, { accountsHash: parent.accountsHash }, v, d),
          parent,
        ),
      ),
    ).toBe("bad_state_root");
    expect(
      await rejection(
        verifyBlockState(chain.lookup, forge(good.block, { totalTransactionFee: 5n }, v, d), parent),
      ),
    ).toBe("bad_totals");
    expect(
      await rejection(
        verifyBlockState(chain.lookup, forge(good.block, { cumulativeStake: 1n }, v, d), parent),
      ),
    ).toBe("bad_totals");
    const fakeReceipts = hashListToExpr([tx.hash()]);
    expect(
      await rejection(
        verifyBlockState(
          chain.lookup,
          forge(good.block, { receiptsHash: fakeReceipts.hash() }, v, d),
          parent,
        ),
      ),
    ).toBe("bad_receipts");
    // A transaction whose atoms are nowhere: not a verdict, the verifier retries later.
    const missing = transfer(v, r.publicKey, 1n, 1n, 0);
    const gone = withTransactions(
      good.block,
      [new Transaction({ ...missing, amount: 9n, signature: missing.signature })],
      v,
      d,
    );
    chain.add([gone.list]);
    await expect(verifyBlockState(chain.lookup, gone.block, parent)).rejects.toThrow(/not available/);
  });
});
