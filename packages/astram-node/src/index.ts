// astram-node: the Astram full node as a library (the CLI is cli.ts).

export * from "./api/http-api.js";
export * from "./api/metrics.js";
export * from "./chain/chain-store.js";
export * from "./chain/chainstate.js";
export * from "./chain/layout.js";
export * from "./chain/orphan-pool.js";
export * from "./chain/records.js";
export { SignatureVerifier } from "./chain/signature-verifier.js";
export * from "./config/load-config.js";
export * from "./config/settings.js";
export * from "./log.js";
export * from "./mempool/mempool.js";
export * from "./mining/block-template.js";
export * from "./mining/miner.js";
export * from "./node.js";
export * from "./p2p/address-book.js";
export * from "./p2p/addresses.js";
export * from "./p2p/chain-sync.js";
export * from "./p2p/connection-policy.js";
export * from "./p2p/discovery.js";
export * from "./p2p/limits.js";
export * from "./p2p/p2p-service.js";
export * from "./p2p/peer.js";
export * from "./p2p/relay.js";
export * from "./rpc/rpc-server.js";
export * from "./services.js";
export * from "./util/datadir-lock.js";
