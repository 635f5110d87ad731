/** Stable error codes. Clients and tests match on `code`, never on the message text. */
export type DnsErrorCode =
  | "INVALID_ADDRESS"
  | "INVALID_PORT"
  | "INVALID_BODY"
  | "ADDRESS_MISMATCH"
  | "ADDRESS_NOT_PUBLIC"
  | "PORT_UNREACHABLE"
  | "HANDSHAKE_FAILED"
  | "WRONG_NETWORK"
  | "TOO_MANY_NODES_FOR_SUBNET"
  | "REGISTRY_FULL"
  | "TOO_MANY_NODES_FOR_IP"
  | "SERVER_BUSY"
  | "RATE_LIMITED"
  | "BODY_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "INVALID_QUERY"
  | "INVALID_REQUEST"
  | "NOT_FOUND"
  | "METHOD_NOT_ALLOWED"
  | "INTERNAL";

/** An error that maps to one HTTP status and one stable code. */
export class DnsError extends Error {
  override readonly name = "DnsError";
  constructor(
    readonly code: DnsErrorCode,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** A bad configuration value; `key` is the option's flag name (e.g. `max-age`). */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly code = "INVALID_CONFIG";
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
  }
}
