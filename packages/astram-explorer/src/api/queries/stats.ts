import { cumulativeIssuance } from "astram-core";
import type { Kysely } from "kysely";
import { getMeta, indexedTip, META } from "../../db/meta.js";
import type { Database } from "../../db/schema.js";
import type { Indexer } from "../../indexer/indexer.js";
import { averageBlockTime, chartSeries, estimateHashrate } from "../../stats/chain-stats.js";

/** Blocks of the window the averages use (the last 100 blocks, or all of a shorter chain). */
export const STATS_WINDOW = 100;

/**
 * Blocks from `fromHeight` on, never genesis: its timestamp is fixed by the network parameters
 * (1738800000), so the interval from genesis to block 1 says nothing about block times or hashrate.
 */
async function blockPoints(db: Kysely<Database>, fromHeight: number) {
  return db
    .selectFrom("blocks")
    .select(["height", "timestamp", "difficulty"])
    .where("height", ">=", Math.max(1, fromHeight))
    .orderBy("height")
    .execute();
}

export async function supplyOf(db: Kysely<Database>): Promise<bigint> {
  return BigInt((await getMeta(db, META.supply)) ?? "0");
}

/**
 * Chain figures from the index: counts, supply (Σ unspent outputs) beside the schedule's issuance,
 * the tip's difficulty and the node's next one, and the average block time and estimated hashrate
 * over the last STATS_WINDOW blocks.
 */
export async function chainStats(db: Kysely<Database>, indexer: Indexer) {
  const tip = await indexedTip(db);
  const height = tip?.height ?? -1;
  const window = await blockPoints(db, height - STATS_WINDOW);
  const last = window[window.length - 1];
  const addresses = await db
    .selectFrom("addresses")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirst();
  const status = indexer.status();
  const mempool = indexer.mempool;
  return {
    height,
    blocks: height + 1,
    transactions: Number((await getMeta(db, META.txCount)) ?? "0"),
    addresses: Number(addresses?.n ?? 0),
    supply: (await supplyOf(db)).toString(),
    scheduled_issuance: cumulativeIssuance(height).toString(),
    difficulty: last?.difficulty ?? null,
    next_difficulty: status.node?.nextDifficulty ?? null,
    tip_timestamp: last?.timestamp ?? null,
    average_block_time: averageBlockTime(window),
    hashrate: estimateHashrate(window),
    window_blocks: Math.max(0, window.length - 1),
    target_block_time: status.node?.targetSpacing ?? null,
    network: status.node?.network ?? null,
    mempool: { count: mempool.count, bytes: mempool.bytes, total_fees: mempool.totalFees.toString() },
    indexer: {
      indexed_height: status.indexedHeight,
      node_height: status.nodeHeight,
      syncing: status.syncing,
      last_error: status.lastError,
    },
  };
}

/** Block time, difficulty and hashrate over the last `blocks` blocks, in at most `points` buckets. */
export async function charts(db: Kysely<Database>, blocks: number, points: number) {
  const tip = await indexedTip(db);
  if (!tip) return { from: null, to: null, points: [] };
  const rows = await blockPoints(db, tip.height - blocks);
  const series = chartSeries(rows, points);
  return { from: rows[1]?.height ?? null, to: tip.height, points: series };
}
