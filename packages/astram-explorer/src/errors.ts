/** Errors of the explorer: one class per condition, each with a stable `code`. */

/** A bad setting (flag, environment variable or config file line). */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly code = "bad-config";
}

/** The node did not answer (connection refused, timeout). */
export class NodeUnreachableError extends Error {
  override readonly name = "NodeUnreachableError";
  readonly code = "node-unreachable";
}

/** The node answered something the explorer cannot use (HTTP error, undecodable body). */
export class NodeResponseError extends Error {
  override readonly name = "NodeResponseError";
  readonly code = "node-bad-response";
}

/** The database was indexed from another chain (its genesis differs from the node's). */
export class ChainMismatchError extends Error {
  override readonly name = "ChainMismatchError";
  readonly code = "chain-mismatch";
}

/** A block does not connect to what is indexed, or spends an output the index does not have. */
export class IndexInconsistencyError extends Error {
  override readonly name = "IndexInconsistencyError";
  readonly code = "index-inconsistent";
}
