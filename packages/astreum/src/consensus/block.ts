// Blocks (facts §4.7). The body is a right-chained list of 17 items (numbers minimal big-endian,
// `*` = hash reference Link(head_hash=h)):
//    0 chain_id  1 height  2 previous_block_hash*  3 timestamp  4 difficulty  5 cumulative_stake
//    6 cumulative_burn  7 cumulative_mint  8 cumulative_transaction_fee  9 cumulative_storage_fee
//   10 total_transaction_fee  11 total_storage_fee  12 accounts_hash*  13 transactions_hash*
//   14 receipts_hash*  15 validator_public_key  16 nonce
// Header: Link(body, Link(Bytes(signature), Link(Bytes(version), Symbol("block")))); the block hash
// is the header's expression hash. The validator signs the body hash with Ed25519; the nonce is
// searched until the block hash has enough leading zero bits.
import { BytesExpr, type LinkExpr, ZERO32 } from "../machine/expr.js";
import { leadingZeroBits } from "../relay/pow.js";
import { idsEqual } from "../storage/atom-id.js";
import { publicKeyOf, type SecretKeyInput, sign, verify } from "./ed25519.js";
import { ConsensusDecodeError } from "./errors.js";
import {
  type AtomLookup,
  bytesItem,
  chain,
  chainItems,
  expectSymbol,
  hashItem,
  hashRef,
  loadRef,
  signedHeader,
} from "./expr-chain.js";
import { canonical, ExprRecord } from "./expr-record.js";
import { decodeBE, encodeBE, toSafeNumber } from "./integers.js";

export const BLOCK_VERSION = 1;

export interface BlockFields {
  chainId: number;
  height: number;
  previousBlockHash?: Uint8Array;
  /** UNIX seconds. */
  timestamp: number;
  difficulty?: number;
  cumulativeStake?: bigint;
  cumulativeBurn?: bigint;
  cumulativeMint?: bigint;
  cumulativeTransactionFee?: bigint;
  cumulativeStorageFee?: bigint;
  totalTransactionFee?: bigint;
  totalStorageFee?: bigint;
  accountsHash?: Uint8Array;
  transactionsHash?: Uint8Array;
  receiptsHash?: Uint8Array;
  /** Raw 32-byte Ed25519 key, or null (empty). */
  validatorPublicKey?: Uint8Array | null;
  nonce?: bigint;
  signature?: Uint8Array | null;
}

export class Block extends ExprRecord {
  readonly chainId: number;
  readonly height: number;
  readonly previousBlockHash: Uint8Array;
  readonly timestamp: number;
  readonly difficulty: number;
  readonly cumulativeStake: bigint;
  readonly cumulativeBurn: bigint;
  readonly cumulativeMint: bigint;
  readonly cumulativeTransactionFee: bigint;
  readonly cumulativeStorageFee: bigint;
  readonly totalTransactionFee: bigint;
  readonly totalStorageFee: bigint;
  readonly accountsHash: Uint8Array;
  readonly transactionsHash: Uint8Array;
  readonly receiptsHash: Uint8Array;
  readonly validatorPublicKey: Uint8Array | null;
  private nonceValue: bigint;
  private sig: Uint8Array | null;
  private body: LinkExpr | null = null;
  private header: LinkExpr | null = null;

  constructor(f: BlockFields) {
    super();
    this.chainId = f.chainId;
    this.height = f.height;
    this.previousBlockHash = f.previousBlockHash ?? ZERO32;
    this.timestamp = f.timestamp;
    this.difficulty = f.difficulty ?? 0;
    this.cumulativeStake = f.cumulativeStake ?? 0n;
    this.cumulativeBurn = f.cumulativeBurn ?? 0n;
    this.cumulativeMint = f.cumulativeMint ?? 0n;
    this.cumulativeTransactionFee = f.cumulativeTransactionFee ?? 0n;
    this.cumulativeStorageFee = f.cumulativeStorageFee ?? 0n;
    this.totalTransactionFee = f.totalTransactionFee ?? 0n;
    this.totalStorageFee = f.totalStorageFee ?? 0n;
    this.accountsHash = f.accountsHash ?? ZERO32;
    this.transactionsHash = f.transactionsHash ?? ZERO32;
    this.receiptsHash = f.receiptsHash ?? ZERO32;
    this.validatorPublicKey = f.validatorPublicKey ?? null;
    this.nonceValue = f.nonce ?? 0n;
    this.sig = f.signature ?? null;
    for (const [name, v] of [
      ["chainId", this.chainId],
      ["height", this.height],
      ["timestamp", this.timestamp],
      ["difficulty", this.difficulty],
    ] as const)
      if (!Number.isSafeInteger(v) || v < 0)
        throw new RangeError(`block ${name} must be a non-negative integer`);
  }

  get nonce(): bigint {
    return this.nonceValue;
  }

  get signature(): Uint8Array | null {
    return this.sig;
  }

  /** True for a genesis block (no previous block). */
  get isGenesis(): boolean {
    return idsEqual(this.previousBlockHash, ZERO32);
  }

  /** Total fees of this block (transaction + storage). */
  get totalFee(): bigint {
    return this.totalTransactionFee + this.totalStorageFee;
  }

  get cumulativeTotalFee(): bigint {
    return this.cumulativeTransactionFee + this.cumulativeStorageFee;
  }

  bodyExpr(): LinkExpr {
    this.body ??= chain([
      new BytesExpr(encodeBE(this.chainId)),
      new BytesExpr(encodeBE(this.height)),
      hashRef(this.previousBlockHash),
      new BytesExpr(encodeBE(this.timestamp)),
      new BytesExpr(encodeBE(this.difficulty)),
      new BytesExpr(encodeBE(this.cumulativeStake)),
      new BytesExpr(encodeBE(this.cumulativeBurn)),
      new BytesExpr(encodeBE(this.cumulativeMint)),
      new BytesExpr(encodeBE(this.cumulativeTransactionFee)),
      new BytesExpr(encodeBE(this.cumulativeStorageFee)),
      new BytesExpr(encodeBE(this.totalTransactionFee)),
      new BytesExpr(encodeBE(this.totalStorageFee)),
      hashRef(this.accountsHash),
      hashRef(this.transactionsHash),
      hashRef(this.receiptsHash),
      new BytesExpr(this.validatorPublicKey ?? new Uint8Array(0)),
      new BytesExpr(encodeBE(this.nonceValue)),
    ]);
    return this.body;
  }

  /** The body hash: what the validator signs. */
  bodyHash(): Uint8Array {
    return this.bodyExpr().hash();
  }

  toExpr(): LinkExpr {
    this.header ??= signedHeader(this.bodyExpr(), this.sig, encodeBE(BLOCK_VERSION), "block");
    return this.header;
  }

  /** The block hash (its atom id). */
  hash(): Uint8Array {
    return this.id();
  }

  /** Signs the body hash with the validator's key (which must be `validatorPublicKey`). */
  sign(secretKey: SecretKeyInput): this {
    if (this.validatorPublicKey === null || !idsEqual(publicKeyOf(secretKey), this.validatorPublicKey))
      throw new RangeError("the signing key is not the block's validator key");
    this.sig = sign(secretKey, this.bodyHash());
    this.header = null;
    return this;
  }

  /** True when the signature is the validator's Ed25519 signature of the body hash. */
  verifySignature(): boolean {
    return (
      this.sig !== null &&
      this.validatorPublicKey !== null &&
      verify(this.validatorPublicKey, this.bodyHash(), this.sig)
    );
  }

  /**
   * Searches nonces from the current one until the block hash has at least `difficulty` leading
   * zero bits (re-signing each candidate with `secretKey` when given, since the signature is part
   * of the hashed header). Returns the nonce found; the block keeps it.
   */
  generateNonce(difficulty: number, secretKey?: SecretKeyInput, signal?: { aborted: boolean }): bigint {
    if (secretKey !== undefined) this.sign(secretKey);
    for (;;) {
      if (secretKey !== undefined && this.sig === null) this.sig = sign(secretKey, this.bodyHash());
      if (leadingZeroBits(this.hash()) >= difficulty) return this.nonceValue;
      if (signal?.aborted) throw new Error("nonce search aborted");
      this.nonceValue += 1n;
      this.body = null;
      this.header = null;
      if (secretKey !== undefined) this.sig = null;
    }
  }

  /** Reads a block from atoms; throws ConsensusDecodeError or MissingAtomError. */
  static async load(lookup: AtomLookup, hash: Uint8Array): Promise<Block> {
    const header = await chainItems(lookup, hash, 4, "block");
    await expectSymbol(lookup, header[3]!, "block");
    const signature = await bytesItem(lookup, header[1]!, "block signature");
    const version = decodeBE(await bytesItem(lookup, header[2]!, "block version"));
    if (version !== BigInt(BLOCK_VERSION))
      throw new ConsensusDecodeError(`block version ${version} is not 1`);
    const b = await chainItems(lookup, await loadRef(lookup, header[0]!, "block body"), 17, "block body");
    const num = async (i: number, name: string): Promise<bigint> =>
      decodeBE(await bytesItem(lookup, b[i]!, name));
    const ref = (i: number, name: string): Promise<Uint8Array> => hashItem(lookup, b[i]!, name);
    const validator = await bytesItem(lookup, b[15]!, "validator_public_key");
    if (validator.length !== 0 && validator.length !== 32)
      throw new ConsensusDecodeError("validator_public_key is 32 bytes or empty");
    const block = new Block({
      chainId: toSafeNumber(await num(0, "chain_id"), "chain_id"),
      height: toSafeNumber(await num(1, "height"), "height"),
      previousBlockHash: await ref(2, "previous_block_hash"),
      timestamp: toSafeNumber(await num(3, "timestamp"), "timestamp"),
      difficulty: toSafeNumber(await num(4, "difficulty"), "difficulty"),
      cumulativeStake: await num(5, "cumulative_stake"),
      cumulativeBurn: await num(6, "cumulative_burn"),
      cumulativeMint: await num(7, "cumulative_mint"),
      cumulativeTransactionFee: await num(8, "cumulative_transaction_fee"),
      cumulativeStorageFee: await num(9, "cumulative_storage_fee"),
      totalTransactionFee: await num(10, "total_transaction_fee"),
      totalStorageFee: await num(11, "total_storage_fee"),
      accountsHash: await ref(12, "accounts_hash"),
      transactionsHash: await ref(13, "transactions_hash"),
      receiptsHash: await ref(14, "receipts_hash"),
      validatorPublicKey: validator.length === 0 ? null : validator,
      nonce: await num(16, "nonce"),
      signature: signature.length === 0 ? null : signature,
    });
    return canonical(block, hash, "block");
  }
}
