/**
 * Every failure the wallet reports, one class per condition, each with a stable `code` that
 * `--json` output carries. Messages are written for the person at the terminal and never contain
 * key material.
 */
export abstract class WalletError extends Error {
  abstract readonly code: string;
  /** Process exit status the CLI uses for this error. */
  readonly exitCode: number = 1;
}

export class WalletExistsError extends WalletError {
  override readonly name = "WalletExistsError";
  readonly code = "WALLET_EXISTS";
  constructor(readonly path: string) {
    super(`a wallet already exists at ${path}; refusing to overwrite it (move it away or use --wallet FILE)`);
  }
}

export class WalletNotFoundError extends WalletError {
  override readonly name = "WalletNotFoundError";
  readonly code = "WALLET_NOT_FOUND";
  constructor(readonly path: string) {
    super(
      `no wallet at ${path}; create one with "astram-wallet create" or import one with "astram-wallet import"`,
    );
  }
}

export class BadWalletFileError extends WalletError {
  override readonly name = "BadWalletFileError";
  readonly code = "BAD_WALLET_FILE";
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path} is not a usable wallet file: ${reason}`);
  }
}

export class WrongPasswordError extends WalletError {
  override readonly name = "WrongPasswordError";
  readonly code = "WRONG_PASSWORD";
  constructor() {
    super("wrong password (the keystore MAC does not match)");
  }
}

export class WeakPasswordError extends WalletError {
  override readonly name = "WeakPasswordError";
  readonly code = "WEAK_PASSWORD";
  constructor(readonly minLength: number) {
    super(`the password must have at least ${minLength} characters`);
  }
}

export class PasswordMismatchError extends WalletError {
  override readonly name = "PasswordMismatchError";
  readonly code = "PASSWORD_MISMATCH";
  constructor() {
    super("the two passwords differ");
  }
}

export class NoMnemonicError extends WalletError {
  override readonly name = "NoMnemonicError";
  readonly code = "NO_MNEMONIC";
  constructor() {
    super("this wallet was imported from a private key: it has no recovery phrase and only index 0");
  }
}

export class BadMnemonicError extends WalletError {
  override readonly name = "BadMnemonicError";
  readonly code = "BAD_MNEMONIC";
  constructor(reason: string) {
    super(`not a valid BIP39 recovery phrase: ${reason}`);
  }
}

export class BadPrivateKeyError extends WalletError {
  override readonly name = "BadPrivateKeyError";
  readonly code = "BAD_PRIVATE_KEY";
  constructor() {
    super("not a valid secp256k1 private key (expected 64 hex digits, optionally with 0x)");
  }
}

export class BadSecretError extends WalletError {
  override readonly name = "BadSecretError";
  readonly code = "BAD_SECRET";
  constructor() {
    super("expected a 12/15/18/21/24-word recovery phrase or a 64-hex-digit private key");
  }
}

export class BadAddressError extends WalletError {
  override readonly name = "BadAddressError";
  readonly code = "BAD_ADDRESS";
  override readonly exitCode = 2;
}

export class BadAmountError extends WalletError {
  override readonly name = "BadAmountError";
  readonly code = "BAD_AMOUNT";
  override readonly exitCode = 2;
}

export class BadFeeRateError extends WalletError {
  override readonly name = "BadFeeRateError";
  readonly code = "BAD_FEE_RATE";
  override readonly exitCode = 2;
}

export class BadIndexError extends WalletError {
  override readonly name = "BadIndexError";
  readonly code = "BAD_INDEX";
  override readonly exitCode = 2;
  constructor(text: string) {
    super(`"${text}" is not an account index (0 to 2147483647)`);
  }
}

export class BadCoinTypeError extends WalletError {
  override readonly name = "BadCoinTypeError";
  readonly code = "BAD_COIN_TYPE";
  override readonly exitCode = 2;
}

export class BadOptionError extends WalletError {
  override readonly name = "BadOptionError";
  readonly code = "BAD_OPTION";
  override readonly exitCode = 2;
}

export class InsufficientFundsError extends WalletError {
  override readonly name = "InsufficientFundsError";
  readonly code = "INSUFFICIENT_FUNDS";
  constructor(
    /** Spendable ram (confirmed UTXOs not already spent by pending transactions). */
    readonly available: bigint,
    /** Amount plus the fee of the smallest transaction that could pay it, in ram. */
    readonly needed: bigint,
    message: string,
  ) {
    super(message);
  }
}

export class TransactionTooLargeError extends WalletError {
  override readonly name = "TransactionTooLargeError";
  readonly code = "TX_TOO_LARGE";
}

export class NodeUnreachableError extends WalletError {
  override readonly name = "NodeUnreachableError";
  readonly code = "NODE_UNREACHABLE";
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(
      `cannot reach node at ${url} (${reason}); is astram-node running? (set --node URL or node_rpc_url)`,
    );
  }
}

export class NodeResponseError extends WalletError {
  override readonly name = "NodeResponseError";
  readonly code = "NODE_ERROR";
  constructor(
    readonly url: string,
    readonly status: number,
    detail: string,
  ) {
    super(`node answered ${url} with ${status === 0 ? "an unusable response" : `HTTP ${status}`}: ${detail}`);
  }
}

export class TransactionRejectedError extends WalletError {
  override readonly name = "TransactionRejectedError";
  readonly code = "TX_REJECTED";
  constructor(readonly reason: string) {
    super(`the node rejected the transaction: ${reason}`);
  }
}

export class ConfirmationTimeoutError extends WalletError {
  override readonly name = "ConfirmationTimeoutError";
  readonly code = "CONFIRMATION_TIMEOUT";
  constructor(
    readonly txid: string,
    seconds: number,
  ) {
    super(`transaction ${txid} was sent but not confirmed within ${seconds} s`);
  }
}

export class BadConfigError extends WalletError {
  override readonly name = "BadConfigError";
  readonly code = "BAD_CONFIG";
}

export class ConfigExistsError extends WalletError {
  override readonly name = "ConfigExistsError";
  readonly code = "CONFIG_EXISTS";
  constructor(readonly path: string) {
    super(`${path} already exists; use --force to replace it with the defaults`);
  }
}

export class AbortedError extends WalletError {
  override readonly name = "AbortedError";
  readonly code = "ABORTED";
  constructor(what = "cancelled") {
    super(what);
  }
}

export class NoInputError extends WalletError {
  override readonly name = "NoInputError";
  readonly code = "NO_INPUT";
  constructor(expected: string) {
    super(`stdin ended while waiting for ${expected}`);
  }
}
