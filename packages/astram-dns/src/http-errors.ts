import { DnsError } from "./errors.js";

/** fastify's own error codes mapped to ours, so every answer has the same JSON shape. */
const FASTIFY_CODES: Record<string, [DnsError["code"], number, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ["BODY_TOO_LARGE", 413, "Request body exceeds the limit"],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ["UNSUPPORTED_MEDIA_TYPE", 415, "Content-Type must be application/json"],
  FST_ERR_CTP_EMPTY_JSON_BODY: ["INVALID_BODY", 400, "Request body is empty"],
  FST_ERR_CTP_INVALID_JSON_BODY: ["INVALID_BODY", 400, "Request body is not valid JSON"],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ["INVALID_BODY", 400, "Content-Length does not match the body"],
};

/** Any error thrown while serving a request, as a `DnsError` (unknown errors become INTERNAL 500). */
export function toDnsError(err: unknown, bodyLimit: number): DnsError {
  if (err instanceof DnsError) return err;
  const e = err as { code?: unknown; statusCode?: unknown };
  const known = typeof e.code === "string" ? FASTIFY_CODES[e.code] : undefined;
  if (known !== undefined) {
    const [code, status, message] = known;
    return new DnsError(
      code,
      code === "BODY_TOO_LARGE" ? `Request body exceeds ${bodyLimit} bytes` : message,
      status,
    );
  }
  // secure-json-parse refuses "__proto__" / "constructor.prototype" keys with a 400 SyntaxError.
  if (err instanceof SyntaxError || e.statusCode === 400) {
    return new DnsError("INVALID_BODY", "Request body is not valid JSON", 400);
  }
  if (typeof e.statusCode === "number" && e.statusCode >= 400 && e.statusCode < 500) {
    return new DnsError("INVALID_REQUEST", "Invalid request", e.statusCode);
  }
  return new DnsError("INTERNAL", "Internal server error", 500);
}

/** The error body shared by every endpoint; `/register` adds its own fields. */
export function errorBody(err: DnsError, extra: Record<string, unknown> = {}) {
  return { success: false, code: err.code, message: err.message, ...extra };
}
