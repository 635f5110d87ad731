import type { FastifyInstance } from "fastify";
import type { ApiContext } from "../context.js";
import { search } from "../queries/search.js";
import { chainStats, charts } from "../queries/stats.js";

/** /api/health, /api/status, /api/stats, /api/charts, /api/search, /api/mempool. */
export function chainRoutes(app: FastifyInstance, { db, indexer }: ApiContext): void {
  app.get("/api/health", async () => {
    const s = indexer.status();
    return { status: "ok", indexed_height: s.indexedHeight, timestamp: Math.floor(Date.now() / 1000) };
  });

  app.get("/api/status", async () => {
    const s = indexer.status();
    return {
      indexed_height: s.indexedHeight,
      indexed_hash: s.indexedHash,
      node_height: s.nodeHeight,
      node_tip: s.nodeTip,
      syncing: s.syncing,
      blocks_indexed: s.blocksIndexed,
      blocks_rolled_back: s.blocksRolledBack,
      reorgs: s.reorgs,
      last_error: s.lastError,
      node: s.node && {
        network: s.node.network,
        chain_id: s.node.chainId,
        next_difficulty: s.node.nextDifficulty,
        target_spacing: s.node.targetSpacing,
      },
    };
  });

  app.get("/api/stats", async () => chainStats(db, indexer));

  app.get<{ Querystring: { blocks: number; points: number } }>(
    "/api/charts",
    {
      schema: {
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            blocks: { type: "integer", minimum: 2, maximum: 100_000, default: 1000 },
            points: { type: "integer", minimum: 1, maximum: 1000, default: 100 },
          },
        },
      },
    },
    async (req) => charts(db, req.query.blocks, req.query.points),
  );

  app.get<{ Querystring: { q: string } }>(
    "/api/search",
    {
      schema: {
        querystring: {
          type: "object",
          required: ["q"],
          additionalProperties: false,
          properties: { q: { type: "string", maxLength: 200 } },
        },
      },
    },
    async (req) => search(db, indexer.mempool, req.query.q),
  );

  app.get<{ Querystring: { limit: number } }>(
    "/api/mempool",
    {
      schema: {
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { limit: { type: "integer", minimum: 1, maximum: 1000, default: 100 } },
        },
      },
    },
    async (req) => {
      const m = indexer.mempool;
      return {
        count: m.count,
        bytes: m.bytes,
        total_fees: m.totalFees.toString(),
        updated_at: m.updatedAt === 0 ? null : Math.floor(m.updatedAt / 1000),
        transactions: m.transactions.slice(0, req.query.limit).map((p) => ({
          txid: p.txid,
          eth_hash: p.ethHash,
          size: p.size,
          fee: p.fee.toString(),
          fee_per_byte: p.size > 0 ? (p.fee / BigInt(p.size)).toString() : null,
          input_count: p.tx.inputs.length,
          output_count: p.tx.outputs.length,
          output_total: p.outputTotal.toString(),
          amount: p.amount.toString(),
          from: p.inputs[0]?.address ?? null,
          added_at: p.addedAt,
        })),
      };
    },
  );
}
