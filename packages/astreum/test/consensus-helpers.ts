// Helpers for consensus tests: an in-memory chain (atoms by id), block field copies for forging
// blocks, and transactions signed by a key.
import {
  Block,
  type BlockFields,
  type BuiltBlock,
  buildBlock,
  createGenesis,
  createTransaction,
  type Ed25519KeyPair,
  type Expr,
  generateKeyPair,
  hashListToExpr,
  requiredWork,
  type Transaction,
} from "astreum";
import { hex } from "./helpers.js";

export class MemoryChain {
  readonly atoms = new Map<string, Expr>();
  readonly validator: Ed25519KeyPair;
  blocks: Block[] = [];
  readonly lookup = (id: Uint8Array): Expr | null => this.atoms.get(hex(id)) ?? null;

  private constructor(validator: Ed25519KeyPair) {
    this.validator = validator;
  }

  static async create(timestamp = 1_700_000_000, validator = generateKeyPair()): Promise<MemoryChain> {
    const chain = new MemoryChain(validator);
    const { block, atoms } = await createGenesis({
      chainId: 0,
      timestamp,
      validatorSecretKey: validator.secretKey,
    });
    chain.add(atoms);
    chain.blocks.push(block);
    return chain;
  }

  add(atoms: Iterable<Expr>): void {
    for (const a of atoms) this.atoms.set(hex(a.hash()), a);
  }

  get head(): Block {
    return this.blocks[this.blocks.length - 1]!;
  }

  /** Builds (and by default appends) the next block, `spacing` seconds after the head. */
  async next(txs: Transaction[] = [], spacing = 2, append = true): Promise<BuiltBlock> {
    const built = await buildBlock({
      lookup: this.lookup,
      previous: this.head,
      validatorSecretKey: this.validator.secretKey,
      chainId: 0,
      transactions: txs,
      timestamp: this.head.timestamp + spacing,
    });
    if (append) {
      this.add(built.atoms);
      this.blocks.push(built.block);
    }
    return built;
  }
}

export function fieldsOf(b: Block): BlockFields {
  return {
    chainId: b.chainId,
    height: b.height,
    previousBlockHash: b.previousBlockHash,
    timestamp: b.timestamp,
    difficulty: b.difficulty,
    cumulativeStake: b.cumulativeStake,
    cumulativeBurn: b.cumulativeBurn,
    cumulativeMint: b.cumulativeMint,
    cumulativeTransactionFee: b.cumulativeTransactionFee,
    cumulativeStorageFee: b.cumulativeStorageFee,
    totalTransactionFee: b.totalTransactionFee,
    totalStorageFee: b.totalStorageFee,
    accountsHash: b.accountsHash,
    transactionsHash: b.transactionsHash,
    receiptsHash: b.receiptsHash,
    validatorPublicKey: b.validatorPublicKey,
    nonce: 0n,
  };
}

/** A copy of `b` with `changes`, signed by `signer` and with a nonce meeting the parent's work. */
export function forge(
  b: Block,
  changes: Partial<BlockFields>,
  signer: Ed25519KeyPair,
  parentDifficulty: number,
): Block {
  const f = new Block({ ...fieldsOf(b), validatorPublicKey: signer.publicKey, ...changes });
  f.generateNonce(requiredWork(parentDifficulty), signer.secretKey);
  return f;
}

/** A copy of `block` whose transaction list is `txs` (hashes only), re-signed by `signer`. */
export function withTransactions(
  block: Block,
  txs: Transaction[],
  signer: Ed25519KeyPair,
  parentDifficulty: number,
) {
  const list = hashListToExpr(txs.map((t) => t.hash()));
  return { block: forge(block, { transactionsHash: list.hash() }, signer, parentDifficulty), list };
}

export function transfer(
  from: Ed25519KeyPair,
  to: Uint8Array,
  amount: bigint,
  counter: bigint,
  chainId = 0,
): Transaction {
  return createTransaction({ chainId, amount, counter, recipient: to, sender: from.publicKey }).sign(
    from.secretKey,
  );
}
