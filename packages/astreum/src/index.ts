// Public API of the astreum package: the Node, consensus, logging, configuration, and the machine,
// storage and relay subsystems.
export {
  CONFIG_DEFAULTS,
  type HexKey,
  type NodeConfig,
  type ResolvedNodeConfig,
  resolveConfig,
  TS_ONLY_CONFIG_KEYS,
} from "./config.js";
export * from "./consensus/index.js";
export { type Logger, silentLogger } from "./logger.js";
export * from "./logging/index.js";
export * from "./machine/index.js";
export { type HeadSource, Node, type NodeEvents, type TransactionLocation } from "./node.js";
export {
  LatestBlockUnavailableError,
  NodeClosedError,
  NodeNotConnectedError,
  NodeRuntimeError,
  NoValidatorAvailableError,
  UnsignedTransactionError,
} from "./node-errors.js";
export { NODE_STATE_FILE, NodeStateFile, type SavedNodeState } from "./node-state.js";
export { ConfigError, closestKey, rejectUnknownKeys } from "./options.js";
export * from "./relay/index.js";
export * from "./storage/index.js";
