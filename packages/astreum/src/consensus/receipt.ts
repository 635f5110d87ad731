// Receipts (facts §4.4). Body, right-chained, last item a hash reference:
//   Link(head_hash=tx_hash), Bytes(status BE), Bytes(transaction_fee BE), Bytes(storage_fee BE),
//   Link(head_hash=logs_hash)
// Header: Link(body, Link(Bytes(version BE), Symbol("receipt"))); the receipt id is its hash.
import { BytesExpr, type LinkExpr, ZERO32 } from "../machine/expr.js";
import { ConsensusDecodeError } from "./errors.js";
import {
  type AtomLookup,
  bytesItem,
  chain,
  chainItems,
  expectSymbol,
  hashItem,
  hashRef,
  kindSymbol,
  loadRef,
} from "./expr-chain.js";
import { canonical, ExprRecord } from "./expr-record.js";
import { decodeBE, encodeBE } from "./integers.js";

export const ReceiptStatus = { SUCCESS: 0, FAILED: 1 } as const;
export type ReceiptStatus = (typeof ReceiptStatus)[keyof typeof ReceiptStatus];
export const RECEIPT_VERSION = 1;

export class Receipt extends ExprRecord {
  constructor(
    readonly transactionHash: Uint8Array,
    readonly status: ReceiptStatus,
    readonly transactionFee: bigint,
    readonly storageFee: bigint = 0n,
    readonly logsHash: Uint8Array = ZERO32,
  ) {
    super();
  }

  toExpr(): LinkExpr {
    const body = chain([
      hashRef(this.transactionHash),
      new BytesExpr(encodeBE(this.status)),
      new BytesExpr(encodeBE(this.transactionFee)),
      new BytesExpr(encodeBE(this.storageFee)),
      hashRef(this.logsHash),
    ]);
    return chain([body, new BytesExpr(encodeBE(RECEIPT_VERSION)), kindSymbol("receipt")]);
  }

  static async load(lookup: AtomLookup, id: Uint8Array): Promise<Receipt> {
    const header = await chainItems(lookup, id, 3, "receipt");
    await expectSymbol(lookup, header[2]!, "receipt");
    const version = decodeBE(await bytesItem(lookup, header[1]!, "receipt version"));
    if (version !== BigInt(RECEIPT_VERSION)) throw new ConsensusDecodeError(`receipt version ${version}`);
    const body = await chainItems(
      lookup,
      await loadRef(lookup, header[0]!, "receipt body"),
      5,
      "receipt body",
    );
    const status = decodeBE(await bytesItem(lookup, body[1]!, "receipt status"));
    if (status !== 0n && status !== 1n) throw new ConsensusDecodeError(`receipt status ${status}`);
    const r = new Receipt(
      await hashItem(lookup, body[0]!, "receipt transaction"),
      Number(status) as ReceiptStatus,
      decodeBE(await bytesItem(lookup, body[2]!, "receipt fee")),
      decodeBE(await bytesItem(lookup, body[3]!, "receipt storage fee")),
      await hashItem(lookup, body[4]!, "receipt logs"),
    );
    return canonical(r, id, "receipt");
  }
}
