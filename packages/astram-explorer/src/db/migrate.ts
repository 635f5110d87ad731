import { type Kysely, sql } from "kysely";
import type { DialectName } from "./open.js";
import type { Database } from "./schema.js";

export const SCHEMA_VERSION = "1";

/**
 * Creates the tables and indexes when absent (idempotent). Amount columns are text; on PostgreSQL
 * they use the "C" collation so that ordering the fixed-width digits is byte order.
 */
export async function migrate(db: Kysely<Database>, dialect: DialectName): Promise<void> {
  const amount = dialect === "postgres" ? sql`text collate "C"` : sql`text`;
  // SQLite: address_txs, whose key grows per address, is stored as its primary-key B-tree (no rowid
  // table beside it). Tables keyed by random txids keep rowid tables: rows append at the end and only
  // the narrow key index takes random inserts.
  const clustered = dialect === "sqlite" ? sql`without rowid` : sql``;
  await db.schema
    .createTable("meta")
    .ifNotExists()
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("blocks")
    .ifNotExists()
    .addColumn("height", "integer", (c) => c.primaryKey())
    .addColumn("hash", "text", (c) => c.notNull().unique())
    .addColumn("previous_hash", "text", (c) => c.notNull())
    .addColumn("merkle_root", "text", (c) => c.notNull())
    .addColumn("timestamp", "bigint", (c) => c.notNull())
    .addColumn("difficulty", "integer", (c) => c.notNull())
    .addColumn("nonce", "text", (c) => c.notNull())
    .addColumn("tx_count", "integer", (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("miner", "text")
    .addColumn("coinbase_total", amount, (c) => c.notNull())
    .addColumn("fees", amount, (c) => c.notNull())
    .addColumn("volume", amount, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("transactions")
    .ifNotExists()
    .addColumn("txid", "text", (c) => c.primaryKey())
    .addColumn("eth_hash", "text", (c) => c.notNull())
    .addColumn("eth_raw_hash", "text")
    .addColumn("block_height", "integer", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("timestamp", "bigint", (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("coinbase", "integer", (c) => c.notNull())
    .addColumn("input_count", "integer", (c) => c.notNull())
    .addColumn("output_count", "integer", (c) => c.notNull())
    .addColumn("input_total", amount, (c) => c.notNull())
    .addColumn("output_total", amount, (c) => c.notNull())
    .addColumn("amount", amount, (c) => c.notNull())
    .addColumn("fee", amount, (c) => c.notNull())
    .addColumn("sender", "text")
    .execute();
  await db.schema
    .createTable("outputs")
    .ifNotExists()
    .addColumn("txid", "text", (c) => c.notNull())
    .addColumn("vout", "integer", (c) => c.notNull())
    .addColumn("address", "text", (c) => c.notNull())
    .addColumn("amount", amount, (c) => c.notNull())
    .addColumn("block_height", "integer", (c) => c.notNull())
    .addColumn("spent_txid", "text")
    .addColumn("spent_vin", "integer")
    .addColumn("spent_height", "integer")
    .addPrimaryKeyConstraint("outputs_pk", ["txid", "vout"])
    .execute();
  await db.schema
    .createTable("inputs")
    .ifNotExists()
    .addColumn("txid", "text", (c) => c.notNull())
    .addColumn("vin", "integer", (c) => c.notNull())
    .addColumn("prev_txid", "text", (c) => c.notNull())
    .addColumn("prev_vout", "integer", (c) => c.notNull())
    .addColumn("address", "text", (c) => c.notNull())
    .addColumn("amount", amount, (c) => c.notNull())
    .addColumn("pubkey", "text", (c) => c.notNull())
    .addColumn("block_height", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("inputs_pk", ["txid", "vin"])
    .execute();
  await db.schema
    .createTable("address_txs")
    .ifNotExists()
    .addColumn("address", "text", (c) => c.notNull())
    .addColumn("block_height", "integer", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("txid", "text", (c) => c.notNull())
    .addColumn("received", amount, (c) => c.notNull())
    .addColumn("sent", amount, (c) => c.notNull())
    .addColumn("utxo_delta", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("address_txs_pk", ["address", "block_height", "position"])
    .modifyEnd(clustered)
    .execute();
  await db.schema
    .createTable("addresses")
    .ifNotExists()
    .addColumn("address", "text", (c) => c.primaryKey())
    .addColumn("balance", amount, (c) => c.notNull())
    .addColumn("received", amount, (c) => c.notNull())
    .addColumn("sent", amount, (c) => c.notNull())
    .addColumn("tx_count", "integer", (c) => c.notNull())
    .addColumn("utxo_count", "integer", (c) => c.notNull())
    .addColumn("first_height", "integer", (c) => c.notNull())
    .addColumn("last_height", "integer", (c) => c.notNull())
    .execute();

  // Only what a query needs: rollback finds a block's rows through transactions_height and the
  // (txid, …) primary keys, so outputs and inputs carry no height index of their own.
  const indexes: [string, keyof Database, string[]][] = [
    ["transactions_height", "transactions", ["block_height", "position"]],
    ["transactions_eth_hash", "transactions", ["eth_hash"]],
    ["outputs_address_unspent", "outputs", ["address", "spent_height"]],
    ["address_txs_height", "address_txs", ["block_height"]],
    ["addresses_balance", "addresses", ["balance"]],
  ];
  for (const [name, table, columns] of indexes) {
    await db.schema.createIndex(name).ifNotExists().on(table).columns(columns).execute();
  }
  // Most transactions have no Ethereum signature: a partial index keeps them out.
  await db.schema
    .createIndex("transactions_eth_raw_hash")
    .ifNotExists()
    .on("transactions")
    .column("eth_raw_hash")
    .where(sql.ref("eth_raw_hash"), "is not", null)
    .execute();
  await db
    .insertInto("meta")
    .values({ key: "schema_version", value: SCHEMA_VERSION })
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
}
