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
import { decodeEthTxFields } from "./eth-tx-fields.js";
import { TRANSFER_GAS } from "./gas.js";

/**
 * eth_sendRawTransaction: verifies a signed legacy or EIP-1559 transfer (astram-core recovers the
 * sender and checks the chain id and signature), checks the Ethereum nonce against the chain and
 * the mempool, picks the sender's outputs, builds the UTXO transaction that carries the raw
 * transaction (so every node re-checks it), admits it through the node's single mempool path and
 * returns keccak256 of the raw transaction. Every refusal is an RpcError; nothing changes on error.
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

  const known = findByEthHash(node, auth.hash);
  if (known?.status === "pending") reject("already-known", `already known: ${auth.hash} is pending`);
  if (known?.status === "confirmed")
    reject("already-known", `nonce too low: ${auth.hash} is already in block ${known.height}`);

  const gasLimit = decodeEthTxFields(auth.raw).gasLimit;
  if (gasLimit < TRANSFER_GAS)
    reject("intrinsic-gas", `intrinsic gas too low: gas ${gasLimit}, minimum needed ${TRANSFER_GAS}`);

  const confirmedNonce = node.store.ethNonce(auth.sender);
  const nextNonce = confirmedNonce + node.mempool.pendingEthCount(auth.sender);
  const nonce = auth.nonce;
  if (nonce < BigInt(confirmedNonce))
    reject("nonce-too-low", `nonce too low: next nonce ${confirmedNonce}, tx nonce ${nonce}`);
  if (nonce < BigInt(nextNonce))
    reject(
      "replacement",
      `replacement transaction not supported: a pending transaction of ${auth.sender} already uses nonce ${nonce}`,
    );
  if (nonce > BigInt(nextNonce))
    reject(
      "nonce-too-high",
      `nonce too high: next nonce ${nextNonce}, tx nonce ${nonce} (future nonces are not queued)`,
    );

  const target = auth.value + auth.fee;
  const selection = selectInputs(
    spendableOutputs(node, auth.sender),
    target,
    MAX_TX_INPUTS,
    auth.value === 0n,
  );
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
    const price = (required + gasLimit - 1n) / gasLimit;
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
  return auth.hash;
}
