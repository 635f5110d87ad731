import type { DnsConfig } from "./config.js";
import { DnsError } from "./errors.js";
import { formatEndpoint, isPublicIp, normalizeIp, subnetOf } from "./ip.js";
import type { Logger } from "./logger.js";
import type { ProbeFailure, ProbeFn, ProbeResult } from "./probe.js";
import type { Registry } from "./registry.js";

/** `POST /register` body after validation. */
export interface RegisterRequest {
  /** The normalised body `address`, when one was sent. */
  address: string | undefined;
  port: number;
  version: string;
  /** The body's claim, checked for shape only: the registered height is the handshake's. */
  height: number | undefined;
}

/** The JSON of every `/register` answer (facts §9.2), plus `code` on failure. */
export interface RegisterResponse {
  success: boolean;
  code?: string;
  message: string;
  node_count: number;
  registered_address: string;
  registered_port: number;
}

const MAX_VERSION_LENGTH = 64;
/** Registration probes in flight at once; more are refused rather than queued. */
const MAX_CONCURRENT_PROBES = 64;

function field(body: object, name: string): unknown {
  return Object.hasOwn(body, name) ? (body as Record<string, unknown>)[name] : undefined;
}

/** Checks the body's shape and values; throws the first failure as a `DnsError`. */
export function parseRegisterBody(body: unknown): RegisterRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new DnsError("INVALID_BODY", "Request body must be a JSON object", 400);
  }
  const rawAddress = field(body, "address");
  let address: string | undefined;
  if (rawAddress !== undefined && rawAddress !== null) {
    address = typeof rawAddress === "string" ? normalizeIp(rawAddress) : undefined;
    if (address === undefined) throw new DnsError("INVALID_ADDRESS", "Invalid node IP address", 400);
  }
  const port = field(body, "port");
  if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new DnsError("INVALID_PORT", "Invalid node port", 400);
  }
  const version = field(body, "version");
  if (typeof version !== "string" || !/^[\x20-\x7e]+$/.test(version) || version.length > MAX_VERSION_LENGTH) {
    throw new DnsError(
      "INVALID_BODY",
      `version must be 1 to ${MAX_VERSION_LENGTH} printable ASCII characters`,
      400,
    );
  }
  const height = field(body, "height");
  if (height !== undefined && (typeof height !== "number" || !Number.isSafeInteger(height) || height < 0)) {
    throw new DnsError("INVALID_BODY", "height must be a non-negative integer", 400);
  }
  return { address, port, version, height };
}

export interface RegistrarOptions {
  config: DnsConfig;
  registry: Registry;
  probe: ProbeFn;
  now: () => number;
  logger: Logger;
  signal: AbortSignal;
}

/**
 * The registration rules. The registered address is the client's address (the TCP peer, or the
 * X-Forwarded-For client behind a trusted proxy); a body `address` is accepted only when it is
 * that same address, so nobody can list a third party (facts §16 item 35).
 */
export class Registrar {
  private probesInFlight = 0;

  constructor(private readonly options: RegistrarOptions) {}

  /** Runs every check in order and returns the HTTP status and JSON to send. */
  async register(clientIp: string, body: unknown): Promise<{ status: number; body: RegisterResponse }> {
    const { registry, logger } = this.options;
    let address = clientIp;
    let port = 0;
    try {
      const req = parseRegisterBody(body);
      port = req.port;
      const result = await this.admit(clientIp, req);
      address = result.address;
      return { status: 200, body: result.response };
    } catch (err) {
      if (!(err instanceof DnsError)) throw err;
      logger.info({ event: "register_rejected", code: err.code, address, port, reason: err.message });
      return {
        status: err.status,
        body: {
          success: false,
          code: err.code,
          message: err.message,
          node_count: registry.size,
          registered_address: address,
          registered_port: port,
        },
      };
    }
  }

  private async admit(clientIp: string, req: RegisterRequest) {
    const { config, registry, probe, now, logger, signal } = this.options;
    const address = normalizeIp(clientIp);
    if (address === undefined) throw new DnsError("INVALID_ADDRESS", "Invalid node IP address", 400);
    if (req.address !== undefined && req.address !== address) {
      throw new DnsError(
        "ADDRESS_MISMATCH",
        `address ${req.address} is not the connection's source address ${address}; a node registers itself only`,
        403,
      );
    }
    if (!config.allowPrivate && !isPublicIp(address)) {
      throw new DnsError("ADDRESS_NOT_PUBLIC", "Node IP is not publicly reachable", 400);
    }
    this.checkCapacity(address, req.port);
    if (this.probesInFlight >= MAX_CONCURRENT_PROBES) {
      throw new DnsError("SERVER_BUSY", "Too many registrations in progress; retry shortly", 503);
    }
    this.probesInFlight += 1;
    let result: ProbeResult;
    try {
      result = await probe(address, req.port, config.probeTimeout * 1000, signal);
    } finally {
      this.probesInFlight -= 1;
    }
    if (!result.ok) throw probeError(result.failure, result.reason);
    // Other registrations may have filled the registry while this one was probing.
    this.checkCapacity(address, req.port);
    const { node, created } = registry.upsert(
      {
        address,
        port: req.port,
        version: req.version,
        height: result.height,
        probeLatencyMs: result.latencyMs,
      },
      now(),
    );
    const endpoint = formatEndpoint(address, req.port);
    logger.info(
      {
        event: "registered",
        address,
        port: req.port,
        version: node.version,
        height: node.height,
        new: created,
      },
      created ? "node registered" : "node refreshed",
    );
    return {
      address,
      response: {
        success: true,
        message: `Node ${endpoint} registered successfully and is reachable`,
        node_count: registry.size,
        registered_address: address,
        registered_port: req.port,
      },
    };
  }

  private checkCapacity(address: string, port: number): void {
    const { registry, config } = this.options;
    if (registry.has(address, port)) return;
    if (registry.countForAddress(address) >= config.maxNodesPerIp) {
      throw new DnsError(
        "TOO_MANY_NODES_FOR_IP",
        `${address} already has ${config.maxNodesPerIp} registered ports (the limit)`,
        403,
      );
    }
    if (registry.countForSubnet(address) >= config.maxNodesPerSubnet) {
      throw new DnsError(
        "TOO_MANY_NODES_FOR_SUBNET",
        `${subnetOf(address).slice(3)} already has ${config.maxNodesPerSubnet} registered nodes (the limit per IPv4 /24 or IPv6 /48)`,
        403,
      );
    }
    if (registry.size >= config.maxNodes) {
      throw new DnsError("REGISTRY_FULL", `The registry is full (${config.maxNodes} nodes)`, 503);
    }
  }
}

/** The registration refusal for a failed probe: nothing listening, no handshake, or another network. */
function probeError(failure: ProbeFailure, reason: string): DnsError {
  switch (failure) {
    case "unreachable":
      return new DnsError("PORT_UNREACHABLE", "Node port is not reachable from DNS server", 400);
    case "handshake":
      return new DnsError(
        "HANDSHAKE_FAILED",
        `Node port accepted a connection but completed no Astram P2P handshake: ${reason}`,
        400,
      );
    case "wrong-network":
      return new DnsError("WRONG_NETWORK", `Node is on another network: ${reason}`, 400);
  }
}
