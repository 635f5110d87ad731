// Errors of the Node API. NodeRuntimeError is the seed's RuntimeError (raised by send_transaction
// when the node cannot send); each condition has its own class and stable `code`.

export class NodeRuntimeError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The node has not connected (connect(), verify() or validate() first), or was closed. */
export class NodeNotConnectedError extends NodeRuntimeError {
  constructor() {
    super("NODE_NOT_CONNECTED", "node not connected");
  }
}

/** The node has no latest block yet (it follows no chain). */
export class LatestBlockUnavailableError extends NodeRuntimeError {
  constructor() {
    super("LATEST_BLOCK_UNAVAILABLE", "latest block unavailable");
  }
}

/** No validator is known to forward a transaction to (and this node does not validate). */
export class NoValidatorAvailableError extends NodeRuntimeError {
  constructor() {
    super("NO_VALIDATOR_AVAILABLE", "no validator available");
  }
}

/** send_transaction takes an already-signed transaction. */
export class UnsignedTransactionError extends NodeRuntimeError {
  constructor() {
    super("TRANSACTION_UNSIGNED", "the transaction is not signed (call tx.sign(key) first)");
  }
}

/** The node was closed and cannot be started again. */
export class NodeClosedError extends NodeRuntimeError {
  constructor() {
    super("NODE_CLOSED", "the node is closed");
  }
}
