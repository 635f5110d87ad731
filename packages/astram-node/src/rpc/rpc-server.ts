import cors from "@fastify/cors";
import Fastify, { type FastifyInstance } from "fastify";
import { NodeMetrics } from "../api/metrics.js";
import type { AstramNode } from "../node.js";
import { FastifyService } from "../util/fastify-service.js";
import { INVALID_REQUEST } from "./errors.js";
import { JsonRpcDispatcher } from "./json-rpc.js";
import { METHODS } from "./methods.js";

export interface EthRpcOptions {
  readonly host: string;
  /** 0 binds an ephemeral port; read it back from `address`. */
  readonly port: number;
  readonly metrics?: NodeMetrics;
  /** Largest request body (a batch of up to 1000 calls). */
  readonly bodyLimit?: number;
}

/**
 * The Ethereum JSON-RPC endpoint (POST /, JSON-RPC 2.0, batches) with CORS for browser wallets:
 * any origin, preflight answered for POST with Content-Type and Authorization.
 */
export class EthRpcService extends FastifyService {
  readonly name = "eth-rpc";

  constructor(
    node: AstramNode,
    private readonly opts: EthRpcOptions,
  ) {
    super(node, opts, opts.metrics ?? new NodeMetrics());
  }

  protected listeningMessage() {
    return { fields: { chainId: this.node.params.chainId }, msg: "Ethereum JSON-RPC listening" };
  }

  async build(): Promise<FastifyInstance> {
    const app = Fastify({
      logger: false,
      forceCloseConnections: true,
      bodyLimit: this.opts.bodyLimit ?? 5 * 1024 * 1024,
    });
    await app.register(cors, {
      origin: "*",
      methods: ["GET", "POST", "OPTIONS"],
      allowedHeaders: ["Content-Type", "Authorization"],
      maxAge: 86_400,
    });
    const dispatcher = new JsonRpcDispatcher(
      METHODS,
      { node: this.node, metrics: this.metrics },
      this.node.log,
    );
    // Every body is parsed here, whatever its content type, so bad JSON is a JSON-RPC parse error.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser("*", { parseAs: "string" }, (_req, body, done) => done(null, body));
    const rpcError = (statusCode: number, message: string) => ({
      statusCode,
      body: { jsonrpc: "2.0", id: null, error: { code: INVALID_REQUEST, message } },
    });
    app.setErrorHandler((err: { statusCode?: number; message?: string }, _req, reply) => {
      const status = typeof err.statusCode === "number" && err.statusCode < 500 ? err.statusCode : 500;
      const message =
        status === 413
          ? "request body too large"
          : status === 500
            ? "internal error"
            : (err.message ?? "bad request");
      const { statusCode, body } = rpcError(status, message);
      return reply.code(statusCode).send(body);
    });
    app.setNotFoundHandler((req, reply) => {
      const { body } = rpcError(404, `no route ${req.method} ${req.url}: POST JSON-RPC 2.0 requests to /`);
      return reply.code(404).send(body);
    });
    app.post("/", async (req, reply) => {
      const text = typeof req.body === "string" ? req.body : "";
      const response = dispatcher.handleText(text);
      if (response === undefined) return reply.code(204).send();
      return reply.type("application/json; charset=utf-8").send(JSON.stringify(response));
    });
    app.get("/", async (_req, reply) =>
      reply
        .code(405)
        .header("allow", "POST, OPTIONS")
        .send({
          jsonrpc: "2.0",
          id: null,
          error: { code: INVALID_REQUEST, message: "POST JSON-RPC 2.0 requests to /" },
        }),
    );
    return app;
  }
}
