// astram-explorer: indexer, API and web UI for an Astram node (the CLI is cli.ts).
export * from "./amounts.js";
export * from "./api/server.js";
export * from "./config/settings.js";
export * from "./db/meta.js";
export * from "./db/migrate.js";
export * from "./db/open.js";
export type * from "./db/schema.js";
export * from "./errors.js";
export * from "./explorer.js";
export * from "./indexer/apply-block.js";
export * from "./indexer/indexer.js";
export * from "./indexer/mempool-view.js";
export * from "./indexer/rollback-block.js";
export * from "./log.js";
export * from "./node-client.js";
export * from "./stats/chain-stats.js";
