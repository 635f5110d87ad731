// astram-wallet: the Astram command-line wallet as a library (the CLI is src/cli.ts).

export * from "./cli/io.js";
export { runCli } from "./cli/run.js";
export * from "./config.js";
export * from "./errors.js";
export * from "./keys/derivation.js";
export * from "./keys/keystore.js";
export * from "./keys/private-key.js";
export * from "./node/amount-field.js";
export * from "./node/json-bigint.js";
export * from "./node/node-client.js";
export * from "./send/build-payment.js";
export * from "./send/pending-journal.js";
export * from "./send/user-input.js";
export * from "./wallet/wallet-file.js";
