import type { Transaction } from "astram-core";
import type { Kysely } from "kysely";
import { amountFromDb } from "../amounts.js";
import { chunks } from "../db/meta.js";
import type { Database } from "../db/schema.js";
import type { NodeMempool } from "../node-client.js";

export interface PendingInput {
  readonly txid: string;
  readonly vout: number;
  readonly pubkey: string;
  /** Owner and amount of the spent output: from the index, or from another pending transaction. */
  readonly address: string | null;
  readonly amount: bigint | null;
  /** True when the spent output is itself pending (a chain of unconfirmed transactions). */
  readonly unconfirmedSource: boolean;
}

export interface PendingTransaction {
  readonly tx: Transaction;
  readonly txid: string;
  readonly ethHash: string;
  readonly size: number;
  readonly fee: bigint;
  readonly addedAt: number;
  readonly inputs: readonly PendingInput[];
  readonly outputTotal: bigint;
  /** Σ outputs to addresses owning none of its inputs (all outputs when every one is change). */
  readonly amount: bigint;
  /** Addresses the transaction pays or spends from. */
  readonly addresses: ReadonlySet<string>;
}

/** The node's mempool as last polled, with every input's source resolved. */
export interface MempoolView {
  readonly count: number;
  readonly bytes: number;
  readonly totalFees: bigint;
  readonly updatedAt: number;
  readonly transactions: readonly PendingTransaction[];
  readonly byId: ReadonlyMap<string, PendingTransaction>;
}

export const EMPTY_MEMPOOL: MempoolView = {
  count: 0,
  bytes: 0,
  totalFees: 0n,
  updatedAt: 0,
  transactions: [],
  byId: new Map(),
};

/** Resolves the sources of the pending transactions' inputs against the index and the mempool itself. */
export async function buildMempoolView(db: Kysely<Database>, m: NodeMempool): Promise<MempoolView> {
  const pendingOutputs = new Map<string, { address: string; amount: bigint }>();
  for (const e of m.entries)
    for (const [vout, o] of e.tx.outputs.entries())
      pendingOutputs.set(`${e.txid}:${vout}`, { address: o.to.toLowerCase(), amount: o.amount });
  const wanted = new Set<string>();
  for (const e of m.entries) for (const i of e.tx.inputs) wanted.add(i.txid);
  const indexed = new Map<string, { address: string; amount: bigint }>();
  for (const part of chunks([...wanted], 1)) {
    const rows = await db
      .selectFrom("outputs")
      .select(["txid", "vout", "address", "amount"])
      .where("txid", "in", part)
      .execute();
    for (const r of rows)
      indexed.set(`${r.txid}:${r.vout}`, { address: r.address, amount: amountFromDb(r.amount) });
  }
  const transactions: PendingTransaction[] = m.entries.map((e) => {
    const addresses = new Set<string>();
    const inputs = e.tx.inputs.map((i) => {
      const key = `${i.txid}:${i.vout}`;
      const fromIndex = indexed.get(key);
      const src = fromIndex ?? pendingOutputs.get(key);
      if (src) addresses.add(src.address);
      return {
        txid: i.txid,
        vout: i.vout,
        pubkey: i.pubkey,
        address: src?.address ?? null,
        amount: src?.amount ?? null,
        unconfirmedSource: !fromIndex && src !== undefined,
      };
    });
    const owners = new Set(addresses);
    let outputTotal = 0n;
    let paidOut = 0n;
    for (const o of e.tx.outputs) {
      outputTotal += o.amount;
      if (!owners.has(o.to.toLowerCase())) paidOut += o.amount;
      addresses.add(o.to.toLowerCase());
    }
    return {
      tx: e.tx,
      txid: e.txid,
      ethHash: e.ethHash,
      size: e.size,
      fee: e.fee,
      addedAt: e.addedAt,
      inputs,
      outputTotal,
      amount: paidOut > 0n ? paidOut : outputTotal,
      addresses,
    };
  });
  const byId = new Map<string, PendingTransaction>();
  for (const t of transactions) {
    byId.set(t.txid, t);
    byId.set(t.ethHash.toLowerCase(), t);
    byId.set(t.tx.ethHash.toLowerCase(), t);
  }
  return {
    count: m.count,
    bytes: m.bytes,
    totalFees: m.totalFees,
    updatedAt: Date.now(),
    transactions,
    byId,
  };
}
