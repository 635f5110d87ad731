import {
  type Address,
  bytesToHex,
  encodeTransaction,
  formatAsrm,
  MAX_TX_INPUTS,
  MAX_TX_SIZE,
  MIN_OUTPUT_VALUE,
  outPointKey,
  publicKeyFromPrivate,
  signTransaction,
  type Transaction,
  type TransactionOutput,
  type Utxo,
  walletFee,
} from "astram-core";
import { InsufficientFundsError, TransactionTooLargeError } from "../errors.js";

/**
 * Coin selection and exact size-based fees.
 *
 * fee = 10^14 + rate × size, where size is the byte length of the full bincode encoding of the
 * signed transaction. The transaction is built and signed, its size measured, and the fee adjusted
 * until the fee covers the final size (the change output may appear or disappear on the way).
 * Change below the 1 Twei dust limit is not created: it is added to the fee.
 *
 * Coins are taken largest first (fewest inputs, so the smallest fee), ties broken by txid and vout
 * so that the result is deterministic.
 */
export interface PaymentRequest {
  readonly from: Address;
  readonly to: Address;
  /** ram, >= 1 Twei. */
  readonly amount: bigint;
  /** ram per byte. */
  readonly feeRate: bigint;
  /** Spendable coins of `from`. */
  readonly utxos: readonly Utxo[];
  readonly privateKey: Uint8Array;
  /** Unix seconds. */
  readonly timestamp: number;
}

export interface Payment {
  readonly tx: Transaction;
  readonly encoded: Uint8Array;
  /** Byte length of `encoded`. */
  readonly size: number;
  readonly inputs: readonly Utxo[];
  readonly inputTotal: bigint;
  readonly amount: bigint;
  /** Change paid back to `from` (0 when there is no change output). */
  readonly change: bigint;
  /** What the transaction pays: inputs - outputs. */
  readonly fee: bigint;
  /** walletFee(size) at the requested rate; `fee` is at least this. */
  readonly requiredFee: bigint;
  /**
   * With no change output: what the inputs left over beyond amount + required fee. It was too small
   * to become an output (below the 1 Twei dust limit once the change output's own fee is paid), so
   * it went to the fee.
   */
  readonly changeAddedToFee: bigint;
}

/** Deterministic spending order: largest amount first, then txid, then vout. */
export function orderCoins(utxos: readonly Utxo[]): Utxo[] {
  return [...utxos].sort((a, b) =>
    a.amount !== b.amount
      ? a.amount > b.amount
        ? -1
        : 1
      : a.txid !== b.txid
        ? a.txid < b.txid
          ? -1
          : 1
        : a.vout - b.vout,
  );
}

/** Removes duplicate outpoints (a node listing one twice must not make us spend it twice). */
export function uniqueCoins(utxos: readonly Utxo[]): Utxo[] {
  const seen = new Set<string>();
  const out: Utxo[] = [];
  for (const u of utxos) {
    const k = outPointKey(u);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(u);
    }
  }
  return out;
}

function sum(coins: readonly Utxo[]): bigint {
  let s = 0n;
  for (const c of coins) s += c.amount;
  return s;
}

const PLACEHOLDER_SIGNATURE = "0".repeat(128);

/**
 * Encoded size of a transaction with these inputs and outputs without signing it: every input
 * carries the same 130-hex pubkey and a 128-hex signature, so a placeholder of the same length
 * measures exactly what the signed transaction will measure.
 */
function unsignedSize(
  inputs: readonly Utxo[],
  outputs: readonly TransactionOutput[],
  pubkeyHex: string,
  timestamp: number,
): number {
  return encodeTransaction({
    txid: "0".repeat(64),
    ethHash: `0x${"0".repeat(64)}`,
    inputs: inputs.map((u) => ({
      txid: u.txid,
      vout: u.vout,
      pubkey: pubkeyHex,
      signature: PLACEHOLDER_SIGNATURE,
    })),
    outputs,
    timestamp,
  }).length;
}

interface Built {
  tx: Transaction;
  encoded: Uint8Array;
  size: number;
}

function sign(req: PaymentRequest, inputs: readonly Utxo[], outputs: TransactionOutput[]): Built {
  const tx = signTransaction(
    { inputs: inputs.map((u) => ({ txid: u.txid, vout: u.vout })), outputs, timestamp: req.timestamp },
    req.privateKey,
  );
  const encoded = encodeTransaction(tx);
  return { tx, encoded, size: encoded.length };
}

/** The exact-fee transaction spending exactly `inputs`, or undefined if they cannot pay. */
function payWith(req: PaymentRequest, inputs: readonly Utxo[]): Payment | undefined {
  const total = sum(inputs);
  const pay: TransactionOutput = { to: req.to, amount: req.amount };
  const result = (b: Built, change: bigint, dust: bigint): Payment => ({
    tx: b.tx,
    encoded: b.encoded,
    size: b.size,
    inputs,
    inputTotal: total,
    amount: req.amount,
    change,
    fee: total - req.amount - change,
    requiredFee: walletFee(b.size, req.feeRate),
    changeAddedToFee: dust,
  });
  const withoutChange = (): Payment | undefined => {
    const b = sign(req, inputs, [pay]);
    const fee = total - req.amount;
    if (fee < walletFee(b.size, req.feeRate)) return undefined;
    const need = walletFee(b.size, req.feeRate);
    return result(b, 0n, fee - need);
  };
  // Start from the fee of the largest change this set could produce (an upper bound on the size).
  const pubkeyHex = bytesToHex(publicKeyFromPrivate(req.privateKey));
  let fee = walletFee(
    unsignedSize(
      inputs,
      [pay, { to: req.from, amount: total > req.amount ? total - req.amount : 0n }],
      pubkeyHex,
      req.timestamp,
    ),
    req.feeRate,
  );
  let covering: Payment | undefined;
  for (let iteration = 0; iteration < 8; iteration++) {
    const change = total - req.amount - fee;
    if (change < MIN_OUTPUT_VALUE) return covering ?? withoutChange();
    const b = sign(req, inputs, [pay, { to: req.from, amount: change }]);
    const need = walletFee(b.size, req.feeRate);
    if (need === fee) return result(b, change, 0n);
    if (need < fee) covering = result(b, change, 0n); // valid, but overpays: try the exact fee
    fee = need;
  }
  return covering ?? withoutChange();
}

/**
 * Chooses coins and builds the signed payment. Throws InsufficientFundsError (with the amounts)
 * when the coins cannot pay amount + fee, and TransactionTooLargeError when paying would need more
 * than the 1000-input or 100,000-byte limits allow.
 */
export function buildPayment(req: PaymentRequest): Payment {
  if (req.amount < MIN_OUTPUT_VALUE) throw new RangeError("amount below the dust limit");
  const coins = orderCoins(uniqueCoins(req.utxos.filter((u) => u.amount > 0n)));
  const pubkeyHex = bytesToHex(publicKeyFromPrivate(req.privateKey));
  const pay: TransactionOutput = { to: req.to, amount: req.amount };
  let total = 0n;
  for (let k = 1; k <= coins.length; k++) {
    total += coins[k - 1]!.amount;
    if (k > MAX_TX_INPUTS) break;
    // Cheap lower bound first: the no-change transaction is the smallest this set can make.
    const minSize = unsignedSize(coins.slice(0, k), [pay], pubkeyHex, req.timestamp);
    if (minSize > MAX_TX_SIZE) break;
    if (total < req.amount + walletFee(minSize, req.feeRate)) continue;
    const p = payWith(req, coins.slice(0, k));
    if (p && p.size <= MAX_TX_SIZE) return p;
  }
  const available = sum(coins);
  const limited =
    coins.length > 0 &&
    (coins.length > MAX_TX_INPUTS ||
      unsignedSize(coins.slice(0, Math.min(coins.length, MAX_TX_INPUTS)), [pay], pubkeyHex, req.timestamp) >
        MAX_TX_SIZE);
  if (limited && available >= req.amount) {
    throw new TransactionTooLargeError(
      `paying ${formatAsrm(req.amount)} ASRM needs more inputs than one transaction may hold ` +
        `(at most ${MAX_TX_INPUTS} inputs and ${MAX_TX_SIZE} bytes); send a smaller amount first, ` +
        "for example to yourself, to merge small coins",
    );
  }
  const basis: Utxo[] =
    coins.length > 0 ? coins : [{ txid: "0".repeat(64), vout: 0, to: req.from, amount: 0n }];
  const needed = req.amount + walletFee(unsignedSize(basis, [pay], pubkeyHex, req.timestamp), req.feeRate);
  throw new InsufficientFundsError(
    available,
    needed,
    `insufficient funds: sending ${formatAsrm(req.amount)} ASRM needs ${formatAsrm(needed)} ASRM ` +
      `including the fee, but ${formatAsrm(available)} ASRM is spendable`,
  );
}
