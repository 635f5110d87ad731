import Fastify, { type FastifyInstance } from "fastify";
import { registerDashboard } from "../dashboard/dashboard.js";
import type { AstramNode } from "../node.js";
import { FastifyService } from "../util/fastify-service.js";
import type { ApiContext } from "./context.js";
import { installErrorHandlers } from "./errors.js";
import { NodeMetrics } from "./metrics.js";
import { addressRoutes } from "./routes/address.js";
import { blockRoutes } from "./routes/blocks.js";
import { mempoolRoutes } from "./routes/mempool.js";
import { miningReadRoutes, miningWriteRoutes } from "./routes/mining.js";
import { metricsRoutes, statusRoutes } from "./routes/status.js";
import { transactionReadRoutes, transactionWriteRoutes } from "./routes/transactions.js";

export interface HttpApiOptions {
  readonly host: string;
  /** 0 binds an ephemeral port; read it back from `address`. */
  readonly port: number;
  /**
   * Read-only public API: only the JSON read routes (no POST /tx, /mining/submit, dashboard or
   * /metrics), with CORS open to any origin.
   */
  readonly readOnly?: boolean;
  readonly metrics?: NodeMetrics;
  readonly name?: string;
}

/**
 * The node's HTTP API and dashboard (fastify). Every read is served from the chain's indexes or
 * memory; writes go through the node's single admission paths (submitTransaction, submitBlock).
 */
export class HttpApiService extends FastifyService {
  readonly name: string;

  constructor(
    node: AstramNode,
    private readonly opts: HttpApiOptions,
  ) {
    super(node, opts, opts.metrics ?? new NodeMetrics());
    this.name = opts.name ?? (opts.readOnly ? "public-api" : "http-api");
  }

  protected listeningMessage() {
    return {
      fields: { readOnly: this.opts.readOnly ?? false },
      msg: this.opts.readOnly ? "public read-only API listening" : "HTTP API and dashboard listening",
    };
  }

  /** Builds the fastify app without listening (tests may use app.inject). */
  async build(): Promise<FastifyInstance> {
    const app = Fastify({
      logger: false,
      ajv: { customOptions: { removeAdditional: false, coerceTypes: "array", allErrors: false } },
      forceCloseConnections: true,
    });
    installErrorHandlers(app);
    app.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));
    app.addHook("onResponse", async (req, reply) => {
      this.metrics.recordHttp(req.method, req.routeOptions.url ?? "unmatched", reply.statusCode);
    });
    const ctx: ApiContext = { node: this.node, metrics: this.metrics };
    if (this.opts.readOnly) {
      app.addHook("onRequest", async (req, reply) => {
        reply.header("access-control-allow-origin", "*");
        if (req.method !== "GET" && req.method !== "HEAD" && req.method !== "OPTIONS") {
          return reply.code(405).header("allow", "GET, HEAD").send({
            status: "error",
            code: "read-only",
            message:
              "this is the read-only public API; submit transactions and blocks to the node's private HTTP API",
          });
        }
      });
    }
    statusRoutes(app, ctx);
    addressRoutes(app, ctx);
    transactionReadRoutes(app, ctx);
    blockRoutes(app, ctx);
    mempoolRoutes(app, ctx);
    miningReadRoutes(app, ctx);
    if (!this.opts.readOnly) {
      transactionWriteRoutes(app, ctx);
      miningWriteRoutes(app, ctx);
      metricsRoutes(app, ctx);
      await registerDashboard(app);
    }
    return app;
  }
}
