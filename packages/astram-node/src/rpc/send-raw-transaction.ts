import {
  buildEthTransferTransaction,
  type EthAuthorization,
  MAX_TX_INPUTS,
  minFee,
  parseEthTransfer,
  transactionSize,
  VerifyError,
} from "astram-core";
import type { NodeMetrics } from "../api/metrics.js";
import { findByEthHash } from "../api/queries/find-transaction.js";
import type { AstramNode } from "../node.js";
import { selectInputs, spendableOutputs } from "./coin-selection.js";
import { invalidParams, serverError } from "./errors.js";
import { ethState } from "./eth-state.js";
import { TRANSFER_GAS } from "./gas.js";

/**
 * eth_sendRawTransaction: verifies a signed legacy or EIP-1559 transfer (astram-core recovers the
 * sender and checks the chain id and signature), then by nonce: below the chain's count it is
 * refused; the next nonce, or one a pending transfer uses (a replacement), enters the mempool
 * (admitEthTransfer); a future nonce waits in the node's bounded nonce queue until the gap fills.
 * Returns keccak256 of the raw transaction. Every refusal is an RpcError; nothing changes on error.
 */
export function sendRawTransaction(node: AstramNode, metrics: NodeMetrics, rawHex: string): string {
  let auth: EthAuthorization;
  try {
    auth = parseEthTransfer(rawHex, node.params.chainId);
  } catch (e) {
    if (!(e instanceof VerifyError)) throw e;
    metrics.recordTxRejected(e.code);
    if (e.code === "eth-tx-malformed") throw invalidParams(`invalid raw transaction: ${e.reason}`);
    throw serverError(e.code === "eth-tx-chain-id" ? `invalid chain id for signer: ${e.reason}` : e.reason);
  }
  const reject = (code: string, message: string): never => {
    metrics.recordTxRejected(code);
    throw serverError(message);
  };
  const state = ethState(node);
  const known = findByEthHash(node, auth.hash);
  if (known?.status === "pending" || state.queue.getByHash(auth.hash))
    reject("already-known", `already known: ${auth.hash} is pending`);
  if (known?.status === "confirmed")
    reject("already-known", `nonce too low: ${auth.hash} is already in block ${known.height}`);
  if (auth.gasLimit < TRANSFER_GAS)
    reject("intrinsic-gas", `intrinsic gas too low: gas ${auth.gasLimit}, minimum needed ${TRANSFER_GAS}`);

  const confirmed = BigInt(node.store.ethNonce(auth.sender));
  const next = confirmed + BigInt(node.mempool.pendingEthCount(auth.sender));
  if (auth.nonce < confirmed)
    reject("nonce-too-low", `nonce too low: next nonce ${confirmed}, tx nonce ${auth.nonce}`);
  if (auth.nonce > next) {
    const balance = spendableOutputs(node, auth.sender).reduce((s, u) => s + u.amount, 0n);
    if (balance < auth.value + auth.fee)
      reject(
        "insufficient-funds",
        `insufficient funds for gas * price + value: balance ${balance}, tx cost ${auth.value + auth.fee}`,
      );
    try {
      state.queue.add(auth, next, node.now());
    } catch (e) {
      metrics.recordTxRejected("queue");
      throw e;
    }
    return auth.hash;
  }
  admitEthTransfer(node, auth, metrics);
  state.promote(auth.sender);
  return auth.hash;
}

/**
 * Builds the UTXO transaction of a transfer whose nonce is the sender's next or a pending one (a
 * replacement: the replaced transaction's coins are free for it) and submits it through the node's
 * single admission path. Throws an RpcError; nothing changes on error.
 */
export function admitEthTransfer(node: AstramNode, auth: EthAuthorization, metrics?: NodeMetrics): void {
  const reject = (code: string, message: string): never => {
    metrics?.recordTxRejected(code);
    throw serverError(message);
  };
  const replaced = node.mempool.getByEthNonce(auth.sender, auth.nonce);
  const freed = new Set<string>();
  if (replaced) {
    freed.add(replaced.tx.txid);
    for (const d of node.mempool.descendantsOf(replaced.tx.txid)) freed.add(d);
  }
  const target = auth.value + auth.fee;
  const candidates = spendableOutputs(node, auth.sender, freed);
  const selection = selectInputs(candidates, target, MAX_TX_INPUTS, auth.value === 0n);
  if (!selection.ok) {
    if (selection.available < target)
      reject(
        "insufficient-funds",
        `insufficient funds for gas * price + value: balance ${selection.available}, tx cost ${target}`,
      );
    reject(
      "unfundable",
      `cannot fund ${target} ram from ${auth.sender}'s outputs without a change output below 1 Twei or more than ${MAX_TX_INPUTS} inputs`,
    );
  }
  const inputs = selection.ok ? selection.inputs : [];
  const tx = buildEthTransferTransaction(auth, inputs, node.now());
  const size = transactionSize(tx);
  const required = minFee(size);
  if (auth.fee < required) {
    const price = (required + auth.gasLimit - 1n) / auth.gasLimit;
    reject(
      "fee-too-low",
      `transaction underpriced: gas x gasPrice = ${auth.fee} ram is below the minimum fee ${required} ram of the ` +
        `${size}-byte transaction it becomes (${inputs.length} input${inputs.length === 1 ? "" : "s"}); ` +
        `use a gas price of at least ${price} wei`,
    );
  }
  try {
    node.submitTransaction(tx, "rpc");
  } catch (e) {
    if (!(e instanceof VerifyError)) throw e;
    reject(e.code, e.reason);
  }
}
