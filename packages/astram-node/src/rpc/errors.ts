/** JSON-RPC 2.0 and Ethereum error codes. */
export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const METHOD_NOT_FOUND = -32601;
export const INVALID_PARAMS = -32602;
export const INTERNAL_ERROR = -32603;
/** Ethereum's generic server error: rejected transactions, unavailable state. */
export const SERVER_ERROR = -32000;

/** An error answered as a JSON-RPC error object. */
export class RpcError extends Error {
  override readonly name = "RpcError";
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

export const invalidParams = (message: string): RpcError => new RpcError(INVALID_PARAMS, message);
export const serverError = (message: string, data?: unknown): RpcError =>
  new RpcError(SERVER_ERROR, message, data);
