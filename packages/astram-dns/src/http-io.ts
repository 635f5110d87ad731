import type { IncomingMessage, ServerResponse } from "node:http";
import { DnsError } from "./errors.js";

/** Headers on every response: permissive CORS (as the reference) and no caching of live data. */
const COMMON_HEADERS = {
  "access-control-allow-origin": "*",
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
};

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...COMMON_HEADERS,
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string) {
  res.writeHead(status, {
    ...COMMON_HEADERS,
    "content-type": "text/plain; charset=utf-8",
    "content-length": String(Buffer.byteLength(text)),
  });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string>) {
  res.writeHead(status, { ...COMMON_HEADERS, ...headers });
  res.end();
}

/** The error body shape shared by every endpoint; `/register` adds its own fields. */
export function errorBody(err: DnsError, extra: Record<string, unknown> = {}) {
  return { success: false, code: err.code, message: err.message, ...extra };
}

/**
 * Reads a JSON request body of at most `limit` bytes and parses it. Only `application/json`
 * (any charset parameter) without content encoding is accepted.
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") {
    throw new DnsError("UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json", 415);
  }
  const encoding = (req.headers["content-encoding"] ?? "identity").trim().toLowerCase();
  if (encoding !== "identity") {
    throw new DnsError("UNSUPPORTED_MEDIA_TYPE", "Content-Encoding is not supported", 415);
  }
  const tooLarge = () => new DnsError("BODY_TOO_LARGE", `Request body exceeds ${limit} bytes`, 413);
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") throw new DnsError("INVALID_BODY", "Request body is empty", 400);
  try {
    return JSON.parse(text);
  } catch {
    throw new DnsError("INVALID_BODY", "Request body is not valid JSON", 400);
  }
}
