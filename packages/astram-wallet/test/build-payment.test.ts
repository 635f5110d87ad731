import {
  addressFromPrivateKey,
  checkTransaction,
  checkTransactionInputs,
  decodeTransaction,
  encodeTransaction,
  hexToBytes,
  MIN_OUTPUT_VALUE,
  minFee,
  outPointKey,
  RAM_PER_ASRM,
  transactionSize,
  type Utxo,
  type UtxoView,
  walletFee,
} from "astram-core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildPayment,
  InsufficientFundsError,
  orderCoins,
  type Payment,
  type PaymentRequest,
  TransactionTooLargeError,
} from "../src/index.js";

/** Fixed fast-check seed: every run replays the same cases (fast-check prints seed and path on failure). */
const SEED = 1802873664;

const KEY = hexToBytes("0000000000000000000000000000000000000000000000000000000000000001");
const FROM = addressFromPrivateKey(KEY); // 0x7e5f…5bdf (facts §17.3)
const TO = "0x2c7536e3605d9c16a7a3d7b1898e529396a65c23";
const NOW = 1_738_800_100;
const ASRM = RAM_PER_ASRM;

const coin = (n: number, amount: bigint): Utxo => ({
  txid: n.toString(16).padStart(64, "0"),
  vout: n % 3,
  to: FROM,
  amount,
});

function request(utxos: Utxo[], amount: bigint, feeRate = 300_000_000_000n): PaymentRequest {
  return { from: FROM, to: TO, amount, feeRate, utxos, privateKey: KEY, timestamp: NOW };
}

/** Consensus accepts it: context-free checks (signatures included) and the UTXO/fee checks. */
function assertValid(p: Payment, utxos: readonly Utxo[]): void {
  const byKey = new Map(utxos.map((u) => [outPointKey(u), u]));
  const view: UtxoView = {
    getUtxo: (o) => byKey.get(outPointKey(o)),
    hasTransaction: () => false,
    ethNonce: () => 0,
  };
  const decoded = decodeTransaction(p.encoded);
  const checked = checkTransaction(decoded, { now: NOW, chainId: 1 });
  const connected = checkTransactionInputs(checked, view);
  expect(connected.fee).toBe(p.fee);
}

function assertInvariants(p: Payment, req: PaymentRequest): void {
  const outputs = p.tx.outputs.reduce((s, o) => s + o.amount, 0n);
  const inputs = p.inputs.reduce((s, u) => s + u.amount, 0n);
  expect(inputs).toBe(p.inputTotal);
  expect(outputs + p.fee).toBe(inputs);
  expect(p.size).toBe(p.encoded.length);
  expect(p.size).toBe(transactionSize(decodeTransaction(p.encoded)));
  expect(p.fee).toBeGreaterThanOrEqual(walletFee(p.size, req.feeRate));
  expect(p.fee).toBeGreaterThanOrEqual(minFee(p.size));
  expect(p.tx.outputs[0]).toEqual({ to: TO, amount: req.amount });
  for (const o of p.tx.outputs) expect(o.amount).toBeGreaterThanOrEqual(MIN_OUTPUT_VALUE);
  if (p.tx.outputs.length === 2) {
    // With change the fee is exact.
    expect(p.tx.outputs[1]).toEqual({ to: FROM, amount: p.change });
    expect(p.fee).toBe(walletFee(p.size, req.feeRate));
    expect(p.changeAddedToFee).toBe(0n);
  } else {
    expect(p.change).toBe(0n);
    expect(p.changeAddedToFee).toBe(p.fee - walletFee(p.size, req.feeRate));
    // A change output could not have been afforded: it would have been below dust after its own fee.
    const changeOutputBytes = 1 + 42 + 9 + 3; // string len + address + limb0 (9 bytes for >= 2^32) + 3 zero limbs
    expect(p.changeAddedToFee).toBeLessThan(MIN_OUTPUT_VALUE + BigInt(changeOutputBytes) * req.feeRate);
  }
  // Coins are a prefix of the deterministic largest-first order.
  const ordered = orderCoins(req.utxos);
  expect(p.inputs.map(outPointKey)).toEqual(ordered.slice(0, p.inputs.length).map(outPointKey));
}

describe("exact size-based fees", () => {
  it("1 input, 2 outputs: 576 bytes (facts §17.6), fee = 10^14 + 576 × 3×10^11 exactly", () => {
    const utxos = [coin(1, 8n * ASRM)];
    const req = request(utxos, ASRM);
    const p = buildPayment(req);
    expect(p.size).toBe(576);
    expect(p.fee).toBe(272_800_000_000_000n);
    expect(p.change).toBe(8n * ASRM - ASRM - 272_800_000_000_000n);
    assertInvariants(p, req);
    assertValid(p, utxos);
  });

  it("honours --fee-rate (200 Gwei/byte = the node's minimum)", () => {
    const utxos = [coin(1, 8n * ASRM)];
    const p = buildPayment(request(utxos, ASRM, 200_000_000_000n));
    expect(p.fee).toBe(minFee(p.size));
    assertValid(p, utxos);
  });

  it("folds change below the dust limit into the fee (no change output)", () => {
    const amount = ASRM;
    // Fee of the 1-in/1-out transaction: 10^14 + size × 3×10^11; give 10^11 ram more than that.
    const probe = buildPayment(request([coin(1, 2n * ASRM)], amount));
    const oneOutSize = probe.size - (1 + 42 + 9 + 3);
    const exact = amount + walletFee(oneOutSize);
    const utxos = [coin(1, exact + 100_000_000_000n)];
    const p = buildPayment(request(utxos, amount));
    expect(p.tx.outputs).toHaveLength(1);
    expect(p.size).toBe(oneOutSize);
    expect(p.changeAddedToFee).toBe(100_000_000_000n);
    expect(p.fee).toBe(walletFee(p.size) + 100_000_000_000n);
    assertValid(p, utxos);
  });

  it("pays exactly amount + fee with no leftover", () => {
    const probe = buildPayment(request([coin(1, 2n * ASRM)], ASRM));
    const oneOutSize = probe.size - 55;
    const utxos = [coin(1, ASRM + walletFee(oneOutSize))];
    const p = buildPayment(request(utxos, ASRM));
    expect(p.tx.outputs).toHaveLength(1);
    expect(p.fee).toBe(walletFee(p.size));
    assertValid(p, utxos);
  });

  it("takes the largest coins first and adds inputs until the fee is covered", () => {
    const utxos = [coin(1, ASRM), coin(2, 3n * ASRM), coin(3, 2n * ASRM)];
    const p = buildPayment(request(utxos, 4n * ASRM));
    expect(p.inputs.map((u) => u.amount)).toEqual([3n * ASRM, 2n * ASRM]);
    assertValid(p, utxos);
    // 5 ASRM exactly cannot pay 5 ASRM + fee with two coins: a third is added.
    const q = buildPayment(request(utxos, 5n * ASRM));
    expect(q.inputs).toHaveLength(3);
    assertValid(q, utxos);
  });

  it("insufficient funds reports what is spendable and what is needed", () => {
    const utxos = [coin(1, ASRM), coin(2, ASRM)];
    try {
      buildPayment(request(utxos, 2n * ASRM));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InsufficientFundsError);
      const err = e as InsufficientFundsError;
      expect(err.available).toBe(2n * ASRM);
      expect(err.needed).toBeGreaterThan(2n * ASRM + 10n ** 14n);
      expect(err.message).toMatch(/needs 2\.0+\d+ ASRM including the fee, but 2 ASRM is spendable/);
    }
    expect(() => buildPayment(request([], ASRM))).toThrow(InsufficientFundsError);
  });

  it("refuses a payment that would need more than 100,000 bytes of inputs", () => {
    const utxos = Array.from({ length: 400 }, (_, i) => coin(i + 1, 10n ** 15n));
    expect(() => buildPayment(request(utxos, 3n * 10n ** 17n))).toThrow(TransactionTooLargeError);
  });

  it("ignores duplicate outpoints in the node's list", () => {
    const c = coin(1, ASRM);
    expect(() => buildPayment(request([c, c], ASRM + ASRM / 2n))).toThrow(InsufficientFundsError);
  });

  it("invariants hold for random coin sets, amounts and fee rates; every result is consensus-valid (property)", () => {
    const amountArb = fc.bigInt({ min: MIN_OUTPUT_VALUE, max: 50n * ASRM });
    const coinsArb = fc.array(fc.bigInt({ min: 1n, max: 30n * ASRM }), { minLength: 0, maxLength: 12 });
    const rateArb = fc.bigInt({ min: 200_000_000_000n, max: 2_000_000_000_000n });
    fc.assert(
      fc.property(coinsArb, amountArb, rateArb, (amounts, amount, rate) => {
        const utxos = amounts.map((a, i) => coin(i + 1, a));
        const req = request(utxos, amount, rate);
        let p: Payment;
        try {
          p = buildPayment(req);
        } catch (e) {
          expect(e).toBeInstanceOf(InsufficientFundsError);
          const err = e as InsufficientFundsError;
          expect(err.available).toBe(amounts.reduce((s, a) => s + a, 0n));
          // Even all coins without change cannot pay amount + fee.
          expect(err.available).toBeLessThan(err.needed);
          return;
        }
        assertInvariants(p, req);
        assertValid(p, utxos);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it("amounts near the 2^64 limb boundary (18.44 ASRM) still get the exact fee (property)", () => {
    const edge = 1n << 64n;
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 16n), max: 10n ** 16n }),
        fc.bigInt({ min: -(10n ** 16n), max: 10n ** 16n }),
        (d1, d2) => {
          const utxos = [coin(1, edge + d1 + ASRM)];
          const req = request(utxos, edge + d2 - ASRM);
          const p = buildPayment(req);
          assertInvariants(p, req);
          assertValid(p, utxos);
          expect(encodeTransaction(p.tx)).toEqual(p.encoded);
        },
      ),
      { seed: SEED, numRuns: 60 },
    );
  });
});
