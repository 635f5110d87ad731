// One block's state transition, shared by block production and verification (facts §4.12 steps
// 4-8): start from the scheduled-validator snapshot of the previous block, apply the transactions
// in order, reward the validator (the block's fees, or 1 for a block without fees), and compute the
// totals, cumulatives, lists and accounts root the new block must carry.
import type { Expr } from "../machine/expr.js";
import { hashListToExpr } from "../storage/lists.js";
import { BURN_ADDRESS, TREASURY_ADDRESS } from "./account.js";
import type { Accounts } from "./accounts.js";
import { applyTransaction } from "./apply-transaction.js";
import type { Block, BlockFields } from "./block.js";
import { TransactionRejectedError } from "./errors.js";
import type { Receipt } from "./receipt.js";
import type { Transaction } from "./transaction.js";

export interface TransitionInput {
  previous: Block;
  previousHash: Uint8Array;
  /** The accounts after the schedule draw for `previous` (see currentValidator). */
  accounts: Accounts;
  validator: Uint8Array;
  chainId: number;
  transactions: readonly Transaction[];
  /**
   * Production: a transaction that cannot be applied is left out (and reported). Verification
   * (strict): it makes the block invalid (the TransactionRejectedError is thrown).
   */
  strict: boolean;
}

export interface TransitionResult {
  /** Every field of the new block except timestamp, difficulty, nonce and signature. */
  fields: Omit<BlockFields, "timestamp" | "difficulty" | "nonce" | "signature">;
  included: Transaction[];
  rejected: { transaction: Transaction; error: TransactionRejectedError }[];
  receipts: Receipt[];
  /** Atoms of the new state, lists, receipts and included transactions. */
  atoms: Expr[];
}

export async function executeBlock(input: TransitionInput): Promise<TransitionResult> {
  const { previous, accounts, chainId } = input;
  const included: Transaction[] = [];
  const rejected: TransitionResult["rejected"] = [];
  const receipts: Receipt[] = [];
  let totalTransactionFee = 0n;
  let totalStorageFee = 0n;
  for (const tx of input.transactions) {
    let receipt: Receipt;
    try {
      receipt = await applyTransaction(accounts, tx, chainId);
    } catch (err) {
      if (!(err instanceof TransactionRejectedError) || input.strict) throw err;
      rejected.push({ transaction: tx, error: err });
      continue;
    }
    included.push(tx);
    receipts.push(receipt);
    totalTransactionFee += receipt.transactionFee;
    totalStorageFee += receipt.storageFee;
  }
  const totalFee = totalTransactionFee + totalStorageFee;
  const validatorAccount = await accounts.getOrCreate(input.validator);
  validatorAccount.balance += totalFee > 0n ? totalFee : 1n;
  accounts.set(input.validator, validatorAccount);
  const treasury = await accounts.get(TREASURY_ADDRESS);
  const burn = await accounts.get(BURN_ADDRESS);
  const committed = await accounts.commit();
  const txList = hashListToExpr(included.map((t) => t.hash()));
  const receiptList = hashListToExpr(receipts.map((r) => r.id()));
  const atoms: Expr[] = [...committed.atoms];
  for (const r of receipts) atoms.push(...r.atoms());
  for (const t of included) atoms.push(...t.atoms());
  atoms.push(...atomsOfList(txList), ...atomsOfList(receiptList));
  return {
    fields: {
      chainId,
      height: previous.height + 1,
      previousBlockHash: input.previousHash,
      cumulativeStake: previous.cumulativeStake + (treasury?.balance ?? 0n),
      cumulativeBurn: previous.cumulativeBurn + (burn?.balance ?? 0n),
      cumulativeMint: previous.cumulativeMint,
      cumulativeTransactionFee: previous.cumulativeTransactionFee + totalTransactionFee,
      cumulativeStorageFee: previous.cumulativeStorageFee + totalStorageFee,
      totalTransactionFee,
      totalStorageFee,
      accountsHash: committed.root,
      transactionsHash: txList.hash(),
      receiptsHash: receiptList.hash(),
      validatorPublicKey: input.validator,
    },
    included,
    rejected,
    receipts,
    atoms,
  };
}

/** The Links of a hash list (its items are stored separately). */
function atomsOfList(list: Expr): Expr[] {
  const out: Expr[] = [];
  let node: Expr | null = list;
  while (node !== null && node.tag === 0) {
    out.push(node);
    if (node.isNil) break;
    node = node.tail;
  }
  return out;
}
