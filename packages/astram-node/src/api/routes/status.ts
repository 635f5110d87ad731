import type { FastifyInstance } from "fastify";
import type { ApiContext } from "../context.js";
import { renderMetrics } from "../prometheus.js";
import { nodeStatus } from "../queries/node-status.js";
import { amountSchema, noQuery } from "../schemas.js";

const int = { type: "integer" } as const;
const str = { type: "string" } as const;
const obj = (properties: Record<string, unknown>) => ({ type: "object", properties }) as const;

/** The shape of GET /status (also what fastify serializes it with). */
export const statusSchema = obj({
  node: obj({
    version: str,
    network: str,
    network_id: str,
    chain_id: int,
    uptime_seconds: int,
    started_at: str,
  }),
  blockchain: obj({
    height: int,
    chain_tip: str,
    tip_timestamp: int,
    tip_difficulty: int,
    difficulty: int,
    chain_work: amountSchema,
    target_spacing: int,
    utxo_count: int,
  }),
  sync: obj({
    syncing: { type: "boolean" },
    starting_height: int,
    current_height: int,
    highest_height: int,
    progress_percent: { type: "number" },
  }),
  mempool: obj({
    pending_transactions: int,
    bytes: int,
    total_fees: amountSchema,
    max_size: int,
    max_bytes: int,
  }),
  network: obj({
    connected_peers: int,
    peers: {
      type: "array",
      items: obj({
        id: str,
        address: str,
        direction: str,
        height: int,
        version: str,
        connected_at: int,
        ban_score: { type: "number" },
      }),
    },
    peer_heights: { type: "object", additionalProperties: int },
    subnet_diversity: obj({ unique_24_subnets: int, unique_16_subnets: int }),
  }),
  mining: obj({
    active: { type: "boolean" },
    hashrate: { type: "number" },
    backend: { type: ["string", "null"] },
    threads: int,
    difficulty: int,
    blocks_mined: int,
  }),
  wallet: obj({ address: { type: ["string", "null"] }, balance: amountSchema, balance_asrm: str }),
  security: obj({
    validation_failures_total: int,
    validation_failures: { type: "array", items: { type: "array", items: [str, int] } },
  }),
  timestamp: str,
});

/** GET /health and GET /status. */
export function statusRoutes(app: FastifyInstance, { node, metrics }: ApiContext): void {
  app.get("/health", { schema: { querystring: noQuery } }, async () => ({
    status: "ok",
    height: node.chain.height,
    tip: node.chain.tip.hash,
    timestamp: Math.floor(Date.now() / 1000),
  }));
  app.get("/status", { schema: { querystring: noQuery, response: { 200: statusSchema } } }, async () =>
    nodeStatus(node, metrics),
  );
}

/** GET /metrics (Prometheus text format). */
export function metricsRoutes(app: FastifyInstance, { node, metrics }: ApiContext): void {
  app.get("/metrics", { schema: { querystring: noQuery } }, async (_req, reply) =>
    reply.type("text/plain; version=0.0.4; charset=utf-8").send(renderMetrics(node, metrics)),
  );
}
