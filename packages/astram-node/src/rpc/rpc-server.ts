import cors from "@fastify/cors";
import Fastify, { type FastifyInstance } from "fastify";
import { NodeMetrics } from "../api/metrics.js";
import type { AstramNode } from "../node.js";
import { FastifyService } from "../util/fastify-service.js";
import { ethState } from "./eth-state.js";
import { JsonRpcDispatcher } from "./json-rpc.js";
import { serveJsonRpc } from "./json-rpc-http.js";
import { METHODS } from "./methods.js";
import { serveWebSocket } from "./ws-server.js";

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
 * any origin, preflight answered for POST with Content-Type and Authorization; WebSocket
 * (subscriptions) on the same port.
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
    const bodyLimit = this.opts.bodyLimit ?? 5 * 1024 * 1024;
    const app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit });
    await app.register(cors, {
      origin: "*",
      methods: ["GET", "POST", "OPTIONS"],
      allowedHeaders: ["Content-Type", "Authorization"],
      maxAge: 86_400,
    });
    ethState(this.node); // the nonce queue follows the mempool from the start
    const dispatcher = new JsonRpcDispatcher(
      METHODS,
      { node: this.node, metrics: this.metrics },
      this.node.log,
    );
    serveJsonRpc(app, (text) => dispatcher.handleText(text), { allow: "POST, OPTIONS" });
    serveWebSocket(app, this.node, this.metrics, this.node.log, bodyLimit);
    return app;
  }
}
