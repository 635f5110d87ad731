// Transactions (facts §4.2). The body is a right-chained list of eight Bytes items
//   chain_id, amount, code, counter, cost_limit, data, recipient, sender
// (numbers minimal little-endian, code one byte); the sender signs the body's expression hash with
// Ed25519. The header Link(body, Link(Bytes(signature), Link(Bytes(version), Symbol("transaction"))))
// hashes to the transaction hash, its id in storage and on the wire.
import { BytesExpr, type LinkExpr } from "../machine/expr.js";
import { idsEqual } from "../storage/atom-id.js";
import { publicKeyOf, type SecretKeyInput, sign, verify } from "./ed25519.js";
import { ConsensusDecodeError } from "./errors.js";
import {
  type AtomLookup,
  bytesItem,
  chain,
  chainItems,
  expectSymbol,
  loadRef,
  signedHeader,
} from "./expr-chain.js";
import { canonical, ExprRecord } from "./expr-record.js";
import { decodeLE, encodeLE, toSafeNumber } from "./integers.js";

/** Transaction codes (one byte). Only TRANSFER is applied; the others are recognised and refused. */
export const TransactionCode = {
  TRANSFER: 0x00,
  CHANNEL_UPDATE: 0x10,
  CHANNEL_WITHDRAW: 0x11,
  CHANNEL_CLOSE: 0x12,
  TREASURY_DEPOSIT: 0x20,
  TREASURY_BORROW: 0x21,
  TREASURY_REPAY: 0x22,
  STORAGE_CREATE: 0x30,
  STORAGE_PAYMENT: 0x31,
  STORAGE_REMOVE: 0x32,
  CODE_ACCOUNT_CREATE: 0x40,
  CODE_ACCOUNT_CALL: 0x41,
} as const;
export type TransactionCode = (typeof TransactionCode)[keyof typeof TransactionCode];

const CODES = new Set<number>(Object.values(TransactionCode));
export const TRANSACTION_VERSION = 1;

export interface TransactionFields {
  chainId: number | bigint;
  amount: number | bigint;
  counter: number | bigint;
  /** 32-byte recipient address (an Ed25519 public key). */
  recipient: Uint8Array;
  /** 32-byte sender Ed25519 public key. */
  sender: Uint8Array;
  code?: TransactionCode;
  costLimit?: number | bigint;
  data?: Uint8Array;
  signature?: Uint8Array | null;
  version?: number;
}

export class Transaction extends ExprRecord {
  readonly chainId: number;
  readonly amount: bigint;
  readonly code: TransactionCode;
  readonly counter: bigint;
  readonly costLimit: bigint;
  readonly data: Uint8Array;
  readonly recipient: Uint8Array;
  readonly sender: Uint8Array;
  readonly version: number;
  private sig: Uint8Array | null;
  private body: LinkExpr | null = null;
  private header: LinkExpr | null = null;
  /** Memo of verifySignature (the fields are immutable; sign() resets it). */
  private signatureOk: boolean | null = null;

  constructor(f: TransactionFields) {
    super();
    this.chainId = Number(f.chainId);
    this.amount = BigInt(f.amount);
    this.code = f.code ?? TransactionCode.TRANSFER;
    this.counter = BigInt(f.counter);
    this.costLimit = BigInt(f.costLimit ?? 0);
    this.data = f.data ?? new Uint8Array(0);
    this.recipient = f.recipient;
    this.sender = f.sender;
    this.version = f.version ?? TRANSACTION_VERSION;
    this.sig = f.signature ?? null;
    if (!Number.isSafeInteger(this.chainId) || this.chainId < 0)
      throw new RangeError(`chainId must be a non-negative integer, got ${f.chainId}`);
    if (this.amount < 0n) throw new RangeError("amount must not be negative");
    if (this.counter < 0n) throw new RangeError("counter must not be negative");
    if (this.costLimit < 0n) throw new RangeError("costLimit must not be negative");
    if (!CODES.has(this.code)) throw new RangeError(`unknown transaction code ${this.code}`);
    if (!(this.recipient instanceof Uint8Array) || this.recipient.length !== 32)
      throw new RangeError("recipient must be 32 bytes");
    if (!(this.sender instanceof Uint8Array) || this.sender.length !== 32)
      throw new RangeError("sender must be 32 bytes");
  }

  get signature(): Uint8Array | null {
    return this.sig;
  }

  /** The body chain (what is signed, by its hash). */
  bodyExpr(): LinkExpr {
    this.body ??= chain([
      new BytesExpr(encodeLE(this.chainId)),
      new BytesExpr(encodeLE(this.amount)),
      new BytesExpr(Uint8Array.of(this.code)),
      new BytesExpr(encodeLE(this.counter)),
      new BytesExpr(encodeLE(this.costLimit)),
      new BytesExpr(this.data),
      new BytesExpr(this.recipient),
      new BytesExpr(this.sender),
    ]);
    return this.body;
  }

  /** The 32-byte body hash: the message the sender signs. */
  bodyHash(): Uint8Array {
    return this.bodyExpr().hash();
  }

  /** The header chain; its hash is the transaction hash. */
  toExpr(): LinkExpr {
    this.header ??= signedHeader(this.bodyExpr(), this.sig, encodeLE(this.version), "transaction");
    return this.header;
  }

  /** The transaction hash (its atom id). */
  hash(): Uint8Array {
    return this.id();
  }

  /** Signs the body hash with the sender's secret key (which must belong to `sender`). */
  sign(secretKey: SecretKeyInput): this {
    if (!idsEqual(publicKeyOf(secretKey), this.sender))
      throw new RangeError("the signing key does not belong to the transaction's sender");
    this.sig = sign(secretKey, this.bodyHash());
    this.header = null;
    this.signatureOk = null;
    return this;
  }

  /** True when the signature is the sender's Ed25519 signature of the body hash (checked once). */
  verifySignature(): boolean {
    this.signatureOk ??= this.sig !== null && verify(this.sender, this.bodyHash(), this.sig);
    return this.signatureOk;
  }

  /** Reads a transaction from atoms; throws ConsensusDecodeError or MissingAtomError. */
  static async load(lookup: AtomLookup, hash: Uint8Array): Promise<Transaction> {
    const what = "transaction";
    const header = await chainItems(lookup, hash, 4, what);
    await expectSymbol(lookup, header[3]!, "transaction");
    const signature = await bytesItem(lookup, header[1]!, "transaction signature");
    const version = decodeLE(await bytesItem(lookup, header[2]!, "transaction version"));
    if (version !== BigInt(TRANSACTION_VERSION))
      throw new ConsensusDecodeError(`transaction version ${version} is not ${TRANSACTION_VERSION}`);
    const bodyRoot = await loadRef(lookup, header[0]!, "transaction body");
    const body = await chainItems(lookup, bodyRoot, 8, "transaction body");
    const v: Uint8Array[] = [];
    for (const ref of body) v.push(await bytesItem(lookup, ref, "transaction field"));
    const code = v[2]!;
    if (code.length !== 1 || !CODES.has(code[0]!))
      throw new ConsensusDecodeError("transaction code must be one known byte");
    if (v[6]!.length !== 32 || v[7]!.length !== 32)
      throw new ConsensusDecodeError("transaction recipient and sender are 32 bytes");
    const tx = new Transaction({
      chainId: toSafeNumber(decodeLE(v[0]!), "chain_id"),
      amount: decodeLE(v[1]!),
      code: code[0] as TransactionCode,
      counter: decodeLE(v[3]!),
      costLimit: decodeLE(v[4]!),
      data: v[5]!,
      recipient: v[6]!,
      sender: v[7]!,
      signature: signature.length === 0 ? null : signature,
    });
    return canonical(tx, hash, "transaction");
  }
}

/** The seed's `create_transaction(...)`: builds an unsigned TRANSFER (nothing is stored or sent). */
export function createTransaction(fields: {
  chainId: number | bigint;
  amount: number | bigint;
  counter: number | bigint;
  recipient: Uint8Array;
  sender: Uint8Array;
  data?: Uint8Array;
  costLimit?: number | bigint;
}): Transaction {
  return new Transaction({ ...fields, code: TransactionCode.TRANSFER });
}
