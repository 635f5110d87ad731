import { addressFromPublicKeyHex } from "../crypto/keys.js";
import type { Block } from "../primitives/block.js";
import { isCoinbase, totalOutput } from "../primitives/transaction.js";
import { type OutPoint, outPointKey, type Utxo } from "../primitives/utxo.js";
import { ban, REJECT, VerifyError } from "./errors.js";
import { minFee } from "./fees.js";
import { cappedReward } from "./reward.js";
import type { CheckedTransaction } from "./transaction-checks.js";

/** Read access to chain state as of the parent of the block (or the tip, for the mempool). */
export interface UtxoView {
  getUtxo(outpoint: OutPoint): Utxo | undefined;
  /** Whether a transaction with this txid is already in the chain. */
  hasTransaction(txid: string): boolean;
  /** Count of Ethereum-signed transactions from this (lowercase) address already in the chain. */
  ethNonce(address: string): number;
}

/**
 * The net effect of connecting a block, so the caller can apply it and undo it: outputs created and
 * spent inside the same block appear in neither list.
 */
export interface UtxoChanges {
  /** Outputs that existed before the block and were consumed, in input order (the undo data). */
  readonly spent: Utxo[];
  /** Outputs the block leaves unspent. */
  readonly created: Utxo[];
  /** Senders whose Ethereum nonce advanced, once per Ethereum-signed transaction. */
  readonly ethSenders: string[];
  /** Sum of fees of the non-coinbase transactions. */
  fees: bigint;
}

/**
 * An overlay over a view that sees the effects of transactions already connected earlier in the
 * same block (or pending in the mempool): outputs they created are spendable, outputs they spent
 * are gone, their txids exist, and their Ethereum nonces count.
 */
export class OverlayView implements UtxoView {
  private readonly added = new Map<string, Utxo>();
  private readonly removed = new Set<string>();
  private readonly txids = new Set<string>();
  private readonly nonces = new Map<string, number>();

  constructor(private readonly base: UtxoView) {}

  getUtxo(o: OutPoint): Utxo | undefined {
    const key = outPointKey(o);
    if (this.removed.has(key)) return undefined;
    return this.added.get(key) ?? this.base.getUtxo(o);
  }
  hasTransaction(txid: string): boolean {
    return this.txids.has(txid) || this.base.hasTransaction(txid);
  }
  ethNonce(address: string): number {
    return this.base.ethNonce(address) + (this.nonces.get(address) ?? 0);
  }
  /** True when the outpoint was spent inside this overlay. */
  isSpentHere(o: OutPoint): boolean {
    return this.removed.has(outPointKey(o));
  }

  apply(txid: string, spent: readonly Utxo[], created: readonly Utxo[], ethSender?: string): void {
    this.txids.add(txid);
    for (const u of spent) {
      const key = outPointKey(u);
      if (!this.added.delete(key)) this.removed.add(key);
    }
    for (const u of created) this.added.set(outPointKey(u), u);
    if (ethSender !== undefined) this.nonces.set(ethSender, (this.nonces.get(ethSender) ?? 0) + 1);
  }
}

export interface ConnectedTransaction {
  readonly spent: Utxo[];
  readonly created: Utxo[];
  readonly fee: bigint;
  readonly ethSender?: string;
}

/** Outputs a transaction creates, owners lowercase. */
export function createdOutputs(txid: string, outputs: readonly { to: string; amount: bigint }[]): Utxo[] {
  return outputs.map((o, vout) => ({ txid, vout, to: o.to.toLowerCase(), amount: o.amount }));
}

/**
 * Contextual checks of one non-coinbase transaction against a view: txid unique in the chain,
 * every input exists and is unspent, owned by the key that signed, sum(outputs) <= sum(inputs),
 * fee >= min_fee(size) and, for Ethereum-signed transfers, fee and nonce exactly as authorised.
 * `missingAction` tells how to treat a missing input (orphan txs from peers are not bannable).
 */
export function checkTransactionInputs(
  checked: CheckedTransaction,
  view: UtxoView,
  missingAction = REJECT,
): ConnectedTransaction {
  const { tx } = checked;
  if (isCoinbase(tx))
    throw new VerifyError("unexpected-coinbase", "only the first transaction of a block may have no inputs");
  if (view.hasTransaction(tx.txid)) {
    throw new VerifyError("duplicate-txid", `transaction ${tx.txid} is already in the chain`, REJECT);
  }
  const spent: Utxo[] = [];
  let inputSum = 0n;
  for (const [i, input] of tx.inputs.entries()) {
    const utxo = view.getUtxo(input);
    if (!utxo) {
      throw new VerifyError(
        "missing-or-spent-input",
        `input ${i} (${input.txid}:${input.vout}) is missing or already spent`,
        missingAction,
      );
    }
    const owner = addressFromPublicKeyHex(input.pubkey);
    if (owner === undefined)
      throw new VerifyError("bad-input-pubkey", `input ${i} pubkey is not a valid secp256k1 key`);
    if (owner !== utxo.to)
      throw new VerifyError("not-owner", `input ${i} spends an output owned by ${utxo.to}, not by ${owner}`);
    spent.push(utxo);
    inputSum += utxo.amount;
  }
  const outputSum = totalOutput(tx);
  if (outputSum > inputSum)
    throw new VerifyError("outputs-exceed-inputs", `outputs ${outputSum} exceed inputs ${inputSum}`);
  const fee = inputSum - outputSum;
  const required = minFee(checked.size);
  if (fee < required) {
    throw new VerifyError(
      "fee-too-low",
      `fee ${fee} is below the minimum ${required} for ${checked.size} bytes`,
      ban(0),
    );
  }
  let ethSender: string | undefined;
  if (checked.eth) {
    const eth = checked.eth;
    if (fee !== eth.fee)
      throw new VerifyError(
        "eth-tx-fee",
        `fee ${fee} differs from the ${eth.fee} the Ethereum transaction authorises`,
      );
    const expected = view.ethNonce(eth.sender);
    if (eth.nonce !== BigInt(expected)) {
      throw new VerifyError(
        "eth-tx-nonce",
        `Ethereum nonce ${eth.nonce} is not the sender's next nonce ${expected}`,
        REJECT,
      );
    }
    ethSender = eth.sender;
  }
  const created = createdOutputs(tx.txid, tx.outputs);
  return ethSender === undefined ? { spent, created, fee } : { spent, created, fee, ethSender };
}

/**
 * Connects all transactions of a block against the view of its parent: inputs may spend outputs
 * created earlier in the block, never the same output twice; the coinbase pays at most
 * reward(height) + fees. `checked` holds the context-free results for block.transactions.
 */
export function connectBlockTransactions(
  block: Block,
  checked: readonly CheckedTransaction[],
  height: number,
  view: UtxoView,
): UtxoChanges {
  const overlay = new OverlayView(view);
  const changes: UtxoChanges = { spent: [], created: [], ethSenders: [], fees: 0n };
  const createdHere = new Map<string, Utxo>();
  const coinbase = block.transactions[0]!;
  if (overlay.hasTransaction(coinbase.txid)) {
    throw new VerifyError("duplicate-txid", `coinbase ${coinbase.txid} is already in the chain`);
  }
  const coinbaseCreated = createdOutputs(coinbase.txid, coinbase.outputs);
  overlay.apply(coinbase.txid, [], coinbaseCreated);
  for (const u of coinbaseCreated) createdHere.set(outPointKey(u), u);

  for (let i = 1; i < block.transactions.length; i++) {
    const c = checked[i]!;
    for (const input of c.tx.inputs) {
      if (overlay.isSpentHere(input)) {
        throw new VerifyError(
          "double-spend-in-block",
          `${input.txid}:${input.vout} is spent twice in the block`,
        );
      }
    }
    const connected = checkTransactionInputs(c, overlay, ban(100));
    overlay.apply(c.tx.txid, connected.spent, connected.created, connected.ethSender);
    for (const u of connected.spent) {
      if (!createdHere.delete(outPointKey(u))) changes.spent.push(u);
    }
    for (const u of connected.created) createdHere.set(outPointKey(u), u);
    if (connected.ethSender !== undefined) changes.ethSenders.push(connected.ethSender);
    changes.fees += connected.fee;
  }

  const allowed = cappedReward(height) + changes.fees;
  const paid = totalOutput(coinbase);
  if (paid > allowed) {
    throw new VerifyError("bad-coinbase-amount", `coinbase pays ${paid}, more than reward + fees ${allowed}`);
  }
  changes.created.push(...createdHere.values());
  return changes;
}
