// Public API of the consensus subsystem.
export { abandonedTransactions } from "./abandoned-transactions.js";
export { Account, type AccountFields, BURN_ADDRESS, TREASURY_ADDRESS } from "./account.js";
export { Accounts, type CommitResult } from "./accounts.js";
export { applyTransaction, STORAGE_FEE, TRANSACTION_FEE } from "./apply-transaction.js";
export { BLOCK_VERSION, Block, type BlockFields } from "./block.js";
export { type BuildBlockInput, type BuiltBlock, buildBlock, NotScheduledError } from "./build-block.js";
export {
  leadingZeroBits,
  nextDifficulty,
  requiredWork,
  SLOT_DURATION_SECONDS,
  TARGET_BLOCK_SPACING,
} from "./difficulty.js";
export {
  type Ed25519KeyPair,
  generateKeyPair,
  InvalidKeyError,
  publicKeyOf,
  type SecretKeyInput,
  secretKeyBytes,
  sign as ed25519Sign,
  verify as ed25519Verify,
} from "./ed25519.js";
export {
  ConsensusDecodeError,
  ConsensusError,
  MerkleIndexError,
  MissingAtomError,
  NoStakeError,
  type PeerAction,
  TransactionRejectedError,
  VerifyError,
} from "./errors.js";
export { chainItems, hashListIds, hashRef } from "./expr-chain.js";
export { createGenesis, type GenesisOptions, type GenesisResult } from "./genesis.js";
export { decodeBE, decodeLE, encodeBE, encodeLE } from "./integers.js";
export { MerkleTree } from "./merkle.js";
export { MersenneTwister } from "./mt19937.js";
export { PatriciaTrie, TrieNode } from "./patricia.js";
export { RECEIPT_VERSION, Receipt, ReceiptStatus } from "./receipt.js";
export { sendTransaction, type TransactionSender } from "./send-transaction.js";
export { executeBlock, type TransitionInput, type TransitionResult } from "./state-transition.js";
export {
  createTransaction,
  TRANSACTION_VERSION,
  Transaction,
  TransactionCode,
  type TransactionFields,
} from "./transaction.js";
export { TransactionPool } from "./transaction-pool.js";
export { TreasuryRecord } from "./treasury-record.js";
export { type Head, ValidationWorker, type ValidatorHost } from "./validation-worker.js";
export {
  currentValidator,
  drawValidators,
  type ScheduledValidator,
  type Staker,
} from "./validator-schedule.js";
export { UnavailableHeads, VerificationWorker, type VerifierHost } from "./verification-worker.js";
export { verifyBlockState, verifyGenesis, verifyHeader } from "./verify-block.js";
