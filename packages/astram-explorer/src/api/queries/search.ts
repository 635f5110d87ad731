import { parseAddress } from "astram-core";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import type { MempoolView } from "../../indexer/mempool-view.js";
import { findTransactionRow } from "./transactions.js";

export type SearchResult =
  | { query: string; type: "block"; id: string; height: number; path: string }
  | { query: string; type: "transaction"; id: string; status: "confirmed" | "pending"; path: string }
  | { query: string; type: "address"; id: string; path: string }
  | { query: string; type: "none"; message: string };

/**
 * Routes a search box entry by its form, and only to something that exists:
 * digits -> block height; 0x + 40 hex -> address (mixed case must pass EIP-55);
 * 0x + 64 hex -> transaction by Ethereum hash (either form), else a txid or block hash written with 0x;
 * 64 hex -> block hash, else txid (confirmed or pending), else an Ethereum hash written without 0x.
 */
export async function search(db: Kysely<Database>, mempool: MempoolView, raw: string): Promise<SearchResult> {
  const query = raw.trim();
  const none = (message: string): SearchResult => ({ query, type: "none", message });
  if (query === "") return none("type a block height, block hash, transaction id, Ethereum hash or address");

  if (/^[0-9]{1,15}$/.test(query)) {
    const height = Number(query);
    if (height > 2 ** 31 - 1) return none(`no block at height ${height}`);
    const b = await db.selectFrom("blocks").select("hash").where("height", "=", height).executeTakeFirst();
    return b
      ? { query, type: "block", id: b.hash, height, path: `/block/${height}` }
      : none(`no block at height ${height} yet`);
  }

  if (/^0x[0-9a-f]{40}$/i.test(query)) {
    try {
      const address = parseAddress(query);
      return { query, type: "address", id: address, path: `/address/${address}` };
    } catch (e) {
      return none((e as Error).message);
    }
  }

  const block = async (hash: string): Promise<SearchResult | undefined> => {
    const b = await db.selectFrom("blocks").select("height").where("hash", "=", hash).executeTakeFirst();
    return b ? { query, type: "block", id: hash, height: b.height, path: `/block/${hash}` } : undefined;
  };
  const tx = async (id: string): Promise<SearchResult | undefined> => {
    const t = await findTransactionRow(db, id);
    if (t) return { query, type: "transaction", id: t.txid, status: "confirmed", path: `/tx/${t.txid}` };
    const p = mempool.byId.get(id);
    return p
      ? { query, type: "transaction", id: p.txid, status: "pending", path: `/tx/${p.txid}` }
      : undefined;
  };

  if (/^0x[0-9a-f]{64}$/i.test(query)) {
    const h = query.toLowerCase();
    return (
      (await tx(h)) ??
      (await block(h.slice(2))) ??
      (await tx(h.slice(2))) ??
      none(`no transaction with Ethereum hash ${h}`)
    );
  }
  if (/^[0-9a-f]{64}$/i.test(query)) {
    const h = query.toLowerCase();
    return (await block(h)) ?? (await tx(h)) ?? (await tx("0x" + h)) ?? none(`no block or transaction ${h}`);
  }
  return none(`"${query}" is not a height, hash or address`);
}
