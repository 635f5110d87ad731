import type { FastifyInstance } from "fastify";
import { INVALID_REQUEST } from "./errors.js";
import type { JsonRpcResponse } from "./json-rpc.js";

/** Answers a request body; undefined when nothing is to be sent (only notifications). */
export type JsonRpcHandler = (
  text: string,
) =>
  | JsonRpcResponse
  | JsonRpcResponse[]
  | undefined
  | Promise<JsonRpcResponse | JsonRpcResponse[] | undefined>;

/**
 * Serves JSON-RPC 2.0 at POST / on a fastify app: every body is read as text whatever its content
 * type (so bad JSON is a JSON-RPC parse error), transport errors (too large, unknown route, GET)
 * are answered as JSON-RPC error objects with their HTTP status.
 */
export function serveJsonRpc(
  app: FastifyInstance,
  handle: JsonRpcHandler,
  opts: { /** Methods the Allow header of a GET's 405 names. */ readonly allow?: string } = {},
): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string" }, (_req, body, done) => done(null, body));
  const rpcError = (message: string) => ({
    jsonrpc: "2.0",
    id: null,
    error: { code: INVALID_REQUEST, message },
  });
  app.setErrorHandler((err: { statusCode?: number; message?: string }, _req, reply) => {
    const status = typeof err.statusCode === "number" && err.statusCode < 500 ? err.statusCode : 500;
    const message =
      status === 413
        ? "request body too large"
        : status === 500
          ? "internal error"
          : (err.message ?? "bad request");
    return reply.code(status).send(rpcError(message));
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send(rpcError(`no route ${req.method} ${req.url}: POST JSON-RPC 2.0 requests to /`)),
  );
  app.post("/", async (req, reply) => {
    const response = await handle(typeof req.body === "string" ? req.body : "");
    if (response === undefined) return reply.code(204).send();
    return reply.type("application/json; charset=utf-8").send(JSON.stringify(response));
  });
  app.get("/", async (_req, reply) =>
    reply
      .code(405)
      .header("allow", opts.allow ?? "POST")
      .send(rpcError("POST JSON-RPC 2.0 requests to /")),
  );
}
