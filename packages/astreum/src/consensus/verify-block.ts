// Verifying blocks from peers (facts §4.14): header rules against the parent, then re-execution of
// the transactions on the parent's state, every derived field compared. Failures are VerifyErrors
// with a stable reason; a missing atom (MissingAtomError) is not a verdict, only "not yet".
import { type Expr, ZERO32 } from "../machine/expr.js";
import { idsEqual } from "../storage/atom-id.js";
import { BURN_ADDRESS, TREASURY_ADDRESS } from "./account.js";
import { Accounts } from "./accounts.js";
import type { Block } from "./block.js";
import { leadingZeroBits, nextDifficulty, requiredWork } from "./difficulty.js";
import { ConsensusDecodeError, VerifyError } from "./errors.js";
import { type AtomLookup, hashListIds } from "./expr-chain.js";
import { executeBlock } from "./state-transition.js";
import { Transaction } from "./transaction.js";
import { TreasuryRecord } from "./treasury-record.js";
import { currentValidator } from "./validator-schedule.js";

/** Header rules. `parent` is required unless the block is a genesis block. */
export function verifyHeader(block: Block, parent: Block | null, chainId: number): void {
  if (block.chainId !== chainId)
    throw new VerifyError("wrong_chain", `chain id ${block.chainId}, expected ${chainId}`);
  if (block.isGenesis) {
    if (block.height !== 0) throw new VerifyError("bad_height", "a block without parent has height 0");
    return;
  }
  if (parent === null) throw new VerifyError("missing_parent", "the parent block is not available", "ignore");
  if (block.validatorPublicKey === null) throw new VerifyError("missing_validator", "no validator key");
  if (block.signature === null) throw new VerifyError("missing_signature", "the block is not signed");
  if (block.height !== parent.height + 1)
    throw new VerifyError("bad_height", `height ${block.height} after ${parent.height}`);
  if (block.timestamp < parent.timestamp + 1)
    throw new VerifyError(
      "bad_timestamp",
      `timestamp ${block.timestamp} not after the parent's ${parent.timestamp}`,
    );
  if (!block.verifySignature())
    throw new VerifyError(
      "bad_signature",
      "the validator's signature of the body hash does not verify",
      "ban",
    );
  const expected = nextDifficulty(parent.difficulty, block.timestamp - parent.timestamp);
  if (block.difficulty !== expected)
    throw new VerifyError("bad_difficulty", `difficulty ${block.difficulty}, expected ${expected}`);
  const work = leadingZeroBits(block.hash());
  if (work < requiredWork(parent.difficulty))
    throw new VerifyError(
      "insufficient_work",
      `${work} leading zero bits, need ${requiredWork(parent.difficulty)}`,
    );
}

/**
 * Re-executes the block's transactions on the parent's state: the validator must be the scheduled
 * one, every transaction must apply, and every derived field must match. Returns the atoms of the
 * state it computed (to store, so the next block can be checked locally).
 */
export async function verifyBlockState(lookup: AtomLookup, block: Block, parent: Block): Promise<Expr[]> {
  const schedule = await currentValidator(lookup, parent);
  if (block.validatorPublicKey === null || !idsEqual(schedule.validator, block.validatorPublicKey))
    throw new VerifyError("wrong_validator", "the block's validator is not the scheduled one", "ban");
  let ids: Uint8Array[];
  const txs: Transaction[] = [];
  try {
    ids = await hashListIds(lookup, block.transactionsHash, "transaction list");
    for (const id of ids) txs.push(await Transaction.load(lookup, id));
  } catch (err) {
    if (err instanceof ConsensusDecodeError) throw new VerifyError("bad_transaction", err.message, "ban");
    throw err;
  }
  let t: Awaited<ReturnType<typeof executeBlock>>;
  try {
    t = await executeBlock({
      previous: parent,
      previousHash: block.previousBlockHash,
      accounts: schedule.accounts,
      validator: schedule.validator,
      chainId: block.chainId,
      transactions: txs,
      strict: true,
    });
  } catch (err) {
    if (err instanceof VerifyError) throw new VerifyError("bad_transaction", err.message, "ban");
    throw err;
  }
  const f = t.fields;
  const checks: [string, unknown, unknown][] = [
    ["cumulative_stake", block.cumulativeStake, f.cumulativeStake],
    ["cumulative_burn", block.cumulativeBurn, f.cumulativeBurn],
    ["cumulative_mint", block.cumulativeMint, f.cumulativeMint],
    ["cumulative_transaction_fee", block.cumulativeTransactionFee, f.cumulativeTransactionFee],
    ["cumulative_storage_fee", block.cumulativeStorageFee, f.cumulativeStorageFee],
    ["total_transaction_fee", block.totalTransactionFee, f.totalTransactionFee],
    ["total_storage_fee", block.totalStorageFee, f.totalStorageFee],
  ];
  for (const [name, got, want] of checks)
    if (got !== want) throw new VerifyError("bad_totals", `${name} ${got}, expected ${want}`, "ban");
  if (
    !idsEqual(block.transactionsHash, f.transactionsHash!) &&
    !(ids.length === 0 && isEmptyList(block.transactionsHash))
  )
    throw new VerifyError("bad_transactions_hash", "the transaction list does not match", "ban");
  if (!idsEqual(block.receiptsHash, f.receiptsHash!))
    throw new VerifyError("bad_receipts", "the receipts do not match re-execution", "ban");
  if (!idsEqual(block.accountsHash, f.accountsHash!))
    throw new VerifyError("bad_state_root", "the accounts root does not match re-execution", "ban");
  return t.atoms;
}

function isEmptyList(h: Uint8Array): boolean {
  return idsEqual(h, ZERO32);
}

/**
 * A genesis block's state: the treasury lists at least one positive stake, the cumulative stake
 * and burn equal the treasury and burn balances, and the block carries no transactions or fees.
 */
export async function verifyGenesis(lookup: AtomLookup, block: Block): Promise<void> {
  if (!block.isGenesis || block.height !== 0) throw new VerifyError("bad_height", "not a genesis block");
  if (!idsEqual(block.transactionsHash, ZERO32) || !idsEqual(block.receiptsHash, ZERO32))
    throw new VerifyError("bad_genesis", "a genesis block has no transactions or receipts");
  if (block.totalTransactionFee !== 0n || block.totalStorageFee !== 0n)
    throw new VerifyError("bad_genesis", "a genesis block has no fees");
  const accounts = new Accounts(lookup, block.accountsHash);
  const treasury = await accounts.get(TREASURY_ADDRESS);
  if (treasury === null) throw new VerifyError("bad_genesis", "no treasury account");
  let stake = 0n;
  for (const [, id] of await (await accounts.dataTrie(TREASURY_ADDRESS)).getAll())
    stake += (await TreasuryRecord.load(lookup, id)).stakeBalance;
  if (stake <= 0n) throw new VerifyError("bad_genesis", "no stake in the treasury");
  const burn = await accounts.get(BURN_ADDRESS);
  if (block.cumulativeStake !== treasury.balance || block.cumulativeBurn !== (burn?.balance ?? 0n))
    throw new VerifyError("bad_genesis", "cumulative stake or burn differ from the balances");
}
