import {
  buildEthTransferTransaction,
  type EthAuthorization,
  MAX_TX_INPUTS,
  MIN_OUTPUT_VALUE,
  minFee,
  transactionSize,
} from "astram-core";
import type { AstramNode } from "../node.js";
import { selectInputs, spendableOutputs } from "./coin-selection.js";
import { serverError } from "./errors.js";
import { GAS_PRICE, TRANSFER_GAS } from "./gas.js";
import type { CallObject } from "./params.js";

/** Bytes of a quantity's RLP encoding. */
function rlpQuantityLength(v: bigint): number {
  if (v < 0x80n) return 1;
  return 1 + Math.ceil(v.toString(16).length / 2);
}

/** Bytes of an RLP list with a payload of `n` bytes. */
const rlpListLength = (n: number): number => (n < 56 ? 1 : 1 + Math.ceil(n.toString(16).length / 2)) + n;

/**
 * Upper bound of the raw signed transfer's length (the larger of legacy and EIP-1559, 32-byte r and
 * s): it is copied into every input, so it sets the size the fee rule charges.
 */
export function rawTransferLength(f: {
  chainId: number;
  nonce: bigint;
  gas: bigint;
  price: bigint;
  value: bigint;
}): number {
  const signature = 33 + 33;
  const to = 21;
  const data = 1;
  const q = rlpQuantityLength;
  const legacy = rlpListLength(
    q(f.nonce) + q(f.price) + q(f.gas) + to + q(f.value) + data + q(BigInt(f.chainId) * 2n + 36n) + signature,
  );
  const eip1559 =
    1 +
    rlpListLength(
      q(BigInt(f.chainId)) +
        q(f.nonce) +
        2 * q(f.price) +
        q(f.gas) +
        to +
        q(f.value) +
        data +
        1 /* empty access list */ +
        1 /* yParity */ +
        signature,
    );
  return Math.max(legacy, eip1559);
}

/**
 * Size of the UTXO transaction a transfer becomes spending `inputs` (change output included). The
 * encoding uses varints, so the real outpoints and the current time are what is measured.
 */
function transferSize(
  inputs: readonly { txid: string; vout: number }[],
  value: bigint,
  rawLength: number,
  now: number,
): number {
  const auth: EthAuthorization = {
    sender: "0x" + "00".repeat(20),
    publicKey: "04" + "00".repeat(64),
    chainId: 0,
    nonce: 0n,
    to: "0x" + "00".repeat(20),
    value,
    fee: 0n,
    type: "eip1559",
    gasLimit: 0n,
    maxFeePerGas: 0n,
    maxPriorityFeePerGas: 0n,
    hash: "0x" + "00".repeat(32),
    raw: "0x" + "00".repeat(rawLength),
  };
  const coins = inputs.map((i) => ({ txid: i.txid, vout: i.vout, amount: value + MIN_OUTPUT_VALUE }));
  return transactionSize(buildEthTransferTransaction(auth, coins, now));
}

const ceilDiv = (a: bigint, b: bigint): bigint => (a + b - 1n) / b;

/**
 * The gas eth_estimateGas answers for a transfer: at `price` per gas (the call's gasPrice or
 * maxFeePerGas, else eth_gasPrice), gas x price pays the minimum fee of the UTXO transaction this
 * sender's transfer becomes: the node's own coin selection (largest outputs first) for value + fee,
 * the raw transaction copied into each input, a change output. At least 21,000. Fails as geth does
 * when the sender cannot pay value + fee.
 */
export function estimateTransferGas(node: AstramNode, call: CallObject, pendingNonce: bigint): bigint {
  const price = call.gasPrice ?? call.maxFeePerGas ?? GAS_PRICE;
  if (price <= 0n) throw serverError("gas price must be positive");
  const value = call.value ?? 0n;
  if (call.from === undefined) {
    // Nobody's coins to select: a one-input transfer.
    const raw = rawTransferLength({
      chainId: node.params.chainId,
      nonce: 0n,
      gas: TRANSFER_GAS,
      price,
      value,
    });
    const coin = { txid: "00".repeat(32), vout: 0 };
    return maxOf(TRANSFER_GAS, ceilDiv(minFee(transferSize([coin], value, raw, node.now())), price));
  }
  const candidates = spendableOutputs(node, call.from);
  const balance = candidates.reduce((s, u) => s + u.amount, 0n);
  if (value > balance)
    throw serverError(`insufficient funds for transfer: balance ${balance}, value ${value}`);
  let gas = TRANSFER_GAS;
  // Each round selects for a larger fee, so the input count only grows: a few rounds settle it.
  for (let round = 0; round < 32; round++) {
    const target = value + gas * price;
    const selection = selectInputs(candidates, target, MAX_TX_INPUTS, value === 0n);
    if (!selection.ok) {
      if (selection.available < target)
        throw serverError(
          `insufficient funds for gas * price + value: balance ${selection.available}, tx cost ${target}`,
        );
      throw serverError(
        `cannot fund ${target} ram from ${call.from}'s outputs without a change output below 1 Twei or more than ${MAX_TX_INPUTS} inputs`,
      );
    }
    const raw = rawTransferLength({
      chainId: node.params.chainId,
      nonce: call.nonce ?? pendingNonce,
      gas: gas * 2n,
      price,
      value,
    });
    const size = transferSize(selection.inputs, value, raw, node.now());
    const needed = maxOf(TRANSFER_GAS, ceilDiv(minFee(size), price));
    if (needed <= gas) return gas;
    gas = needed;
  }
  return gas;
}

const maxOf = (a: bigint, b: bigint): bigint => (a > b ? a : b);
