// A validator's record in the treasury account's data trie (facts §4.5): the chain
//   Bytes(stake_balance LE), Link(head_hash=loans_root), Bytes(total_interest_paid LE),
//   Symbol("treasury-user-record").
import { BytesExpr, type LinkExpr, ZERO32 } from "../machine/expr.js";
import {
  type AtomLookup,
  bytesItem,
  chain,
  chainItems,
  expectSymbol,
  hashItem,
  hashRef,
  kindSymbol,
} from "./expr-chain.js";
import { canonical, ExprRecord } from "./expr-record.js";
import { decodeLE, encodeLE } from "./integers.js";

export class TreasuryRecord extends ExprRecord {
  constructor(
    readonly stakeBalance: bigint,
    readonly loansRoot: Uint8Array = ZERO32,
    readonly totalInterestPaid: bigint = 0n,
  ) {
    super();
  }

  toExpr(): LinkExpr {
    return chain([
      new BytesExpr(encodeLE(this.stakeBalance)),
      hashRef(this.loansRoot),
      new BytesExpr(encodeLE(this.totalInterestPaid)),
      kindSymbol("treasury-user-record"),
    ]);
  }

  static async load(lookup: AtomLookup, id: Uint8Array): Promise<TreasuryRecord> {
    const items = await chainItems(lookup, id, 4, "treasury record");
    await expectSymbol(lookup, items[3]!, "treasury-user-record");
    const r = new TreasuryRecord(
      decodeLE(await bytesItem(lookup, items[0]!, "stake balance")),
      await hashItem(lookup, items[1]!, "loans root"),
      decodeLE(await bytesItem(lookup, items[2]!, "interest paid")),
    );
    return canonical(r, id, "treasury record");
  }
}
