import { AdminService } from "./admin/admin-service.js";
import { HttpApiService } from "./api/http-api.js";
import { NodeMetrics } from "./api/metrics.js";
import type { AstramNode } from "./node.js";
import { P2pService } from "./p2p/p2p-service.js";
import { EthRpcService } from "./rpc/rpc-server.js";

/** The services attachServices created, for callers that need them (bound ports, peers). */
export interface AttachedServices {
  readonly p2p: P2pService;
  /** HTTP API and dashboard. */
  readonly http: HttpApiService;
  /** Ethereum JSON-RPC. */
  readonly rpc: EthRpcService;
  /** Read-only public API; present when PUBLIC_RPC_PORT is set (0 = off). */
  readonly publicApi: HttpApiService | undefined;
  /** The operators' admin interface (peers, bans, address book). */
  readonly admin: AdminService;
}

/**
 * Attaches the network services a full node runs (P2P, HTTP API and dashboard, Ethereum JSON-RPC,
 * the admin interface) according to its settings. Each service has start()/stop() and is stopped before the store closes.
 */
export function attachServices(
  node: AstramNode,
  opts: {
    /** How often the dashboard's hashrate history is sampled (default 5000 ms). */
    hashrateSampleMs?: number;
  } = {},
): AttachedServices {
  const p2p = new P2pService(node);
  node.addService(p2p);

  // HTTP API + dashboard, Ethereum JSON-RPC, read-only public API (src/api, src/rpc, src/dashboard).
  const s = node.settings;
  const metrics = new NodeMetrics({ hashrateSampleMs: opts.hashrateSampleMs });
  const http = new HttpApiService(node, { host: s.httpBindAddr, port: s.httpPort, metrics });
  const rpc = new EthRpcService(node, { host: s.ethRpcBindAddr, port: s.ethRpcPort, metrics });
  const publicApi =
    s.publicRpcPort === 0
      ? undefined
      : new HttpApiService(node, {
          host: s.publicRpcBindAddr,
          port: s.publicRpcPort,
          metrics,
          readOnly: true,
        });
  node.addService(http);
  node.addService(rpc);
  if (publicApi) node.addService(publicApi);

  // Last to start, first to stop: its cookie exists only while everything it controls runs.
  const admin = new AdminService(node, p2p, {
    host: s.adminBindAddr,
    port: s.adminPort,
    password: s.adminPassword,
    metrics,
  });
  node.addService(admin);

  return { p2p, http, rpc, publicApi, admin };
}
