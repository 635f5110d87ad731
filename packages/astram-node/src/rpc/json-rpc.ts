import type { Logger } from "pino";
import { INTERNAL_ERROR, INVALID_REQUEST, METHOD_NOT_FOUND, PARSE_ERROR, RpcError } from "./errors.js";
import type { Method, MethodContext } from "./methods.js";

export type JsonRpcId = string | number | null;

export interface JsonRpcResponse {
  readonly jsonrpc: "2.0";
  readonly id: JsonRpcId;
  readonly result?: unknown;
  readonly error?: { code: number; message: string; data?: unknown };
}

/** Most requests one batch may carry (as geth's default). */
export const MAX_BATCH = 1000;

const errorResponse = (id: JsonRpcId, e: RpcError): JsonRpcResponse => ({
  jsonrpc: "2.0",
  id,
  error:
    e.data === undefined
      ? { code: e.code, message: e.message }
      : { code: e.code, message: e.message, data: e.data },
});

function validId(v: unknown): v is JsonRpcId {
  return v === null || typeof v === "string" || (typeof v === "number" && Number.isFinite(v));
}

/**
 * JSON-RPC 2.0 over a method table: single requests and batches, notifications (no id, no
 * answer), and the standard error codes (-32700 parse, -32600 invalid request, -32601 unknown
 * method, -32602 invalid params, -32603 internal, -32000 server).
 */
export class JsonRpcDispatcher {
  constructor(
    private readonly methods: Readonly<Record<string, Method>>,
    private readonly ctx: MethodContext,
    private readonly log: Logger,
  ) {}

  /** Answers a request body; undefined when nothing is to be sent (only notifications). */
  handleText(text: string): JsonRpcResponse | JsonRpcResponse[] | undefined {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (e) {
      return errorResponse(null, new RpcError(PARSE_ERROR, `parse error: ${(e as Error).message}`));
    }
    return this.handleValue(body);
  }

  handleValue(body: unknown): JsonRpcResponse | JsonRpcResponse[] | undefined {
    if (!Array.isArray(body)) return this.handleOne(body);
    if (body.length === 0) return errorResponse(null, new RpcError(INVALID_REQUEST, "empty batch"));
    if (body.length > MAX_BATCH)
      return errorResponse(
        null,
        new RpcError(INVALID_REQUEST, `batch of ${body.length} exceeds ${MAX_BATCH} requests`),
      );
    const out: JsonRpcResponse[] = [];
    for (const req of body) {
      const r = this.handleOne(req);
      if (r) out.push(r);
    }
    return out.length > 0 ? out : undefined;
  }

  handleOne(req: unknown): JsonRpcResponse | undefined {
    if (typeof req !== "object" || req === null || Array.isArray(req))
      return errorResponse(null, new RpcError(INVALID_REQUEST, "invalid request: expected an object"));
    const r = req as Record<string, unknown>;
    const hasId = "id" in r;
    const id = hasId && validId(r.id) ? r.id : null;
    if (hasId && !validId(r.id))
      return errorResponse(
        null,
        new RpcError(INVALID_REQUEST, "invalid request: id must be a string, number or null"),
      );
    if (r.jsonrpc !== "2.0")
      return errorResponse(id, new RpcError(INVALID_REQUEST, 'invalid request: jsonrpc must be "2.0"'));
    if (typeof r.method !== "string")
      return errorResponse(id, new RpcError(INVALID_REQUEST, "invalid request: method must be a string"));
    if (r.params !== undefined && (typeof r.params !== "object" || r.params === null))
      return errorResponse(
        id,
        new RpcError(INVALID_REQUEST, "invalid request: params must be an array or object"),
      );
    const response = this.call(id, r.method, r.params);
    return hasId ? response : undefined;
  }

  private call(id: JsonRpcId, method: string, params: unknown): JsonRpcResponse {
    const fn = Object.hasOwn(this.methods, method) ? this.methods[method] : undefined;
    if (!fn) {
      this.ctx.metrics.recordRpc("unknown", METHOD_NOT_FOUND);
      return errorResponse(
        id,
        new RpcError(METHOD_NOT_FOUND, `the method ${method} does not exist/is not available`),
      );
    }
    try {
      const result = fn(params, this.ctx);
      this.ctx.metrics.recordRpc(method);
      return { jsonrpc: "2.0", id, result };
    } catch (e) {
      if (e instanceof RpcError) {
        this.ctx.metrics.recordRpc(method, e.code);
        return errorResponse(id, e);
      }
      this.log.error({ err: e, method }, "JSON-RPC method failed");
      this.ctx.metrics.recordRpc(method, INTERNAL_ERROR);
      return errorResponse(id, new RpcError(INTERNAL_ERROR, "internal error"));
    }
  }
}
