import type { AddressInfo } from "node:net";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { clientAddress, proxyMatcher } from "./client-address.js";
import { CONFIG_KEYS, type ConfigKey, type DnsConfig, resolveConfig } from "./config.js";
import { DnsError, type DnsErrorCode } from "./errors.js";
import { createHandshakeProbe } from "./handshake-probe.js";
import { HealthChecker } from "./health.js";
import { errorBody, toDnsError } from "./http-errors.js";
import { formatEndpoint } from "./ip.js";
import { createLogger, type Logger } from "./logger.js";
import { expectedNetwork } from "./network.js";
import type { ProbeFn } from "./probe.js";
import { RateLimiter } from "./rate-limit.js";
import { Registrar } from "./register.js";
import { Registry } from "./registry.js";

export interface DnsServerOptions extends Partial<DnsConfig> {
  /** A pino logger or anything with its call shape; default: pino, JSON lines on stdout at `logLevel`. */
  logger?: Logger;
  /** Clock in Unix milliseconds (tests move time forward instead of sleeping). */
  now?: () => number;
  /** Reachability check used by registration and health checks (default: a P2P handshake). */
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

// GET routes also answer HEAD (fastify's exposeHeadRoutes).
const ROUTES = new Map<string, readonly string[]>([
  ["/", ["GET", "HEAD"]],
  ["/health", ["GET", "HEAD"]],
  ["/register", ["POST"]],
  ["/nodes", ["GET", "HEAD"]],
  ["/stats", ["GET", "HEAD"]],
]);

/** Methods that get a 405 (rather than fastify's 404) on a known path. */
const ALL_METHODS = ["DELETE", "GET", "HEAD", "PATCH", "POST", "PUT"] as const;

/** Headers on every response: permissive CORS (as the reference) and no caching of live data. */
const COMMON_HEADERS = {
  "access-control-allow-origin": "*",
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
};

/** Builds the discovery server; nothing listens until `start()`. */
export function createDnsServer(options: DnsServerOptions = {}): DnsServer {
  const overrides: Partial<Record<ConfigKey, unknown>> = {};
  for (const key of CONFIG_KEYS) overrides[key] = options[key];
  const config = resolveConfig({ overrides });
  const logger = options.logger ?? createLogger(config.logLevel);
  const now = options.now ?? Date.now;
  const probe = options.probe ?? createHandshakeProbe(expectedNetwork(config));
  const maxAgeMs = config.maxAge * 1000;
  const registry = new Registry({ maxAgeMs, probeTimeoutMs: config.probeTimeout * 1000 });
  const isTrustedProxy = config.trustProxy.length > 0 ? proxyMatcher(config.trustProxy) : undefined;
  const requestLimiter = new RateLimiter({ limit: config.requestRate, windowMs: MINUTE_MS, now });
  const registerLimiter = new RateLimiter({ limit: config.registerRate, windowMs: MINUTE_MS, now });
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
  let abort = new AbortController();
  let app: FastifyInstance | undefined;
  let purgeTimer: NodeJS.Timeout | undefined;
  let listening: ListenInfo | undefined;

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
  const ipOf = (req: FastifyRequest) =>
    clientAddress(req.raw.socket.remoteAddress, req.headers["x-forwarded-for"], isTrustedProxy);
  const isRegister = (req: FastifyRequest) => req.method === "POST" && req.url.split("?")[0] === "/register";
  /** The facts' `/register` fields, added to every error of that endpoint. */
  const registerFields = (req: FastifyRequest) => ({
    node_count: registry.size,
    registered_address: ipOf(req),
    registered_port: 0,
  });

  function buildApp(): FastifyInstance {
    const registrar = new Registrar({ config, registry, probe, now, logger, signal: abort.signal });
    const fastify = Fastify({
      logger: false,
      bodyLimit: config.bodyLimit,
      // Slow or idle clients must not hold sockets: bound headers, whole requests and keep-alive.
      http: { headersTimeout: 10_000, maxHeaderSize: 8192 },
      requestTimeout: 15_000,
      keepAliveTimeout: 5_000,
      forceCloseConnections: true,
      // The client address is computed by `clientAddress` (tested, IPv4-mapped aware) instead.
      trustProxy: false,
      clientErrorHandler: (err, socket) => {
        // Malformed HTTP never reaches a route: answer with the same JSON error shape and close.
        if (err.code === "ECONNRESET" || socket.destroyed || !socket.writable) {
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
      },
    });

    // JSON only: without this, fastify would hand a text/plain body to the handler as a string.
    fastify.removeContentTypeParser("text/plain");

    // Rate limits run first, before routing and before any body is read.
    fastify.addHook("onRequest", async (req, reply) => {
      reply.headers(COMMON_HEADERS);
      const ip = ipOf(req);
      const register = isRegister(req);
      const general = requestLimiter.hit(ip);
      const decision = general.allowed && register ? registerLimiter.hit(ip) : general;
      if (decision.allowed) return;
      const limiter = general.allowed ? registerLimiter : requestLimiter;
      const what = general.allowed ? "registrations" : "requests";
      const retryAfter = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      logger.debug({ event: "rate_limited", address: ip, url: req.url, what });
      const err = new DnsError(
        "RATE_LIMITED",
        `Too many ${what} from ${ip}: at most ${limiter.limit} per minute; retry in ${retryAfter} s`,
        429,
      );
      const extra = register
        ? { ...registerFields(req), retry_after: retryAfter }
        : { retry_after: retryAfter };
      return reply.code(429).header("retry-after", String(retryAfter)).send(errorBody(err, extra));
    });

    fastify.setErrorHandler((error, req, reply) => {
      const err = toDnsError(error, config.bodyLimit);
      if (err.status >= 500) logger.error({ event: "internal_error", err: error }, "request failed");
      if (err.status === 413) reply.header("connection", "close");
      return reply.code(err.status).send(errorBody(err, isRegister(req) ? registerFields(req) : {}));
    });
    fastify.setNotFoundHandler((req, reply) => {
      const err = new DnsError("NOT_FOUND", `No route ${req.method} ${req.url.split("?")[0]}`, 404);
      return reply.code(404).send(errorBody(err));
    });

    for (const [path, allowed] of ROUTES) {
      const allow = [...allowed, "OPTIONS"].join(", ");
      fastify.options(path, async (_req, reply) =>
        reply
          .code(204)
          .headers({
            "access-control-allow-methods": allow,
            "access-control-allow-headers": "content-type",
            "access-control-max-age": "600",
          })
          .send(),
      );
      const notAllowed = async (req: FastifyRequest, reply: FastifyReply) => {
        reply.header("allow", allow);
        throw new DnsError("METHOD_NOT_ALLOWED", `Method ${req.method} is not allowed on ${path}`, 405);
      };
      // Refused in onRequest, before fastify would read and parse a body the route never wanted.
      fastify.route({
        method: ALL_METHODS.filter((m) => !allowed.includes(m)),
        url: path,
        onRequest: notAllowed,
        handler: notAllowed,
      });
    }

    fastify.get("/", async (_req, reply) =>
      reply.type("text/plain; charset=utf-8").send("Astram DNS Server"),
    );
    fastify.get("/health", async () => {
      purge();
      return { status: "healthy", node_count: registry.size, timestamp: unixNow() };
    });
    fastify.post("/register", {
      onRequest: async (req) => {
        // fastify does not decode bodies; a compressed one would only fail later as "not JSON".
        const encoding = (req.headers["content-encoding"] ?? "identity").trim().toLowerCase();
        if (encoding !== "identity") {
          throw new DnsError("UNSUPPORTED_MEDIA_TYPE", "Content-Encoding is not supported", 415);
        }
      },
      handler: async (req, reply) => {
        const result = await registrar.register(ipOf(req), req.body);
        return reply.code(result.status).send(result.body);
      },
    });
    fastify.get("/nodes", async (req) => {
      const query = req.query as Record<string, string | string[] | undefined>;
      const limit = Math.min(queryInt(query, "limit", DEFAULT_LIST_LIMIT), MAX_LIST_LIMIT);
      const minHeight = queryInt(query, "min_height", 0);
      purge();
      const nodes = registry.list({ limit, minHeight }, now());
      return { nodes, count: nodes.length };
    });
    fastify.get("/stats", async () => {
      purge();
      return { ...registry.stats(), timestamp: unixNow() };
    });
    return fastify;
  }

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
      // A fastify instance cannot listen again once closed: each start gets a fresh one.
      const instance = buildApp();
      await instance.listen({ host: config.host, port: config.port });
      app = instance;
      const addr = instance.server.address() as AddressInfo;
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
      if (listening === undefined || app === undefined) return;
      listening = undefined;
      clearInterval(purgeTimer);
      abort.abort();
      await health.stop();
      await app.close();
      app = undefined;
      logger.info({ event: "stopped" }, "astram-dns stopped");
    },
  };
}

/** A non-negative integer query parameter; absent means `fallback`, anything else is a 400. */
function queryInt(
  query: Record<string, string | string[] | undefined>,
  name: string,
  fallback: number,
): number {
  const value = query[name];
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d{1,15}$/.test(raw)) {
    throw new DnsError("INVALID_QUERY", `${name} must be a non-negative integer`, 400);
  }
  return Number(raw);
}
