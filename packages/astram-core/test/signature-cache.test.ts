import { checkTransaction, SignatureCache, type Transaction, verifiedSignatureKeys } from "astram-core";
import { describe, expect, it } from "vitest";
import { addrA, addrB, expectVerifyError, FEE, fundedChain, keyA } from "./helpers.js";

const chain = fundedChain(3);
const opts = { now: Math.floor(Date.now() / 1000), chainId: chain.params.chainId };
const coins = chain.utxosOf(addrA);
const ONE = 10n ** 18n;

/** tx with every input signature replaced by `other`'s (a valid signature over other contents). */
function withSignatureOf(tx: Transaction, other: Transaction): Transaction {
  return { ...tx, inputs: tx.inputs.map((i) => ({ ...i, signature: other.inputs[0]!.signature })) };
}

describe("signature cache", () => {
  it("a checked transaction's signatures are remembered, under the keys a verifier thread computes", () => {
    const tx = chain.spend(keyA, coins.slice(0, 2), [{ to: addrB, amount: ONE }], FEE);
    const cache = new SignatureCache();
    checkTransaction(tx, { ...opts, signatureCache: cache });
    // Both inputs carry the same key and signature: one check, one entry.
    expect(cache.size).toBe(1);
    const keys = verifiedSignatureKeys(tx);
    expect(keys.length).toBe(1);
    expect(cache.has(keys[0]!)).toBe(true);
  });

  it("an entry never lets another signature, digest or key pass", () => {
    const tx = chain.spend(keyA, [coins[0]!], [{ to: addrB, amount: ONE }], FEE);
    const other = chain.spend(keyA, [coins[1]!], [{ to: addrB, amount: ONE }], FEE);
    const cache = new SignatureCache();
    for (const k of [...verifiedSignatureKeys(tx), ...verifiedSignatureKeys(other)]) cache.add(k);
    expect(cache.size).toBe(2);
    // other's signature is in the cache, but over other's digest: tx with it still fails.
    const forged = withSignatureOf(tx, other);
    expect(verifiedSignatureKeys(forged)).toEqual([]);
    expectVerifyError(() => checkTransaction(forged, { ...opts, signatureCache: cache }), "bad-signature");
    expect(cache.size).toBe(2);
  });

  it("leaves out coinbases and malformed signatures; forgets the oldest entries past its capacity", () => {
    expect(verifiedSignatureKeys(chain.blocks[1]!.transactions[0]!)).toEqual([]);
    const tx = chain.spend(keyA, [coins[0]!], [{ to: addrB, amount: ONE }], FEE);
    expect(
      verifiedSignatureKeys({ ...tx, inputs: tx.inputs.map((i) => ({ ...i, signature: "zz" })) }),
    ).toEqual([]);
    const cache = new SignatureCache(2);
    for (const k of ["a", "b", "c"]) cache.add(k);
    expect([cache.has("a"), cache.has("b"), cache.has("c"), cache.size]).toEqual([false, true, true, 2]);
    expect(() => new SignatureCache(0)).toThrow(RangeError);
  });
});
