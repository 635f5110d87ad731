// Accounts (facts §4.3). The account chain, head first:
//   Link(head_hash=data_hash), Bytes(counter LE), Link(head_hash=code_hash),
//   Link(head_hash=channels_hash), Bytes(balance LE), Symbol("account")
// and the account id (ExprRecord.id) is the chain's hash. The accounts trie maps address -> account id.
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

/** The treasury account: its data trie lists the validators' stakes. */
export const TREASURY_ADDRESS: Uint8Array = new Uint8Array(32).fill(1);
/** The burn account. */
export const BURN_ADDRESS: Uint8Array = new Uint8Array(32);

export interface AccountFields {
  balance?: bigint;
  counter?: bigint;
  codeHash?: Uint8Array;
  dataHash?: Uint8Array;
  channelsHash?: Uint8Array;
}

export class Account extends ExprRecord {
  balance: bigint;
  counter: bigint;
  codeHash: Uint8Array;
  dataHash: Uint8Array;
  channelsHash: Uint8Array;

  constructor(f: AccountFields = {}) {
    super();
    this.balance = f.balance ?? 0n;
    this.counter = f.counter ?? 0n;
    this.codeHash = f.codeHash ?? ZERO32;
    this.dataHash = f.dataHash ?? ZERO32;
    this.channelsHash = f.channelsHash ?? ZERO32;
  }

  clone(): Account {
    return new Account(this);
  }

  toExpr(): LinkExpr {
    return chain([
      hashRef(this.dataHash),
      new BytesExpr(encodeLE(this.counter)),
      hashRef(this.codeHash),
      hashRef(this.channelsHash),
      new BytesExpr(encodeLE(this.balance)),
      kindSymbol("account"),
    ]);
  }

  static async load(lookup: AtomLookup, id: Uint8Array): Promise<Account> {
    const items = await chainItems(lookup, id, 6, "account");
    await expectSymbol(lookup, items[5]!, "account");
    const a = new Account({
      dataHash: await hashItem(lookup, items[0]!, "account data hash"),
      counter: decodeLE(await bytesItem(lookup, items[1]!, "account counter")),
      codeHash: await hashItem(lookup, items[2]!, "account code hash"),
      channelsHash: await hashItem(lookup, items[3]!, "account channels hash"),
      balance: decodeLE(await bytesItem(lookup, items[4]!, "account balance")),
    });
    return canonical(a, id, "account");
  }
}
