// Public API of the astreum package. Consensus and the node arrive in later issues.
export { type Logger, silentLogger } from "./logger.js";
export * from "./machine/index.js";
export { ConfigError } from "./options.js";
export * from "./relay/index.js";
export * from "./storage/index.js";
