import {
  addressFromPublicKeyHex,
  type Block,
  type EthAuthorization,
  isCoinbase,
  type Transaction,
} from "astram-core";
import { ethRawHashOf } from "../chain/chain-store.js";
import type { IndexEntry } from "../chain/chainstate.js";
import { decodeEthTxFields, type EthTxFields } from "./eth-tx-fields.js";
import { BASE_FEE_PER_GAS, TRANSFER_GAS } from "./gas.js";
import {
  EMPTY_BLOOM,
  EMPTY_TRIE_ROOT,
  EMPTY_UNCLES_HASH,
  toData,
  toQuantity,
  ZERO_ADDRESS,
  ZERO_HASH,
} from "./quantity.js";

/** Block gas limit reported to wallets (as the reference: 2^53 - 1, never binding). */
export const BLOCK_GAS_LIMIT = 0x1fffffffffffffn;

/** Where a transaction sits: a best-chain block, or nowhere yet (pending). */
export interface TxLocation {
  readonly blockHash: string;
  readonly blockNumber: number;
  readonly index: number;
}

/**
 * The hash Ethereum tools know a transaction by: keccak256 of the raw signed Ethereum transaction
 * when it carries one, else its eth_hash (keccak256 of the preimage).
 */
export function ethHashOf(tx: Transaction): string {
  return ethRawHashOf(tx) ?? tx.ethHash;
}

/** The raw Ethereum transaction's fields, when the transaction is Ethereum-signed. */
export function ethFieldsOf(tx: Transaction): EthTxFields | undefined {
  const sig = tx.inputs[0]?.signature;
  return sig?.startsWith("eth:0x") ? decodeEthTxFields(sig.slice(4)) : undefined;
}

/** Sender address: the owner of the key that signed the inputs (zero address for a coinbase). */
export function senderOf(tx: Transaction): string {
  const first = tx.inputs[0];
  return (first && addressFromPublicKeyHex(first.pubkey)) ?? ZERO_ADDRESS;
}

/** Gas a transaction is reported to use: the full gasLimit for Ethereum transfers (charged in full). */
export function gasUsedOf(tx: Transaction, eth = ethFieldsOf(tx)): bigint {
  if (isCoinbase(tx)) return 0n;
  return eth ? eth.gasLimit : TRANSFER_GAS;
}

/** Price per gas such that gasUsed x price is the fee (native transactions: fee / 21,000, rounded down). */
function priceOf(tx: Transaction, eth: EthTxFields | undefined, fee: bigint | undefined): bigint {
  if (eth) return eth.gasPrice;
  if (isCoinbase(tx) || fee === undefined) return 0n;
  return fee / TRANSFER_GAS;
}

/** Recipient and value: the payment of an Ethereum transfer, or the outputs not returning to the sender. */
function paymentOf(
  tx: Transaction,
  from: string,
  eth: EthTxFields | undefined,
): { to: string; value: bigint } {
  if (eth) return { to: eth.to, value: eth.value };
  const away = tx.outputs.filter((o) => o.to !== from);
  const list = away.length > 0 ? away : tx.outputs;
  return { to: list[0]?.to ?? ZERO_ADDRESS, value: list.reduce((s, o) => s + o.amount, 0n) };
}

/** Where a transaction object says it sits (all null while pending). */
function locationFields(loc: TxLocation | undefined) {
  return {
    blockHash: loc ? toData(loc.blockHash, 32) : null,
    blockNumber: loc ? toQuantity(loc.blockNumber) : null,
    transactionIndex: loc ? toQuantity(loc.index) : null,
  };
}

/** The transaction object of an Ethereum-signed transfer, from its raw transaction's fields. */
function ethTransferObject(eth: EthTxFields, hash: string, from: string, loc: TxLocation | undefined) {
  const base = {
    ...locationFields(loc),
    hash,
    from,
    to: eth.to,
    value: toQuantity(eth.value),
    gas: toQuantity(eth.gasLimit),
    gasPrice: toQuantity(eth.gasPrice),
    input: eth.input,
    nonce: toQuantity(eth.nonce),
    type: toQuantity(eth.type),
    v: toQuantity(eth.v),
    r: toQuantity(eth.r),
    s: toQuantity(eth.s),
    chainId: toQuantity(eth.chainId),
  };
  if (eth.type !== 2) return base;
  return {
    ...base,
    maxFeePerGas: toQuantity(eth.maxFeePerGas ?? 0n),
    maxPriorityFeePerGas: toQuantity(eth.maxPriorityFeePerGas ?? 0n),
    accessList: [],
    yParity: toQuantity(eth.yParity ?? 0),
  };
}

/** An Ethereum transaction object (eth_getTransactionByHash, full blocks). */
export function formatTransaction(tx: Transaction, loc: TxLocation | undefined, fee: bigint | undefined) {
  const eth = ethFieldsOf(tx);
  const from = senderOf(tx);
  if (eth) return ethTransferObject(eth, ethHashOf(tx), from, loc);
  const { to, value } = paymentOf(tx, from, undefined);
  const sig = tx.inputs[0]?.signature;
  const nativeSig = sig && sig.length === 128 ? sig : undefined;
  return {
    ...locationFields(loc),
    hash: ethHashOf(tx),
    from,
    to,
    value: toQuantity(value),
    gas: toQuantity(gasUsedOf(tx, undefined)),
    gasPrice: toQuantity(priceOf(tx, undefined, fee)),
    input: "0x",
    nonce: "0x0",
    type: "0x0",
    v: "0x0",
    r: nativeSig ? toQuantity(BigInt("0x" + nativeSig.slice(0, 64))) : "0x0",
    s: nativeSig ? toQuantity(BigInt("0x" + nativeSig.slice(64))) : "0x0",
  };
}

/**
 * A transfer waiting in the nonce queue for its gap to fill: pending, as geth shows its queued
 * transactions (blockHash, blockNumber and transactionIndex null).
 */
export function formatQueuedTransfer(auth: EthAuthorization) {
  return ethTransferObject(decodeEthTxFields(auth.raw), auth.hash, auth.sender, undefined);
}

/** An Ethereum receipt for a mined transaction (status 1: a block only holds valid transactions). */
export function formatReceipt(block: Block, index: number, blockNumber: number, fee: bigint | undefined) {
  const tx = block.transactions[index]!;
  const eth = ethFieldsOf(tx);
  const from = senderOf(tx);
  let cumulative = 0n;
  for (let i = 0; i <= index; i++) cumulative += gasUsedOf(block.transactions[i]!);
  return {
    transactionHash: ethHashOf(tx),
    transactionIndex: toQuantity(index),
    blockHash: toData(block.hash, 32),
    blockNumber: toQuantity(blockNumber),
    from,
    to: paymentOf(tx, from, eth).to,
    cumulativeGasUsed: toQuantity(cumulative),
    gasUsed: toQuantity(gasUsedOf(tx, eth)),
    effectiveGasPrice: toQuantity(priceOf(tx, eth, fee)),
    contractAddress: null,
    logs: [],
    logsBloom: EMPTY_BLOOM,
    status: "0x1",
    type: toQuantity(eth?.type ?? 0),
  };
}

/** Gas all of a block's transactions are reported to use. */
export function gasUsedOfBlock(block: Block): bigint {
  let gasUsed = 0n;
  for (const tx of block.transactions) gasUsed += gasUsedOf(tx);
  return gasUsed;
}

/**
 * An Ethereum block object: `baseFeePerGas` is the node's constant base-fee quote (see gas.ts), so
 * wallets choose EIP-1559 pricing; difficulty = this block's work (16^difficulty),
 * totalDifficulty = the chain's cumulative work.
 */
export function formatBlock(entry: IndexEntry, block: Block, transactions: readonly (string | object)[]) {
  return {
    number: toQuantity(entry.height),
    hash: toData(entry.hash, 32),
    parentHash: toData(entry.header.previousHash, 32),
    nonce: toData(entry.header.nonce.toString(16), 8),
    mixHash: ZERO_HASH,
    sha3Uncles: EMPTY_UNCLES_HASH,
    logsBloom: EMPTY_BLOOM,
    transactionsRoot: toData(entry.header.merkleRoot, 32),
    stateRoot: ZERO_HASH,
    receiptsRoot: EMPTY_TRIE_ROOT,
    miner: block.transactions[0]?.outputs[0]?.to ?? ZERO_ADDRESS,
    difficulty: toQuantity(16n ** BigInt(entry.header.difficulty)),
    totalDifficulty: toQuantity(entry.chainWork),
    extraData: "0x",
    size: toQuantity(entry.size),
    gasLimit: toQuantity(BLOCK_GAS_LIMIT),
    gasUsed: toQuantity(gasUsedOfBlock(block)),
    baseFeePerGas: toQuantity(BASE_FEE_PER_GAS),
    timestamp: toQuantity(entry.header.timestamp),
    transactions,
    uncles: [],
  };
}
