// Errors of the relay subsystem; callers switch on `code`. Inside the node every one of these ends
// as a counted drop, never as an exception out of the socket handler.

export class RelayError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Bytes that are not a well-formed message, payload or address list. */
export class MessageDecodeError extends RelayError {
  constructor(detail: string) {
    super("MESSAGE_DECODE", detail);
  }
}

/** A body that does not authenticate under the shared key (wrong key, tampered or truncated). */
export class DecryptionError extends RelayError {
  constructor() {
    super("DECRYPT_FAILED", "message body does not authenticate under the shared key");
  }
}

/** A public key with which no shared key can be derived (a low-order X25519 point, wrong length). */
export class InvalidPeerKeyError extends RelayError {
  constructor(detail: string) {
    super("INVALID_PEER_KEY", `invalid peer public key: ${detail}`);
  }
}

/** A seed or contact address that is not host:port / [ipv6]:port with a port in 1…65535. */
export class InvalidAddressError extends RelayError {
  constructor(text: string, detail: string) {
    super("INVALID_ADDRESS", `invalid address ${JSON.stringify(text)}: ${detail}`);
  }
}

/** The relay was used before start() or after stop(). */
export class RelayNotStartedError extends RelayError {
  constructor(what: string) {
    super("RELAY_NOT_STARTED", `${what}: the relay is not started`);
  }
}
