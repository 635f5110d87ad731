import type { Kysely } from "kysely";
import type { Database } from "./schema.js";

/** Keys of the meta table. */
export const META = {
  schemaVersion: "schema_version",
  /** Genesis hash of the indexed chain: a node of another chain is refused. */
  genesis: "genesis_hash",
  /** Number of indexed transactions (coinbases included). */
  txCount: "tx_count",
  /** Σ unspent outputs in ram, decimal text (= Σ over blocks of coinbase outputs − fees). */
  supply: "supply",
} as const;

export async function getMeta(db: Kysely<Database>, key: string): Promise<string | undefined> {
  const row = await db.selectFrom("meta").select("value").where("key", "=", key).executeTakeFirst();
  return row?.value;
}

export async function setMeta(db: Kysely<Database>, values: Record<string, string>): Promise<void> {
  const rows = Object.entries(values).map(([key, value]) => ({ key, value }));
  if (rows.length === 0) return;
  await db
    .insertInto("meta")
    .values(rows)
    .onConflict((oc) => oc.column("key").doUpdateSet((eb) => ({ value: eb.ref("excluded.value") })))
    .execute();
}

/** The highest indexed block, or undefined for an empty database. */
export async function indexedTip(
  db: Kysely<Database>,
): Promise<{ height: number; hash: string } | undefined> {
  return db
    .selectFrom("blocks")
    .select(["height", "hash"])
    .orderBy("height", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** Splits rows so that one statement binds at most `maxParams` values. */
export function chunks<T>(rows: readonly T[], columns: number, maxParams = 8000): T[][] {
  const size = Math.max(1, Math.floor(maxParams / Math.max(1, columns)));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
