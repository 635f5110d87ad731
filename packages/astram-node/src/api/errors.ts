import { CodecError, VerifyError } from "astram-core";
import type { FastifyError, FastifyInstance } from "fastify";

/** The JSON body of every API error. */
export interface ApiErrorBody {
  status: "error";
  code: string;
  message: string;
}

/** An error the API reports with an HTTP status and a stable code. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string): ApiError => new ApiError(404, "not-found", `${what} not found`);
export const badRequest = (code: string, message: string): ApiError => new ApiError(400, code, message);

/** Maps any thrown error to (HTTP status, body). VerifyError and codec errors are the client's fault. */
export function toErrorReply(err: unknown): { statusCode: number; body: ApiErrorBody } {
  if (err instanceof ApiError)
    return { statusCode: err.statusCode, body: { status: "error", code: err.code, message: err.message } };
  if (err instanceof VerifyError)
    return { statusCode: 400, body: { status: "error", code: err.code, message: err.reason } };
  if (err instanceof CodecError)
    return {
      statusCode: 400,
      body: { status: "error", code: "invalid-bincode", message: `invalid bincode: ${err.message}` },
    };
  const fe = err as Partial<FastifyError> & { validation?: unknown };
  if (fe.validation) {
    return {
      statusCode: 400,
      body: { status: "error", code: "bad-request", message: fe.message ?? "bad request" },
    };
  }
  if (typeof fe.statusCode === "number" && fe.statusCode >= 400 && fe.statusCode < 500) {
    return {
      statusCode: fe.statusCode,
      body: { status: "error", code: fe.code ?? "bad-request", message: fe.message ?? "bad request" },
    };
  }
  return { statusCode: 500, body: { status: "error", code: "internal", message: "internal error" } };
}

/** JSON error replies for every failure, and for unknown routes. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err, req, reply) => {
    const { statusCode, body } = toErrorReply(err);
    if (statusCode >= 500) req.log.error({ err }, "request failed");
    return reply.code(statusCode).type("application/json; charset=utf-8").send(body);
  });
  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .send({ status: "error", code: "not-found", message: `no route ${req.method} ${req.url}` }),
  );
}
