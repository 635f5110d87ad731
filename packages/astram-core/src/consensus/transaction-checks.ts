import { hexToBytes, isHash64, isLowerHex } from "../crypto/hex.js";
import { isAddress } from "../crypto/keys.js";
import { signingDigest, verifyDigest } from "../crypto/signature.js";
import { type EthAuthorization, isEthSignature, verifyEthSignedTransaction } from "../eth/eth-signature.js";
import {
  ethHashOfPreimage,
  isCoinbase,
  type Transaction,
  transactionPreimage,
  transactionSize,
  txidOfPreimage,
} from "../primitives/transaction.js";
import { outPointKey } from "../primitives/utxo.js";
import { ban, VerifyError } from "./errors.js";
import {
  MAX_FUTURE_DRIFT_SECONDS,
  MAX_TX_INPUTS,
  MAX_TX_OUTPUTS,
  MAX_TX_SIZE,
  MIN_OUTPUT_VALUE,
} from "./params.js";
import { SignatureCache } from "./signature-cache.js";

const ETH_HASH_RE = /^0x[0-9a-f]{64}$/;

const bad = (code: string, reason: string, score = 100): never => {
  throw new VerifyError(code, reason, ban(score));
};

/** What context-free checks learn about a transaction, for the contextual checks that follow. */
export interface CheckedTransaction {
  readonly tx: Transaction;
  readonly size: number;
  readonly preimage: Uint8Array;
  /** Present when the inputs are authorised by an Ethereum-signed transaction. */
  readonly eth?: EthAuthorization;
}

/**
 * Every rule that needs no chain state: recomputed txid and eth_hash, size and count limits,
 * well-formed fields, output addresses and dust, duplicate inputs, the timestamp bound, and (unless
 * `skipSignatures`) the cryptographic check of every input signature. A signature found in
 * `signatureCache` passed the same check before; one that passes now is added to it, unless
 * `fromBlock`: a block's checks take the entries they use out and add none (its transactions are
 * not checked again).
 */
export function checkTransaction(
  tx: Transaction,
  opts: {
    now: number;
    chainId: number;
    skipSignatures?: boolean;
    signatureCache?: SignatureCache | undefined;
    fromBlock?: boolean;
  },
): CheckedTransaction {
  if (!isHash64(tx.txid)) bad("bad-txid-format", "txid must be 64 lowercase hex characters");
  if (!ETH_HASH_RE.test(tx.ethHash))
    bad("bad-eth-hash-format", "eth_hash must be 0x + 64 lowercase hex characters");
  const size = transactionSize(tx);
  if (size > MAX_TX_SIZE) bad("tx-too-large", `transaction is ${size} bytes, the limit is ${MAX_TX_SIZE}`);
  if (tx.inputs.length > MAX_TX_INPUTS)
    bad("too-many-inputs", `${tx.inputs.length} inputs, the limit is ${MAX_TX_INPUTS}`);
  if (tx.outputs.length > MAX_TX_OUTPUTS)
    bad("too-many-outputs", `${tx.outputs.length} outputs, the limit is ${MAX_TX_OUTPUTS}`);
  if (tx.outputs.length === 0) bad("no-outputs", "a transaction needs at least one output");
  if (tx.timestamp > opts.now + MAX_FUTURE_DRIFT_SECONDS) {
    throw new VerifyError(
      "tx-time-too-new",
      "transaction timestamp is more than 2 hours in the future",
      ban(0),
    );
  }

  const coinbase = isCoinbase(tx);
  for (const [i, o] of tx.outputs.entries()) {
    if (!isAddress(o.to)) bad("bad-output-address", `output ${i} address is not 0x + 40 lowercase hex`);
    if (!coinbase && o.amount < MIN_OUTPUT_VALUE)
      bad("dust-output", `output ${i} is below the 1 Twei minimum`);
  }

  const seen = new Set<string>();
  for (const [i, input] of tx.inputs.entries()) {
    if (!isHash64(input.txid)) bad("bad-input-txid", `input ${i} txid is not 64 lowercase hex characters`);
    if (!isLowerHex(input.pubkey) || (input.pubkey.length !== 66 && input.pubkey.length !== 130)) {
      bad("bad-input-pubkey", `input ${i} pubkey must be a 33- or 65-byte key in lowercase hex`);
    }
    if (input.signature === undefined) bad("missing-signature", `input ${i} has no signature`);
    const key = outPointKey(input);
    if (seen.has(key)) bad("duplicate-input", `input ${i} spends ${key} twice`);
    seen.add(key);
  }

  const preimage = transactionPreimage(tx);
  if (txidOfPreimage(preimage) !== tx.txid) bad("bad-txid", "txid does not match the transaction's contents");
  if (ethHashOfPreimage(preimage) !== tx.ethHash)
    bad("bad-eth-hash", "eth_hash does not match the transaction's contents");

  const checked: CheckedTransaction = { tx, size, preimage };
  if (coinbase) return checked;
  // Ethereum-signed transactions are always decoded: the contextual checks need their authorisation.
  if (opts.skipSignatures && !isEthSignature(tx.inputs[0]?.signature)) return checked;
  return verifyTransactionSignatures(checked, opts.chainId, opts.signatureCache, opts.fromBlock);
}

/**
 * Cryptographic check of every input: a native signature must verify (low-S) against the input's
 * pubkey over SHA-256(preimage); an `eth:` signature must be a valid Ethereum transfer binding the
 * outputs. No signature form is accepted without a check (or a cache entry of the same check).
 */
export function verifyTransactionSignatures(
  checked: CheckedTransaction,
  chainId: number,
  cache?: SignatureCache,
  fromBlock = false,
): CheckedTransaction {
  const { tx } = checked;
  if (isEthSignature(tx.inputs[0]?.signature)) {
    return { ...checked, eth: verifyEthSignedTransaction(tx, chainId) };
  }
  const digest = signingDigest(checked.preimage);
  // Wallets put one signature and key on every input; verify each distinct pair once.
  const verified = new Set<string>();
  for (const [i, input] of tx.inputs.entries()) {
    const sig = input.signature!;
    if (isEthSignature(sig)) bad("mixed-signatures", `input ${i} mixes eth: and native signatures`);
    if (!isLowerHex(sig, 128))
      bad("bad-signature-format", `input ${i} signature must be 128 lowercase hex characters`);
    const pair = input.pubkey + sig;
    if (verified.has(pair)) continue;
    const key = cache ? SignatureCache.key(sig, digest, input.pubkey) : "";
    const cached = cache !== undefined && (fromBlock ? cache.take(key) : cache.has(key));
    if (!cached) {
      if (!verifyDigest(hexToBytes(sig), digest, hexToBytes(input.pubkey)))
        bad("bad-signature", `input ${i} signature does not verify`);
      if (!fromBlock) cache?.add(key);
    }
    verified.add(pair);
  }
  return checked;
}

/**
 * The signature-cache entries of a transaction's native input signatures that verify (none for a
 * coinbase or an `eth:` transaction). A verifier thread computes them ahead of block checks;
 * anything malformed or failing is left out, for the block check itself to reject with its reason.
 */
export function verifiedSignatureKeys(tx: Transaction): string[] {
  if (isCoinbase(tx) || isEthSignature(tx.inputs[0]?.signature)) return [];
  const digest = signingDigest(transactionPreimage(tx));
  const keys = new Set<string>();
  for (const input of tx.inputs) {
    const sig = input.signature;
    if (sig === undefined || !isLowerHex(sig, 128) || !isLowerHex(input.pubkey)) continue;
    if (input.pubkey.length !== 66 && input.pubkey.length !== 130) continue;
    const key = SignatureCache.key(sig, digest, input.pubkey);
    if (keys.has(key)) continue;
    if (verifyDigest(hexToBytes(sig), digest, hexToBytes(input.pubkey))) keys.add(key);
  }
  return [...keys];
}
