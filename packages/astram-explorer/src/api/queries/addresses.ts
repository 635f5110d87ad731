import { toChecksumAddress } from "astram-core";
import type { Kysely } from "kysely";
import { AMOUNT_WIDTH, amountFromDb, dbAmountToApi } from "../../amounts.js";
import type { Database } from "../../db/schema.js";
import type { MempoolView } from "../../indexer/mempool-view.js";

const ZERO = "0".repeat(AMOUNT_WIDTH);

/** Pending (mempool) effect on an address: what it would receive and spend. */
function pendingFor(mempool: MempoolView, address: string) {
  let received = 0n;
  let sent = 0n;
  const txs = [];
  for (const p of mempool.transactions) {
    if (!p.addresses.has(address)) continue;
    let r = 0n;
    let s = 0n;
    for (const o of p.tx.outputs) if (o.to.toLowerCase() === address) r += o.amount;
    for (const i of p.inputs) if (i.address === address) s += i.amount ?? 0n;
    received += r;
    sent += s;
    txs.push({
      txid: p.txid,
      eth_hash: p.ethHash,
      status: "pending",
      block_height: null,
      position: null,
      timestamp: p.tx.timestamp,
      received: r.toString(),
      sent: s.toString(),
      net: (r - s).toString(),
    });
  }
  return { count: txs.length, received: received.toString(), sent: sent.toString(), transactions: txs };
}

/** Balance, received, sent, counts, first and last activity, rich-list rank and pending effect. */
export async function addressDetail(db: Kysely<Database>, mempool: MempoolView, address: string) {
  const a = await db.selectFrom("addresses").selectAll().where("address", "=", address).executeTakeFirst();
  const pending = pendingFor(mempool, address);
  if (!a) {
    return {
      address,
      checksum_address: toChecksumAddress(address),
      balance: "0",
      received: "0",
      sent: "0",
      tx_count: 0,
      utxo_count: 0,
      first_seen: null,
      last_seen: null,
      rank: null,
      pending,
    };
  }
  const heights = [a.first_height, a.last_height];
  const blocks = await db
    .selectFrom("blocks")
    .select(["height", "timestamp"])
    .where("height", "in", heights)
    .execute();
  const ts = new Map(blocks.map((b) => [b.height, b.timestamp]));
  const higher =
    a.balance === ZERO
      ? null
      : await db
          .selectFrom("addresses")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("balance", ">", a.balance)
          .executeTakeFirst();
  return {
    address,
    checksum_address: toChecksumAddress(address),
    balance: dbAmountToApi(a.balance),
    received: dbAmountToApi(a.received),
    sent: dbAmountToApi(a.sent),
    tx_count: a.tx_count,
    utxo_count: a.utxo_count,
    first_seen: { height: a.first_height, timestamp: ts.get(a.first_height) ?? null },
    last_seen: { height: a.last_height, timestamp: ts.get(a.last_height) ?? null },
    rank: higher ? Number(higher.n) + 1 : null,
    pending,
  };
}

/** Confirmed history, newest first; pending transactions on page 1. */
export async function addressHistory(
  db: Kysely<Database>,
  mempool: MempoolView,
  address: string,
  page: number,
  limit: number,
) {
  const a = await db
    .selectFrom("addresses")
    .select("tx_count")
    .where("address", "=", address)
    .executeTakeFirst();
  const rows = await db
    .selectFrom("address_txs as h")
    .innerJoin("blocks as b", "b.height", "h.block_height")
    .select(["h.txid", "h.block_height", "h.position", "h.received", "h.sent", "b.timestamp"])
    .where("h.address", "=", address)
    .orderBy("h.block_height", "desc")
    .orderBy("h.position", "desc")
    .limit(limit)
    .offset((page - 1) * limit)
    .execute();
  return {
    address,
    total: a?.tx_count ?? 0,
    page,
    limit,
    pending: page === 1 ? pendingFor(mempool, address).transactions : [],
    transactions: rows.map((r) => {
      const received = amountFromDb(r.received);
      const sent = amountFromDb(r.sent);
      return {
        txid: r.txid,
        status: "confirmed",
        block_height: r.block_height,
        position: r.position,
        timestamp: r.timestamp,
        received: received.toString(),
        sent: sent.toString(),
        net: (received - sent).toString(),
      };
    }),
  };
}

/** Unspent outputs of an address, oldest first. */
export async function addressUtxos(db: Kysely<Database>, address: string, limit: number) {
  const rows = await db
    .selectFrom("outputs")
    .select(["txid", "vout", "amount", "block_height"])
    .where("address", "=", address)
    .where("spent_height", "is", null)
    .orderBy("block_height")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    txid: r.txid,
    vout: r.vout,
    amount: dbAmountToApi(r.amount),
    block_height: r.block_height,
  }));
}

/** Addresses by balance, highest first, with their share of the supply (percent, 4 decimals). */
export async function richList(db: Kysely<Database>, supply: bigint, page: number, limit: number) {
  const total = await db
    .selectFrom("addresses")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("balance", ">", ZERO)
    .executeTakeFirst();
  const rows = await db
    .selectFrom("addresses")
    .select(["address", "balance", "tx_count"])
    .where("balance", ">", ZERO)
    .orderBy("balance", "desc")
    .orderBy("address")
    .limit(limit)
    .offset((page - 1) * limit)
    .execute();
  return {
    supply: supply.toString(),
    total: Number(total?.n ?? 0),
    page,
    limit,
    addresses: rows.map((r, i) => {
      const balance = amountFromDb(r.balance);
      const share = supply > 0n ? (balance * 1_000_000n) / supply : 0n;
      return {
        rank: (page - 1) * limit + i + 1,
        address: r.address,
        balance: balance.toString(),
        share_percent: `${share / 10_000n}.${(share % 10_000n).toString().padStart(4, "0")}`,
        tx_count: r.tx_count,
      };
    }),
  };
}
