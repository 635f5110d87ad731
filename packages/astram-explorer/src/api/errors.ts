import type { FastifyError, FastifyInstance } from "fastify";

/** An API failure with an HTTP status and a stable code; the body is {status, code, message}. */
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

/** JSON error bodies for every failure (validation: 400; unknown API route: 404). */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | ApiError, req, reply) => {
    if (err instanceof ApiError)
      return reply.code(err.statusCode).send({ status: "error", code: err.code, message: err.message });
    if ((err as FastifyError).validation)
      return reply.code(400).send({ status: "error", code: "bad-request", message: err.message });
    const status = (err as FastifyError).statusCode;
    if (typeof status === "number" && status >= 400 && status < 500)
      return reply.code(status).send({ status: "error", code: "bad-request", message: err.message });
    req.log.error({ err }, "request failed");
    return reply.code(500).send({ status: "error", code: "internal", message: "internal error" });
  });
}
