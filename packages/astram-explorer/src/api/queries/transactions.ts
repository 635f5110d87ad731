import { blockReward } from "astram-core";
import type { Kysely, Selectable } from "kysely";
import { amountFromDb, dbAmountToApi } from "../../amounts.js";
import { getMeta, indexedTip, META } from "../../db/meta.js";
import type { Database, TransactionsTable } from "../../db/schema.js";
import type { MempoolView, PendingTransaction } from "../../indexer/mempool-view.js";

export function transactionSummary(t: Selectable<TransactionsTable>) {
  return {
    txid: t.txid,
    eth_hash: t.eth_raw_hash ?? t.eth_hash,
    block_height: t.block_height,
    position: t.position,
    timestamp: t.timestamp,
    coinbase: t.coinbase === 1,
    from: t.sender,
    input_count: t.input_count,
    output_count: t.output_count,
    output_total: dbAmountToApi(t.output_total),
    amount: dbAmountToApi(t.amount),
    fee: dbAmountToApi(t.fee),
  };
}

/** Newest first (block height, then position in the block descending). */
export async function listTransactions(db: Kysely<Database>, page: number, limit: number) {
  const total = Number((await getMeta(db, META.txCount)) ?? "0");
  const rows = await db
    .selectFrom("transactions")
    .selectAll()
    .orderBy("block_height", "desc")
    .orderBy("position", "desc")
    .limit(limit)
    .offset((page - 1) * limit)
    .execute();
  return { transactions: rows.map(transactionSummary), page, limit, total };
}

/** Finds a confirmed transaction by txid (64 hex) or by either Ethereum-style hash (0x + 64 hex). */
export async function findTransactionRow(db: Kysely<Database>, id: string) {
  const ref = id.toLowerCase();
  if (ref.startsWith("0x"))
    return db
      .selectFrom("transactions")
      .selectAll()
      .where((eb) => eb.or([eb("eth_hash", "=", ref), eb("eth_raw_hash", "=", ref)]))
      .executeTakeFirst();
  return db.selectFrom("transactions").selectAll().where("txid", "=", ref).executeTakeFirst();
}

function pendingDetail(p: PendingTransaction) {
  const inputTotal = p.inputs.every((i) => i.amount !== null)
    ? p.inputs.reduce((s, i) => s + (i.amount ?? 0n), 0n)
    : null;
  return {
    txid: p.txid,
    eth_hash: p.ethHash,
    status: "pending",
    block_height: null,
    block_hash: null,
    position: null,
    confirmations: 0,
    timestamp: p.tx.timestamp,
    added_at: p.addedAt,
    size: p.size,
    coinbase: false,
    fee: p.fee.toString(),
    fee_per_byte: p.size > 0 ? (p.fee / BigInt(p.size)).toString() : null,
    input_total: inputTotal?.toString() ?? null,
    output_total: p.outputTotal.toString(),
    amount: p.amount.toString(),
    reward: null,
    inputs: p.inputs.map((i, vin) => ({
      vin,
      prev_txid: i.txid,
      prev_vout: i.vout,
      address: i.address,
      amount: i.amount?.toString() ?? null,
      pubkey: i.pubkey,
      source_height: null,
      unconfirmed_source: i.unconfirmedSource,
    })),
    outputs: p.tx.outputs.map((o, vout) => ({
      vout,
      address: o.to.toLowerCase(),
      amount: o.amount.toString(),
      spent: false,
      spent_by: null,
    })),
  };
}

/**
 * A transaction with its inputs (each with the output it spends: owner, amount, height) and outputs
 * (each spent or unspent, with the spending input), fee and confirmations; from the mempool when it
 * is pending.
 */
export async function transactionDetail(db: Kysely<Database>, mempool: MempoolView, id: string) {
  const t = await findTransactionRow(db, id);
  if (!t) {
    const p = mempool.byId.get(id.toLowerCase());
    return p ? pendingDetail(p) : undefined;
  }
  const [block, tip, inputs, outputs] = await Promise.all([
    db.selectFrom("blocks").select("hash").where("height", "=", t.block_height).executeTakeFirst(),
    indexedTip(db),
    db.selectFrom("inputs").selectAll().where("txid", "=", t.txid).orderBy("vin").execute(),
    db.selectFrom("outputs").selectAll().where("txid", "=", t.txid).orderBy("vout").execute(),
  ]);
  const sourceHeights = new Map<string, number>();
  if (inputs.length > 0) {
    const rows = await db
      .selectFrom("outputs")
      .select(["txid", "vout", "block_height"])
      .where(
        "txid",
        "in",
        inputs.map((i) => i.prev_txid),
      )
      .execute();
    for (const r of rows) sourceHeights.set(`${r.txid}:${r.vout}`, r.block_height);
  }
  const fee = amountFromDb(t.fee);
  const coinbase = t.coinbase === 1;
  return {
    txid: t.txid,
    eth_hash: t.eth_raw_hash ?? t.eth_hash,
    utxo_eth_hash: t.eth_hash,
    status: "confirmed",
    block_height: t.block_height,
    block_hash: block?.hash ?? null,
    position: t.position,
    confirmations: tip ? tip.height - t.block_height + 1 : 0,
    timestamp: t.timestamp,
    size: t.size,
    coinbase,
    fee: fee.toString(),
    fee_per_byte: t.size > 0 && !coinbase ? (fee / BigInt(t.size)).toString() : null,
    input_total: dbAmountToApi(t.input_total),
    output_total: dbAmountToApi(t.output_total),
    amount: dbAmountToApi(t.amount),
    /** For a coinbase: the block subsidy of its height (the rest of its outputs are the block's fees). */
    reward: coinbase ? blockReward(t.block_height).toString() : null,
    inputs: inputs.map((i) => ({
      vin: i.vin,
      prev_txid: i.prev_txid,
      prev_vout: i.prev_vout,
      address: i.address,
      amount: dbAmountToApi(i.amount),
      pubkey: i.pubkey,
      source_height: sourceHeights.get(`${i.prev_txid}:${i.prev_vout}`) ?? null,
      unconfirmed_source: false,
    })),
    outputs: outputs.map((o) => ({
      vout: o.vout,
      address: o.address,
      amount: dbAmountToApi(o.amount),
      spent: o.spent_txid !== null,
      spent_by:
        o.spent_txid === null ? null : { txid: o.spent_txid, vin: o.spent_vin, block_height: o.spent_height },
    })),
  };
}
