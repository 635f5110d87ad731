import type { FastifyInstance } from "fastify";
import type { ApiContext } from "../context.js";
import { renderMetrics } from "../prometheus.js";
import { nodeStatus } from "../queries/node-status.js";

/** GET /health and GET /status. */
export function statusRoutes(app: FastifyInstance, { node, metrics }: ApiContext): void {
  app.get("/health", async () => ({
    status: "ok",
    height: node.chain.height,
    tip: node.chain.tip.hash,
    timestamp: Math.floor(Date.now() / 1000),
  }));
  app.get("/status", async () => nodeStatus(node, metrics));
}

/** GET /metrics (Prometheus text format). */
export function metricsRoutes(app: FastifyInstance, { node, metrics }: ApiContext): void {
  app.get("/metrics", async (_req, reply) =>
    reply.type("text/plain; version=0.0.4; charset=utf-8").send(renderMetrics(node, metrics)),
  );
}
