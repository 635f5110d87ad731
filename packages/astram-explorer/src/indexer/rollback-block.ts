import type { Kysely } from "kysely";
import { amountFromDb, amountToDb } from "../amounts.js";
import { chunks, getMeta, META, setMeta } from "../db/meta.js";
import type { Database } from "../db/schema.js";
import { IndexInconsistencyError } from "../errors.js";

/**
 * Removes the indexed tip block at `height` (an orphaned block after a reorg), inside the caller's
 * database transaction: the outputs it spent become unspent again, everything it created is
 * deleted, and the per-address totals, transaction count and supply are taken back exactly.
 */
export async function rollbackBlock(db: Kysely<Database>, height: number): Promise<{ hash: string }> {
  const block = await db.selectFrom("blocks").selectAll().where("height", "=", height).executeTakeFirst();
  if (!block) throw new IndexInconsistencyError(`no indexed block at height ${height} to roll back`);
  const above = await db
    .selectFrom("blocks")
    .select("height")
    .where("height", ">", height)
    .executeTakeFirst();
  if (above) throw new IndexInconsistencyError(`block ${height} is not the indexed tip`);

  const history = await db.selectFrom("address_txs").selectAll().where("block_height", "=", height).execute();
  const undo = new Map<string, { received: bigint; sent: bigint; utxoDelta: number; txs: number }>();
  for (const r of history) {
    const u = undo.get(r.address) ?? { received: 0n, sent: 0n, utxoDelta: 0, txs: 0 };
    u.received += amountFromDb(r.received);
    u.sent += amountFromDb(r.sent);
    u.utxoDelta += r.utxo_delta;
    u.txs += 1;
    undo.set(r.address, u);
  }

  // The block's rows are found through its transactions (outputs and inputs are keyed by txid).
  const txids = (
    await db.selectFrom("transactions").select("txid").where("block_height", "=", height).execute()
  ).map((r) => r.txid);
  for (const part of chunks(txids, 1)) {
    const spent = await db
      .selectFrom("inputs")
      .select(["prev_txid", "prev_vout"])
      .where("txid", "in", part)
      .execute();
    for (const i of spent)
      await db
        .updateTable("outputs")
        .set({ spent_txid: null, spent_vin: null, spent_height: null })
        .where("txid", "=", i.prev_txid)
        .where("vout", "=", i.prev_vout)
        .where("spent_height", "=", height)
        .execute();
    await db.deleteFrom("outputs").where("txid", "in", part).execute();
    await db.deleteFrom("inputs").where("txid", "in", part).execute();
  }
  await db.deleteFrom("transactions").where("block_height", "=", height).execute();
  await db.deleteFrom("address_txs").where("block_height", "=", height).execute();
  await db.deleteFrom("blocks").where("height", "=", height).execute();

  const addresses = [...undo.keys()];
  for (const part of chunks(addresses, 1)) {
    const rows = await db.selectFrom("addresses").selectAll().where("address", "in", part).execute();
    const last = await db
      .selectFrom("address_txs")
      .select(["address", (eb) => eb.fn.max("block_height").as("last")])
      .where("address", "in", part)
      .groupBy("address")
      .execute();
    const lastOf = new Map(last.map((r) => [r.address, Number(r.last)]));
    for (const r of rows) {
      const u = undo.get(r.address)!;
      const txCount = r.tx_count - u.txs;
      if (txCount <= 0) {
        await db.deleteFrom("addresses").where("address", "=", r.address).execute();
        continue;
      }
      const received = amountFromDb(r.received) - u.received;
      const sent = amountFromDb(r.sent) - u.sent;
      await db
        .updateTable("addresses")
        .set({
          balance: amountToDb(received - sent),
          received: amountToDb(received),
          sent: amountToDb(sent),
          tx_count: txCount,
          utxo_count: r.utxo_count - u.utxoDelta,
          last_height: lastOf.get(r.address) ?? r.first_height,
        })
        .where("address", "=", r.address)
        .execute();
    }
  }

  const txCount = Number((await getMeta(db, META.txCount)) ?? "0") - block.tx_count;
  const supply =
    BigInt((await getMeta(db, META.supply)) ?? "0") -
    (amountFromDb(block.coinbase_total) - amountFromDb(block.fees));
  await setMeta(db, { [META.txCount]: String(txCount), [META.supply]: supply.toString() });
  return { hash: block.hash };
}
