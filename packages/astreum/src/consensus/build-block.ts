// Producing a block (facts §4.12 steps 4-9) once the validator knows it is scheduled: run the state
// transition over the queued transactions, set timestamp and difficulty, sign, and search the nonce
// at the previous block's difficulty (at least 1 bit).
import type { Expr } from "../machine/expr.js";
import { idsEqual } from "../storage/atom-id.js";
import { Block } from "./block.js";
import { nextDifficulty, requiredWork } from "./difficulty.js";
import { publicKeyOf, type SecretKeyInput } from "./ed25519.js";
import { ConsensusError, type TransactionRejectedError } from "./errors.js";
import type { AtomLookup } from "./expr-chain.js";
import type { Receipt } from "./receipt.js";
import { executeBlock } from "./state-transition.js";
import type { Transaction } from "./transaction.js";
import { currentValidator, type ScheduledValidator } from "./validator-schedule.js";

export interface BuildBlockInput {
  lookup: AtomLookup;
  previous: Block;
  validatorSecretKey: SecretKeyInput;
  chainId: number;
  transactions: readonly Transaction[];
  /** UNIX seconds; must be later than the previous block's. */
  timestamp: number;
  /** The schedule draw for `previous`, when already computed. */
  schedule?: ScheduledValidator;
}

export interface BuiltBlock {
  block: Block;
  /** Every atom to store: the block, its lists, receipts, transactions and the new state. */
  atoms: Expr[];
  included: Transaction[];
  rejected: { transaction: Transaction; error: TransactionRejectedError }[];
  receipts: Receipt[];
}

export class NotScheduledError extends ConsensusError {
  constructor() {
    super("NOT_SCHEDULED", "this key is not the scheduled validator for the previous block");
  }
}

export async function buildBlock(input: BuildBlockInput): Promise<BuiltBlock> {
  const { previous } = input;
  const own = publicKeyOf(input.validatorSecretKey);
  const schedule = input.schedule ?? (await currentValidator(input.lookup, previous));
  if (!idsEqual(schedule.validator, own)) throw new NotScheduledError();
  if (input.timestamp <= previous.timestamp) throw new RangeError("a block's timestamp follows its parent's");
  const t = await executeBlock({
    previous,
    previousHash: previous.hash(),
    accounts: schedule.accounts,
    validator: own,
    chainId: input.chainId,
    transactions: input.transactions,
    strict: false,
  });
  const block = new Block({
    ...t.fields,
    timestamp: input.timestamp,
    difficulty: nextDifficulty(previous.difficulty, input.timestamp - previous.timestamp),
    nonce: 0n,
  });
  block.generateNonce(requiredWork(previous.difficulty), input.validatorSecretKey);
  return {
    block,
    atoms: [...block.atoms(), ...t.atoms],
    included: t.included,
    rejected: t.rejected,
    receipts: t.receipts,
  };
}
