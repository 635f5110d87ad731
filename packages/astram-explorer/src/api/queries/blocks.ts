import type { Kysely, Selectable } from "kysely";
import { amountFromDb, dbAmountToApi } from "../../amounts.js";
import { indexedTip } from "../../db/meta.js";
import type { BlocksTable, Database } from "../../db/schema.js";
import { transactionSummary } from "./transactions.js";

export function blockSummary(b: Selectable<BlocksTable>) {
  return {
    height: b.height,
    hash: b.hash,
    timestamp: b.timestamp,
    tx_count: b.tx_count,
    miner: b.miner,
    difficulty: b.difficulty,
    size: b.size,
    reward: dbAmountToApi(b.coinbase_total),
    fees: dbAmountToApi(b.fees),
  };
}

/** Newest first, `limit` per page. */
export async function listBlocks(db: Kysely<Database>, page: number, limit: number) {
  const tip = await indexedTip(db);
  const total = tip ? tip.height + 1 : 0;
  const top = (tip?.height ?? -1) - (page - 1) * limit;
  const rows =
    top < 0
      ? []
      : await db
          .selectFrom("blocks")
          .selectAll()
          .where("height", "<=", top)
          .where("height", ">", top - limit)
          .orderBy("height", "desc")
          .execute();
  return { blocks: rows.map(blockSummary), page, limit, total };
}

/** A block by height or hash with its transactions (paged: `txPage`, `txLimit`). */
export async function blockDetail(
  db: Kysely<Database>,
  ref: { height: number } | { hash: string },
  txPage: number,
  txLimit: number,
) {
  let q = db.selectFrom("blocks").selectAll();
  q = "height" in ref ? q.where("height", "=", ref.height) : q.where("hash", "=", ref.hash.toLowerCase());
  const b = await q.executeTakeFirst();
  if (!b) return undefined;
  const tip = await indexedTip(db);
  const next = await db
    .selectFrom("blocks")
    .select("hash")
    .where("height", "=", b.height + 1)
    .executeTakeFirst();
  const txs = await db
    .selectFrom("transactions")
    .selectAll()
    .where("block_height", "=", b.height)
    .where("position", ">=", (txPage - 1) * txLimit)
    .where("position", "<", txPage * txLimit)
    .orderBy("position")
    .execute();
  const issued = amountFromDb(b.coinbase_total) - amountFromDb(b.fees);
  return {
    ...blockSummary(b),
    previous_hash: b.previous_hash,
    next_hash: next?.hash ?? null,
    merkle_root: b.merkle_root,
    nonce: b.nonce,
    confirmations: tip ? tip.height - b.height + 1 : 0,
    volume: dbAmountToApi(b.volume),
    issued: issued.toString(),
    tx_page: txPage,
    tx_limit: txLimit,
    transactions: txs.map(transactionSummary),
  };
}
