import { secp256k1 } from "@noble/curves/secp256k1.js";
import {
  bytesToHex,
  checkTransaction,
  checkTransactionInputs,
  createTransaction,
  hexToBytes,
  MAX_TX_INPUTS,
  MAX_TX_OUTPUTS,
  minFee,
  OverlayView,
  signTransaction,
  type Transaction,
  transactionSize,
} from "astram-core";
import { describe, expect, it } from "vitest";
import { addrA, addrB, expectVerifyError, FEE, fundedChain, keyA, keyB } from "./helpers.js";

const chain = fundedChain(3);
const now = Math.floor(Date.now() / 1000);
const opts = { now, chainId: chain.params.chainId };
const coins = chain.utxosOf(addrA);
const ONE = 10n ** 18n;

const full = (tx: Transaction) => checkTransactionInputs(checkTransaction(tx, opts), chain);

describe("context-free transaction rules", () => {
  it("a correct transfer passes and reports its fee", () => {
    const tx = chain.spend(keyA, [coins[0]!], [{ to: addrB, amount: ONE }], FEE);
    expect(full(tx).fee).toBe(FEE);
  });

  it("a missing signature is rejected", () => {
    const tx = chain.spend(keyA, [coins[0]!], [{ to: addrB, amount: ONE }], FEE);
    const stripped = { ...tx, inputs: tx.inputs.map(({ signature: _s, ...rest }) => rest) };
    expectVerifyError(() => checkTransaction(stripped, opts), "missing-signature");
  });

  it("a signature that does not verify is rejected", () => {
    const tx = chain.spend(keyA, [coins[0]!], [{ to: addrB, amount: ONE }], FEE);
    const other = chain.spend(keyA, [coins[1]!], [{ to: addrB, amount: ONE }], FEE);
    const swapped = {
      ...tx,
      inputs: tx.inputs.map((i) => ({ ...i, signature: other.inputs[0]!.signature })),
    };
    expectVerifyError(() => checkTransaction(swapped, opts), "bad-signature");
  });

  it("a high-S signature is rejected (malleability)", () => {
    const tx = chain.spend(keyA, [coins[0]!], [{ to: addrB, amount: ONE }], FEE);
    const sig = hexToBytes(tx.inputs[0]!.signature!);
    const n = secp256k1.Point.CURVE().n;
    const s = BigInt("0x" + bytesToHex(sig.subarray(32)));
    const high = bytesToHex(sig.subarray(0, 32)) + (n - s).toString(16).padStart(64, "0");
    const malleated = { ...tx, inputs: tx.inputs.map((i) => ({ ...i, signature: high })) };
    expectVerifyError(() => checkTransaction(malleated, opts), "bad-signature");
  });

  it("the reference's unverified eth_sig form is rejected", () => {
    const tx = chain.spend(keyA, [coins[0]!], [{ to: addrB, amount: ONE }], FEE);
    const fake = {
      ...tx,
      inputs: tx.inputs.map((i) => ({ ...i, signature: `eth_sig:27:${"11".repeat(32)}:${"22".repeat(32)}` })),
    };
    expectVerifyError(() => checkTransaction(fake, opts), "bad-signature-format");
  });

  it("outputs below 1 Twei are dust", () => {
    const tx = chain.spend(keyA, [coins[0]!], [{ to: addrB, amount: 10n ** 12n - 1n }], FEE);
    expectVerifyError(() => checkTransaction(tx, opts), "dust-output");
  });

  it("output addresses must be canonical", () => {
    const tx = chain.spend(
      keyA,
      [coins[0]!],
      [{ to: addrB.toUpperCase().replace("0X", "0x"), amount: ONE }],
      FEE,
    );
    expectVerifyError(() => checkTransaction(tx, opts), "bad-output-address");
  });

  it("spending the same outpoint twice in one transaction is rejected", () => {
    const tx = chain.spend(keyA, [coins[0]!, coins[0]!], [{ to: addrB, amount: ONE }], FEE);
    expectVerifyError(() => checkTransaction(tx, opts), "duplicate-input");
  });

  it("more than 1000 inputs or outputs are rejected", () => {
    const many = Array.from({ length: MAX_TX_OUTPUTS + 1 }, () => ({ to: addrB, amount: 10n ** 12n }));
    const txOut = signTransaction(
      { inputs: [{ txid: coins[0]!.txid, vout: 0 }], outputs: many, timestamp: 1 },
      keyA,
    );
    expectVerifyError(() => checkTransaction(txOut, opts), "too-many-outputs");
    const inputs = Array.from({ length: MAX_TX_INPUTS + 1 }, (_, i) => ({ txid: coins[0]!.txid, vout: i }));
    const txIn = createTransaction({
      inputs: inputs.map((i) => ({ ...i, pubkey: "04", signature: "00" })),
      outputs: [{ to: addrB, amount: ONE }],
      timestamp: 1,
    });
    expectVerifyError(() => checkTransaction(txIn, opts), "too-many-inputs");
  });

  it("transactions over 100 KB are rejected", () => {
    const outs = Array.from({ length: 999 }, () => ({ to: addrB, amount: 10n ** 30n }));
    const tx = signTransaction(
      { inputs: [{ txid: coins[0]!.txid, vout: 0 }], outputs: outs, timestamp: 1 },
      keyA,
    );
    expect(transactionSize(tx)).toBeGreaterThan(50_000);
    const big = signTransaction(
      { inputs: [{ txid: coins[0]!.txid, vout: 0 }], outputs: [...outs, ...outs.slice(0, 1)], timestamp: 1 },
      keyA,
    );
    const huge = {
      ...big,
      inputs: big.inputs.map((i) => ({ ...i, pubkey: i.pubkey + "00".repeat(30_000) })),
    };
    expectVerifyError(() => checkTransaction(huge, opts), "tx-too-large");
  });

  it("timestamps more than 2 hours ahead are rejected", () => {
    const tx = chain.spend(keyA, [coins[0]!], [{ to: addrB, amount: ONE }], FEE, now + 3 * 3600);
    expectVerifyError(() => checkTransaction(tx, opts), "tx-time-too-new");
  });
});

describe("UTXO-view rules", () => {
  it("inputs must exist", () => {
    const ghost = { txid: "cd".repeat(32), vout: 0, to: addrA, amount: ONE * 8n };
    const tx = chain.spend(keyA, [ghost], [{ to: addrB, amount: ONE }], FEE);
    const err = expectVerifyError(() => full(tx), "missing-or-spent-input");
    expect(err.action.kind).toBe("reject");
  });

  it("the signer must own the outputs it spends", () => {
    const stolen = { ...coins[0]! };
    const tx = chain.spend(keyB, [stolen], [{ to: addrB, amount: ONE }], FEE);
    expectVerifyError(() => full(tx), "not-owner");
  });

  it("outputs may not exceed inputs", () => {
    const tx = signTransaction(
      {
        inputs: [{ txid: coins[0]!.txid, vout: 0 }],
        outputs: [{ to: addrB, amount: 9n * ONE }],
        timestamp: 1,
      },
      keyA,
    );
    expectVerifyError(() => full(tx), "outputs-exceed-inputs");
  });

  it("the fee must reach min_fee(size), and exactly min_fee passes", () => {
    const probe = chain.spend(keyA, [coins[0]!], [{ to: addrB, amount: ONE }], FEE);
    const exact = minFee(transactionSize(probe));
    const ok = chain.spend(keyA, [coins[0]!], [{ to: addrB, amount: ONE }], exact);
    expect(transactionSize(ok)).toBe(transactionSize(probe));
    expect(full(ok).fee).toBe(exact);
    const low = chain.spend(keyA, [coins[0]!], [{ to: addrB, amount: ONE }], exact - 1n);
    expectVerifyError(() => full(low), "fee-too-low");
  });

  it("an overlay sees outputs and spends of pending transactions", () => {
    const overlay = new OverlayView(chain);
    const s1 = chain.spend(keyA, [coins[0]!], [{ to: addrA, amount: ONE }], FEE);
    const c = full(s1);
    overlay.apply(s1.txid, c.spent, c.created);
    expect(overlay.getUtxo(coins[0]!)).toBeUndefined();
    expect(overlay.getUtxo({ txid: s1.txid, vout: 0 })?.amount).toBe(ONE);
    expect(overlay.hasTransaction(s1.txid)).toBe(true);
    expect(chain.getUtxo(coins[0]!)).toBeDefined();
  });
});
