import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { clientAddress, proxyMatcher } from "./client-address.js";
import { CONFIG_KEYS, type ConfigKey, type DnsConfig, resolveConfig } from "./config.js";
import { DnsError, type DnsErrorCode } from "./errors.js";
import { HealthChecker } from "./health.js";
import { errorBody, readJsonBody, sendEmpty, sendJson, sendText } from "./http-io.js";
import { formatEndpoint } from "./ip.js";
import { createLogger, type Logger } from "./logger.js";
import { type ProbeFn, tcpProbe } from "./probe.js";
import { RateLimiter } from "./rate-limit.js";
import { Registrar } from "./register.js";
import { Registry } from "./registry.js";

export interface DnsServerOptions extends Partial<DnsConfig> {
  /** A pino logger or anything with its call shape; default: pino, JSON lines on stdout at `logLevel`. */
  logger?: Logger;
  /** Clock in Unix milliseconds (tests move time forward instead of sleeping). */
  now?: () => number;
  /** Reachability check used by registration and health checks (default: TCP connect). */
  probe?: ProbeFn;
  /** How often stale entries are purged in the background (default: min(60 s, max-age)). */
  purgeIntervalMs?: number;
}

export interface ListenInfo {
  host: string;
  port: number;
  url: string;
}

export interface DnsServer {
  readonly config: Readonly<DnsConfig>;
  start(): Promise<ListenInfo>;
  stop(): Promise<void>;
  /** Runs one health-check round now (also runs every `health-interval`). */
  checkHealth(): Promise<void>;
  /** Removes expired entries now (also runs on a timer and before `/nodes`, `/stats`, `/health`). */
  purge(): void;
  readonly nodeCount: number;
}

/** `/nodes` without `limit` returns this many; larger limits are capped at `MAX_LIST_LIMIT`. */
export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 1000;
const MINUTE_MS = 60_000;
/** Health probes in flight at once during a round. */
const HEALTH_CONCURRENCY = 32;

// A Map, not an object literal: a request path such as "constructor" must not find a prototype member.
const ROUTES = new Map<string, readonly string[]>([
  ["/", ["GET", "HEAD"]],
  ["/health", ["GET", "HEAD"]],
  ["/register", ["POST"]],
  ["/nodes", ["GET", "HEAD"]],
  ["/stats", ["GET", "HEAD"]],
]);

/** Builds the discovery server; nothing listens until `start()`. */
export function createDnsServer(options: DnsServerOptions = {}): DnsServer {
  const overrides: Partial<Record<ConfigKey, unknown>> = {};
  for (const key of CONFIG_KEYS) overrides[key] = options[key];
  const config = resolveConfig({ overrides });
  const logger = options.logger ?? createLogger(config.logLevel);
  const now = options.now ?? Date.now;
  const probe = options.probe ?? tcpProbe;
  const maxAgeMs = config.maxAge * 1000;
  const registry = new Registry({ maxAgeMs, probeTimeoutMs: config.probeTimeout * 1000 });
  const isTrustedProxy = config.trustProxy.length > 0 ? proxyMatcher(config.trustProxy) : undefined;
  const requestLimiter = new RateLimiter({ limit: config.requestRate, windowMs: MINUTE_MS, now });
  const registerLimiter = new RateLimiter({ limit: config.registerRate, windowMs: MINUTE_MS, now });
  let abort = new AbortController();
  let registrar = newRegistrar();
  const health = new HealthChecker({
    registry,
    probe,
    intervalMs: config.healthInterval * 1000,
    timeoutMs: config.probeTimeout * 1000,
    maxFailures: config.healthFailures,
    concurrency: HEALTH_CONCURRENCY,
    now,
    logger,
  });
  let purgeTimer: NodeJS.Timeout | undefined;
  let listening: ListenInfo | undefined;

  function newRegistrar(): Registrar {
    return new Registrar({ config, registry, probe, now, logger, signal: abort.signal });
  }

  function purge(): void {
    for (const node of registry.purgeStale(now())) {
      logger.info(
        {
          event: "expired",
          address: node.address,
          port: node.port,
          last_seen: node.last_seen,
          node_count: registry.size,
        },
        "node expired",
      );
    }
  }

  const unixNow = () => Math.floor(now() / 1000);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const ip = clientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], isTrustedProxy);
    const rawUrl = req.url ?? "/";
    const q = rawUrl.indexOf("?");
    const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const query = new URLSearchParams(q < 0 ? "" : rawUrl.slice(q + 1));
    const method = req.method ?? "GET";
    const isRegister = path === "/register" && method === "POST";

    const limited = requestLimiter.hit(ip);
    const registerLimited = limited.allowed && isRegister ? registerLimiter.hit(ip) : limited;
    if (!registerLimited.allowed) {
      const limiter = limited.allowed ? registerLimiter : requestLimiter;
      const what = limited.allowed ? "registrations" : "requests";
      const retryAfter = Math.max(1, Math.ceil(registerLimited.retryAfterMs / 1000));
      logger.debug({ event: "rate_limited", address: ip, path, what });
      const err = new DnsError(
        "RATE_LIMITED",
        `Too many ${what} from ${ip}: at most ${limiter.limit} per minute; retry in ${retryAfter} s`,
        429,
      );
      const extra = isRegister
        ? { node_count: registry.size, registered_address: ip, registered_port: 0, retry_after: retryAfter }
        : { retry_after: retryAfter };
      sendJson(res, 429, errorBody(err, extra), { "retry-after": String(retryAfter) });
      return;
    }

    const allowed = ROUTES.get(path);
    if (method === "OPTIONS" && allowed !== undefined) {
      sendEmpty(res, 204, {
        "access-control-allow-methods": [...allowed, "OPTIONS"].join(", "),
        "access-control-allow-headers": "content-type",
        "access-control-max-age": "600",
      });
      return;
    }
    if (allowed === undefined) throw new DnsError("NOT_FOUND", `No route ${method} ${path}`, 404);
    if (!allowed.includes(method)) {
      res.setHeader("allow", [...allowed, "OPTIONS"].join(", "));
      throw new DnsError("METHOD_NOT_ALLOWED", `Method ${method} is not allowed on ${path}`, 405);
    }

    switch (path) {
      case "/":
        sendText(res, 200, "Astram DNS Server");
        return;
      case "/health":
        purge();
        sendJson(res, 200, { status: "healthy", node_count: registry.size, timestamp: unixNow() });
        return;
      case "/register": {
        let body: unknown;
        try {
          body = await readJsonBody(req, config.bodyLimit);
        } catch (err) {
          if (!(err instanceof DnsError)) throw err;
          const extra = { node_count: registry.size, registered_address: ip, registered_port: 0 };
          const headers: Record<string, string> = err.status === 413 ? { connection: "close" } : {};
          sendJson(res, err.status, errorBody(err, extra), headers);
          return;
        }
        const result = await registrar.register(ip, body);
        sendJson(res, result.status, result.body);
        return;
      }
      case "/nodes": {
        const limit = Math.min(queryInt(query, "limit", DEFAULT_LIST_LIMIT), MAX_LIST_LIMIT);
        const minHeight = queryInt(query, "min_height", 0);
        purge();
        const nodes = registry.list({ limit, minHeight }, now());
        sendJson(res, 200, { nodes, count: nodes.length });
        return;
      }
      case "/stats":
        purge();
        sendJson(res, 200, { ...registry.stats(), timestamp: unixNow() });
        return;
    }
  }

  const server = createServer(
    // Slow or idle clients must not hold sockets: bound headers, whole requests and keep-alive.
    { headersTimeout: 10_000, requestTimeout: 15_000, keepAliveTimeout: 5_000, maxHeaderSize: 8192 },
    (req, res) => {
      handle(req, res).catch((err: unknown) => {
        const known = err instanceof DnsError ? err : undefined;
        if (known === undefined) logger.error({ event: "internal_error", err }, "request failed");
        const e = known ?? new DnsError("INTERNAL", "Internal server error", 500);
        if (res.headersSent) {
          res.destroy();
          return;
        }
        sendJson(res, e.status, errorBody(e));
      });
    },
  );
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    // Malformed HTTP never reaches a handler: answer with the same JSON error shape and close.
    if (err.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = err.code === "HPE_HEADER_OVERFLOW" ? 431 : 400;
    const code: DnsErrorCode = "INVALID_REQUEST";
    const body = JSON.stringify({ success: false, code, message: "Malformed HTTP request" });
    socket.end(
      `HTTP/1.1 ${status} ${status === 431 ? "Request Header Fields Too Large" : "Bad Request"}\r\n` +
        `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
        `connection: close\r\n\r\n${body}`,
    );
  });

  return {
    config,
    get nodeCount() {
      return registry.size;
    },
    checkHealth: () => health.runOnce(),
    purge,
    async start() {
      if (listening !== undefined) return listening;
      abort = new AbortController();
      registrar = newRegistrar();
      await new Promise<void>((resolve, reject) => {
        const onError = (err: Error) => reject(err);
        server.once("error", onError);
        server.listen({ host: config.host, port: config.port }, () => {
          server.off("error", onError);
          resolve();
        });
      });
      const addr = server.address() as AddressInfo;
      listening = {
        host: addr.address,
        port: addr.port,
        url: `http://${formatEndpoint(addr.address, addr.port)}`,
      };
      health.start();
      const purgeEvery = options.purgeIntervalMs ?? Math.min(MINUTE_MS, maxAgeMs);
      purgeTimer = setInterval(purge, Math.max(purgeEvery, 10));
      purgeTimer.unref();
      logger.info({ event: "listening", ...listening, max_age: config.maxAge }, "astram-dns listening");
      return listening;
    },
    async stop() {
      if (listening === undefined) return;
      listening = undefined;
      clearInterval(purgeTimer);
      abort.abort();
      await health.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      logger.info({ event: "stopped" }, "astram-dns stopped");
    },
  };
}

/** A non-negative integer query parameter; absent means `fallback`, anything else is a 400. */
function queryInt(query: URLSearchParams, name: string, fallback: number): number {
  const raw = query.get(name);
  if (raw === null || raw === "") return fallback;
  if (!/^\d{1,15}$/.test(raw)) {
    throw new DnsError("INVALID_QUERY", `${name} must be a non-negative integer`, 400);
  }
  return Number(raw);
}
