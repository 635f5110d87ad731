import { request } from "node:http";
import type { NodeSettings } from "../config/settings.js";
import { readCookie } from "./cookie.js";
import { basicAuthorization, type Credentials, parseAdminPassword } from "./credentials.js";

/** Where a running node's admin interface is and how to log in. */
export interface AdminEndpoint {
  readonly host: string;
  readonly port: number;
  readonly credentials: Credentials;
}

export type AdminClientErrorCode = "NOT_RUNNING" | "UNAUTHORIZED" | "RPC_ERROR" | "BAD_RESPONSE" | "TIMEOUT";

/** A failed admin call, with a message meant to be printed on one line. */
export class AdminClientError extends Error {
  override readonly name = "AdminClientError";
  constructor(
    readonly code: AdminClientErrorCode,
    message: string,
    /** The JSON-RPC error code, for RPC_ERROR. */
    readonly rpcCode?: number,
  ) {
    super(message);
  }
}

/**
 * The admin endpoint of the node these settings describe, for a client on the same machine: its
 * ADMIN_BIND_ADDR (a wildcard bind is reached on loopback) and ADMIN_PORT, and ADMIN_PASSWORD when
 * set, else the cookie in its data directory (NoCookieError when there is none).
 */
export function resolveAdminEndpoint(settings: NodeSettings): AdminEndpoint {
  const bind = settings.adminBindAddr;
  const password = settings.adminPassword;
  return {
    host: bind === "0.0.0.0" ? "127.0.0.1" : bind === "::" ? "::1" : bind,
    port: settings.adminPort,
    credentials: password === undefined ? readCookie(settings.dataDir) : parseAdminPassword(password),
  };
}

let nextId = 1;

/** The largest answer read (an address book of thousands of entries fits many times). */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

/**
 * POSTs a body and reads the answer with node:http (fetch refuses the ports the Fetch standard
 * lists as unsafe, and an operator may pick one of them for ADMIN_PORT).
 */
function post(
  endpoint: AdminEndpoint,
  body: string,
  timeoutMs: number,
): Promise<{ readonly status: number; readonly text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: endpoint.host,
        port: endpoint.port,
        method: "POST",
        path: "/",
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          authorization: basicAuthorization(endpoint.credentials),
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size > MAX_ANSWER_BYTES) req.destroy(new Error(`answer larger than ${MAX_ANSWER_BYTES} bytes`));
          else chunks.push(c);
        });
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(Object.assign(new Error("timeout"), { code: "TIMEOUT" })));
    req.on("error", reject);
    req.end(body);
  });
}

/** One JSON-RPC call to the admin interface; resolves to its result or throws AdminClientError. */
export async function callAdmin(
  endpoint: AdminEndpoint,
  method: string,
  params: Record<string, unknown> = {},
  opts: { readonly timeoutMs?: number } = {},
): Promise<unknown> {
  const where = `${endpoint.host.includes(":") ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`;
  let res: { status: number; text: string };
  try {
    res = await post(
      endpoint,
      JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params }),
      opts.timeoutMs ?? 30_000,
    );
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === "TIMEOUT")
      throw new AdminClientError("TIMEOUT", `no answer from the admin interface at ${where} in time`);
    throw new AdminClientError(
      "NOT_RUNNING",
      err.code === "ECONNREFUSED"
        ? `cannot reach the admin interface at ${where} (connection refused): is the node running? admin port ${endpoint.port}`
        : `cannot reach the admin interface at ${where}: ${err.message}`,
    );
  }
  if (res.status === 401)
    throw new AdminClientError(
      "UNAUTHORIZED",
      `the admin interface at ${where} refused the credentials (HTTP 401): a stale cookie, another node on that port, or a wrong password`,
    );
  let body: { result?: unknown; error?: { code: number; message: string } };
  try {
    body = JSON.parse(res.text);
  } catch {
    throw new AdminClientError(
      "BAD_RESPONSE",
      `unexpected answer from ${where} (HTTP ${res.status}): ${res.text.slice(0, 100)}`,
    );
  }
  if (body.error)
    throw new AdminClientError("RPC_ERROR", `${method}: ${body.error.message}`, body.error.code);
  if (!("result" in body))
    throw new AdminClientError("BAD_RESPONSE", `unexpected answer from ${where} (HTTP ${res.status})`);
  return body.result;
}
