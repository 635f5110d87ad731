// Applying one TRANSFER to a working set of accounts (facts §4.9 with the spec's fixes): the chain id
// must match, the sender's Ed25519 signature of the body hash must verify, the sender must exist,
// its counter must be account.counter + 1, and its balance must cover the fee. Otherwise the
// transaction is rejected and nothing changes. A sender who covers the fee but not fee + amount
// pays the fee only and gets a FAILED receipt. The counter advances either way.
//
// Storage fees ([DECIDE] in facts §4.9): the documented simplification, fee 1 and storage fee 0
// (README "Decisions").
import type { Accounts } from "./accounts.js";
import { TransactionRejectedError } from "./errors.js";
import { Receipt, ReceiptStatus } from "./receipt.js";
import { type Transaction, TransactionCode } from "./transaction.js";

export const TRANSACTION_FEE = 1n;
export const STORAGE_FEE = 0n;

/** Checks and applies `tx`; returns its receipt. Throws TransactionRejectedError (state untouched). */
export async function applyTransaction(
  accounts: Accounts,
  tx: Transaction,
  chainId: number,
): Promise<Receipt> {
  const hash = tx.hash();
  if (tx.chainId !== chainId)
    throw new TransactionRejectedError("wrong_chain", `transaction chain id ${tx.chainId}, block ${chainId}`);
  if (tx.code !== TransactionCode.TRANSFER)
    throw new TransactionRejectedError("unsupported_code", `transaction code 0x${tx.code.toString(16)}`);
  if (!tx.verifySignature())
    throw new TransactionRejectedError(
      "bad_signature",
      "the sender's signature of the body hash does not verify",
    );
  const sender = await accounts.get(tx.sender);
  if (sender === null) throw new TransactionRejectedError("unknown_sender", "the sender has no account");
  if (tx.counter !== sender.counter + 1n)
    throw new TransactionRejectedError(
      "bad_counter",
      `counter ${tx.counter}, expected ${sender.counter + 1n} (account counter + 1)`,
    );
  const fee = TRANSACTION_FEE + STORAGE_FEE;
  if (sender.balance < fee)
    throw new TransactionRejectedError(
      "insufficient_fee",
      `balance ${sender.balance} does not cover the fee ${fee}`,
    );
  const covered = sender.balance >= fee + tx.amount;
  const amount = covered ? tx.amount : 0n;
  sender.balance -= fee + amount;
  sender.counter += 1n;
  accounts.set(tx.sender, sender);
  if (amount > 0n) {
    // A self-transfer reads the same working copy, so it nets out.
    const recipient = await accounts.getOrCreate(tx.recipient);
    recipient.balance += amount;
    accounts.set(tx.recipient, recipient);
  } else await accounts.getOrCreate(tx.recipient);
  return new Receipt(
    hash,
    covered ? ReceiptStatus.SUCCESS : ReceiptStatus.FAILED,
    TRANSACTION_FEE,
    STORAGE_FEE,
  );
}
