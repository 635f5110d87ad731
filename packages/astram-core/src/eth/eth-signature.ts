import { secp256k1 } from "@noble/curves/secp256k1.js";
import { Transaction as EthTransaction } from "micro-eth-signer";
import { VerifyError } from "../consensus/errors.js";
import { bytesToHex, hexToBytes } from "../crypto/hex.js";
import { normalizePublicKey } from "../crypto/keys.js";
import { createTransaction, type Transaction, type TransactionOutput } from "../primitives/transaction.js";

/**
 * Transactions sent through the Ethereum JSON-RPC (MetaMask, ethers, viem) carry the raw signed
 * Ethereum transaction in every input's signature field as `eth:0x<raw hex>`. Every validating node
 * re-checks it: the signature recovers the sender, the chain id is the network's, the inputs are the
 * sender's, and the outputs and fee are exactly what the Ethereum transaction authorises:
 * outputs = [to: value] plus optional change back to the sender, fee = gasLimit x gasPrice
 * (legacy) or gasLimit x maxFeePerGas (EIP-1559). A transfer of value 0 (a wallet's "cancel")
 * pays nobody: its outputs are the change alone, so it creates no dust output. The Ethereum nonce
 * must equal the number of earlier Ethereum-signed transactions of the sender, so a signed
 * transaction is applied once.
 */
export const ETH_SIGNATURE_PREFIX = "eth:";

const HALF_N = secp256k1.Point.CURVE().n >> 1n;

export interface EthAuthorization {
  /** Lowercase sender address recovered from the signature. */
  readonly sender: string;
  /** Uncompressed sender public key, lowercase hex. */
  readonly publicKey: string;
  readonly chainId: number;
  readonly nonce: bigint;
  /** Lowercase recipient. */
  readonly to: string;
  readonly value: bigint;
  /** The fee the signature authorises, charged in full. */
  readonly fee: bigint;
  readonly type: "legacy" | "eip1559";
  readonly gasLimit: bigint;
  /** gasPrice (legacy) or maxFeePerGas (EIP-1559): the price per gas charged. */
  readonly maxFeePerGas: bigint;
  /** gasPrice (legacy) or maxPriorityFeePerGas (EIP-1559): what replacement bumps compare. */
  readonly maxPriorityFeePerGas: bigint;
  /** keccak256 of the raw signed transaction, "0x"-prefixed: the hash Ethereum tools expect. */
  readonly hash: string;
  readonly raw: string;
}

export function isEthSignature(signature: string | undefined): boolean {
  return signature?.startsWith(ETH_SIGNATURE_PREFIX) ?? false;
}

const fail = (code: string, reason: string): never => {
  throw new VerifyError(code, reason);
};

/** Decodes and checks a raw signed Ethereum transaction for a plain value transfer on `chainId`. */
export function parseEthTransfer(rawHex: string, chainId: number): EthAuthorization {
  let tx: ReturnType<typeof EthTransaction.fromBytes>;
  let bytes: Uint8Array;
  try {
    bytes = hexToBytes(rawHex);
    const parsed = EthTransaction.fromBytes(bytes, false);
    if (parsed.type !== "legacy" && parsed.type !== "eip1559") {
      return fail("eth-tx-type", `unsupported Ethereum transaction type ${parsed.type}`);
    }
    tx = parsed;
  } catch (e) {
    if (e instanceof VerifyError) throw e;
    return fail("eth-tx-malformed", `cannot decode the raw Ethereum transaction: ${(e as Error).message}`);
  }
  const raw = tx.raw as {
    chainId?: bigint;
    nonce: bigint;
    to: string;
    value: bigint;
    data: string;
    gasLimit: bigint;
    gasPrice?: bigint;
    maxFeePerGas?: bigint;
    maxPriorityFeePerGas?: bigint;
    accessList?: unknown[];
    r?: bigint;
    s?: bigint;
  };
  if (raw.chainId === undefined || raw.chainId === 0n)
    fail("eth-tx-no-chain-id", "pre-EIP-155 transactions are replayable across chains and not accepted");
  if (raw.chainId !== BigInt(chainId))
    fail("eth-tx-chain-id", `chain id ${raw.chainId} is not this network's ${chainId}`);
  if (!raw.to || raw.to === "0x") fail("eth-tx-contract-creation", "contract creation is not supported");
  if (raw.data !== "0x" && raw.data !== "")
    fail("eth-tx-data", "transactions with call data are not supported");
  if (raw.accessList && raw.accessList.length > 0)
    fail("eth-tx-access-list", "access lists are not supported");
  if (raw.s === undefined || raw.s > HALF_N)
    fail("eth-tx-high-s", "signature s value is not in the lower half order");
  let sender: { publicKey: string; address: string };
  try {
    sender = tx.recoverSender();
  } catch (e) {
    return fail("eth-tx-bad-signature", `cannot recover the sender: ${(e as Error).message}`);
  }
  const publicKey = bytesToHex(normalizePublicKey(hexToBytes(sender.publicKey)));
  const price = tx.type === "legacy" ? raw.gasPrice! : raw.maxFeePerGas!;
  return {
    sender: sender.address.toLowerCase(),
    publicKey,
    chainId,
    nonce: raw.nonce,
    to: raw.to.toLowerCase(),
    value: raw.value,
    fee: raw.gasLimit * price,
    type: tx.type === "legacy" ? "legacy" : "eip1559",
    gasLimit: raw.gasLimit,
    maxFeePerGas: price,
    maxPriorityFeePerGas: tx.type === "legacy" ? price : raw.maxPriorityFeePerGas!,
    hash: tx.hash.startsWith("0x") ? tx.hash : "0x" + tx.hash,
    raw: "0x" + bytesToHex(bytes),
  };
}

/**
 * Context-free checks of an Ethereum-signed UTXO transaction: every input carries the same
 * `eth:` signature and the recovered public key; the outputs are [to: value] and optionally change
 * to the sender. Returns the authorisation; the caller checks fee, ownership and nonce in context.
 */
export function verifyEthSignedTransaction(tx: Transaction, chainId: number): EthAuthorization {
  const first = tx.inputs[0];
  if (!first?.signature?.startsWith(ETH_SIGNATURE_PREFIX)) fail("eth-tx-missing", "no eth: signature");
  const signature = first!.signature!;
  const auth = parseEthTransfer(signature.slice(ETH_SIGNATURE_PREFIX.length), chainId);
  for (const input of tx.inputs) {
    if (input.signature !== signature)
      fail("eth-tx-mixed-signatures", "all inputs must carry the same eth: signature");
    if (input.pubkey !== auth.publicKey)
      fail("eth-tx-pubkey", "input pubkey is not the key that signed the Ethereum transaction");
  }
  if (signature !== ETH_SIGNATURE_PREFIX + auth.raw)
    fail("eth-tx-noncanonical", "eth: signature must be lowercase 0x-prefixed hex");
  const outs: readonly TransactionOutput[] = tx.outputs;
  // A zero-value transfer has no payment output (an output of 0 would be dust): change only.
  const payments = auth.value === 0n ? 0 : 1;
  const pay = outs[0];
  if (payments === 1 && (!pay || pay.to !== auth.to || pay.amount !== auth.value)) {
    fail("eth-tx-outputs", "the first output must pay the Ethereum transaction's recipient its exact value");
  }
  if (outs.length > payments + 1)
    fail(
      "eth-tx-outputs",
      payments === 1
        ? "an Ethereum transfer has at most a payment and a change output"
        : "a zero-value Ethereum transfer has only a change output",
    );
  const change = outs[payments];
  if (change && change.to !== auth.sender) fail("eth-tx-outputs", "the change output must go to the sender");
  return auth;
}

/**
 * Builds the UTXO transaction an Ethereum transfer authorises, spending `inputs` (the sender's
 * outputs, chosen by the caller): [to: value] (none when value is 0) plus change to the sender
 * when positive.
 * Throws VerifyError when the inputs do not cover value + fee.
 */
export function buildEthTransferTransaction(
  auth: EthAuthorization,
  inputs: readonly { txid: string; vout: number; amount: bigint }[],
  timestamp: number,
): Transaction {
  const total = inputs.reduce((s, u) => s + u.amount, 0n);
  const change = total - auth.value - auth.fee;
  if (change < 0n) {
    throw new VerifyError(
      "insufficient-funds",
      `inputs of ${total} do not cover value ${auth.value} + fee ${auth.fee}`,
    );
  }
  const signature = ETH_SIGNATURE_PREFIX + auth.raw;
  const outputs: TransactionOutput[] = auth.value === 0n ? [] : [{ to: auth.to, amount: auth.value }];
  if (change > 0n) outputs.push({ to: auth.sender, amount: change });
  return createTransaction({
    inputs: inputs.map((u) => ({ txid: u.txid, vout: u.vout, pubkey: auth.publicKey, signature })),
    outputs,
    timestamp,
  });
}
