import Fastify, { type FastifyInstance } from "fastify";
import { NodeMetrics } from "../api/metrics.js";
import type { AstramNode } from "../node.js";
import type { PeerControl } from "../p2p/peer-control.js";
import { INTERNAL_ERROR, RpcError } from "../rpc/errors.js";
import { JsonRpcDispatcher, type JsonRpcResponse } from "../rpc/json-rpc.js";
import { serveJsonRpc } from "../rpc/json-rpc-http.js";
import type { Method } from "../rpc/methods.js";
import { FastifyService } from "../util/fastify-service.js";
import { adminMethods } from "./admin-methods.js";
import { removeCookie, writeCookie } from "./cookie.js";
import { authorizationMatches, type Credentials, parseAdminPassword } from "./credentials.js";

export interface AdminOptions {
  readonly host: string;
  /** 0 binds an ephemeral port; read it back from `address`. */
  readonly port: number;
  /** ADMIN_PASSWORD ("user:password" or a password for `admin`); unset = a cookie file in the data directory. */
  readonly password?: string | undefined;
  readonly metrics?: NodeMetrics;
  /** Largest request body (admin calls are small). */
  readonly bodyLimit?: number;
  /** Pause before answering a refused request, against password guessing (default 250 ms). */
  readonly refusalDelayMs?: number;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/i;

/**
 * The operators' admin interface: JSON-RPC 2.0 over HTTP POST on its own port (127.0.0.1 by
 * default, never the public API's), HTTP Basic authentication with the `.cookie` the node writes at
 * start (mode 0600, removed on stop) or with ADMIN_PASSWORD. A request without valid credentials
 * gets 401 and an empty body, before its body is read.
 */
export class AdminService extends FastifyService {
  readonly name = "admin";
  private accepted: readonly Credentials[] = [];
  private wroteCookie = false;
  private running = false;

  constructor(
    node: AstramNode,
    private readonly control: PeerControl,
    private readonly opts: AdminOptions,
  ) {
    super(node, opts, opts.metrics ?? new NodeMetrics());
  }

  /** False when the port was taken at start (the node runs on without its admin interface). */
  get listening(): boolean {
    return this.running;
  }

  protected listeningMessage() {
    return {
      fields: { auth: this.opts.password === undefined ? "cookie" : "ADMIN_PASSWORD" },
      msg: "admin interface listening",
    };
  }

  async build(): Promise<FastifyInstance> {
    const app = Fastify({
      logger: false,
      forceCloseConnections: true,
      bodyLimit: this.opts.bodyLimit ?? 64 * 1024,
    });
    const delay = this.opts.refusalDelayMs ?? 250;
    app.addHook("onRequest", async (req, reply) => {
      if (authorizationMatches(req.headers.authorization, this.accepted)) return;
      this.node.log.warn(
        { service: this.name, from: req.ip },
        "admin request refused: bad or missing credentials",
      );
      await new Promise((r) => setTimeout(r, delay));
      return reply.code(401).header("www-authenticate", 'Basic realm="astram-admin"').send();
    });
    // Admin calls are not Ethereum JSON-RPC traffic: their counters stay out of the node's metrics.
    const dispatcher = new JsonRpcDispatcher(
      handledRejections(adminMethods(this.node, this.control)),
      { node: this.node, metrics: new NodeMetrics() },
      this.node.log,
    );
    serveJsonRpc(app, (text) => settle(dispatcher.handleText(text), this.node.log));
    return app;
  }

  override async start(): Promise<void> {
    if (this.running) return;
    const dataDir = this.node.settings.dataDir;
    const password = this.opts.password;
    if (password !== undefined) {
      this.accepted = [parseAdminPassword(password)];
      removeCookie(dataDir); // a stale cookie from a killed run would only mislead clients
    }
    try {
      await super.start();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EADDRINUSE") throw e;
      this.node.log.warn(
        { service: this.name, port: this.opts.port },
        "admin port in use: the node runs without its admin interface (set ADMIN_PORT)",
      );
      return;
    }
    if (password === undefined) {
      this.accepted = [writeCookie(dataDir)];
      this.wroteCookie = true;
    }
    this.running = true;
    if (!LOOPBACK.test(this.opts.host))
      this.node.log.warn(
        { service: this.name, host: this.opts.host },
        "admin interface on a non-loopback address: credentials cross the network in clear HTTP",
      );
  }

  override async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.wroteCookie) removeCookie(this.node.settings.dataDir);
    this.wroteCookie = false;
    this.accepted = [];
    await super.stop();
  }
}

/**
 * Marks the promises async methods return as handled: a notification (no id) drops its answer, and
 * its rejection must not end the process; settle() still sees the rejection of a call.
 */
function handledRejections(methods: Record<string, Method>): Record<string, Method> {
  const out: Record<string, Method> = {};
  for (const [name, fn] of Object.entries(methods))
    out[name] = (params, ctx) => {
      const r = fn(params, ctx);
      if (r instanceof Promise) r.catch(() => {});
      return r;
    };
  return out;
}

/** Awaits the results async methods (addpeer) left as promises; a rejection becomes an error object. */
async function settle(
  response: JsonRpcResponse | JsonRpcResponse[] | undefined,
  log: { error(obj: object, msg: string): void },
): Promise<JsonRpcResponse | JsonRpcResponse[] | undefined> {
  const one = async (r: JsonRpcResponse): Promise<JsonRpcResponse> => {
    if (!(r.result instanceof Promise)) return r;
    try {
      return { ...r, result: await r.result };
    } catch (e) {
      const err = e instanceof RpcError ? e : new RpcError(INTERNAL_ERROR, "internal error");
      if (!(e instanceof RpcError)) log.error({ err: e }, "admin method failed");
      return { jsonrpc: "2.0", id: r.id, error: { code: err.code, message: err.message } };
    }
  };
  if (response === undefined) return undefined;
  return Array.isArray(response) ? Promise.all(response.map(one)) : one(response);
}
