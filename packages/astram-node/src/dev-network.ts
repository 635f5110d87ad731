#!/usr/bin/env node
// `npm start`: a local Astram devnet node that mines to a generated address, with its HTTP API and
// dashboard (and the explorer when built). Data goes to a fresh temporary directory unless
// --datadir is given, so every run starts a new chain; the miner key is saved next to the chain.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { addressFromPrivateKey, bytesToHex, hexToBytes, randomPrivateKey } from "astram-core";
import { loadConfig } from "./config/load-config.js";
import { ConfigError } from "./config/settings.js";
import { createLogger, parseLogFormat } from "./log.js";
import { AstramNode } from "./node.js";
import { attachServices } from "./services.js";
import { failCli, failUnexpected } from "./util/cli-fail.js";
import { describeStartFailure } from "./util/start-failure.js";

export const DEV_NETWORK_HELP =
  "npm start [-- OPTIONS]\n" +
  "Starts a local Astram devnet node that mines to a generated address (key saved in DIR/miner-key.json)\n" +
  "and the block explorer following it.\n\n" +
  "Options (each also read from its environment variable; flags win):\n" +
  "  --datadir DIR          chain and keys (default: a new temporary directory)\n" +
  "  --http-port PORT       HTTP API and dashboard (ASTRAM_HTTP_PORT, default 19533)\n" +
  "  --rpc-port PORT        Ethereum JSON-RPC, chain id 1337 (ASTRAM_ETH_RPC_PORT, default 8545)\n" +
  "  --p2p-port PORT        P2P (ASTRAM_P2P_PORT, default 18335; 0 = any free port)\n" +
  "  --admin-port PORT      admin interface (ASTRAM_ADMIN_PORT, default 19536; 0 = any free port)\n" +
  "  --explorer-port PORT   explorer web UI and API (default 8080)\n" +
  "  --threads N            mining threads (ASTRAM_MINER_THREADS, default one per core)\n" +
  "  --no-pace              mine at full speed instead of one block per 10 s on average\n" +
  "  --log-level LEVEL      fatal, error, warn, info, debug, trace or silent (default info)\n" +
  "  --log-format FORMAT    auto (readable on a terminal, JSON when piped), pretty or json\n" +
  "  --debug                stack traces for unexpected errors\n";

let values: Record<string, string | boolean | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      help: { type: "boolean", short: "h" },
      datadir: { type: "string" },
      "http-port": { type: "string" },
      "rpc-port": { type: "string" },
      "p2p-port": { type: "string" },
      "admin-port": { type: "string" },
      threads: { type: "string" },
      "no-pace": { type: "boolean" },
      "log-level": { type: "string" },
      "log-format": { type: "string" },
      debug: { type: "boolean" },
    },
  }));
} catch (e) {
  failCli(`${(e as Error).message} (npm start -- --help lists the options)`, 2);
}
if (values.help) {
  process.stdout.write(DEV_NETWORK_HELP);
  process.exit(0);
}
const flag = (name: string) => values[name] as string | undefined;

const dataDir = flag("datadir") ?? mkdtempSync(join(tmpdir(), "astram-devnet-"));
const keyFile = join(dataDir, "miner-key.json");
let privateKey: Uint8Array;
if (existsSync(keyFile)) {
  privateKey = hexToBytes(JSON.parse(readFileSync(keyFile, "utf8")).privateKey);
} else {
  privateKey = randomPrivateKey();
}
const address = addressFromPrivateKey(privateKey);

let settings: ReturnType<typeof loadConfig>["settings"];
let logFormat: ReturnType<typeof parseLogFormat>;
try {
  ({ settings } = loadConfig({
    flags: {
      NETWORK: "dev",
      DATA_DIR: dataDir,
      MINE: "true",
      MINER_ADDRESS: address,
      MINER_THREADS: flag("threads"),
      HTTP_PORT: flag("http-port"),
      ETH_RPC_PORT: flag("rpc-port"),
      P2P_PORT: flag("p2p-port"),
      ADMIN_PORT: flag("admin-port"),
      // A paced devnet mines one block per 10 s on average at any difficulty and leaves the CPU free.
      MINER_PACE: values["no-pace"] ? "false" : "true",
      LOG_LEVEL: flag("log-level") ?? "info",
    },
  }));
  logFormat = parseLogFormat(flag("log-format"));
} catch (e) {
  if (e instanceof ConfigError) failCli(`configuration error: ${e.message}`, 2);
  failCli(`configuration error: ${(e as Error).message}`, 2);
}
const log = createLogger(settings.logLevel, "astram-node", logFormat);
const node = new AstramNode({ settings, log });
attachServices(node);
try {
  await node.start();
} catch (e) {
  const reason = describeStartFailure(e, settings);
  if (reason !== undefined) failCli(reason);
  failUnexpected(e);
}
if (!existsSync(keyFile)) {
  writeFileSync(keyFile, JSON.stringify({ address, privateKey: bytesToHex(privateKey) }, null, 2), {
    mode: 0o600,
  });
}
process.stdout.write(
  [
    "",
    "Astram devnet node running.",
    `  data directory   ${dataDir}`,
    `  miner address    ${address} (private key in ${keyFile})`,
    `  HTTP API         http://${settings.httpBindAddr}:${settings.httpPort}/ (dashboard)`,
    `  Ethereum RPC     http://${settings.ethRpcBindAddr}:${settings.ethRpcPort}/ (chain id 1337)`,
    ...(process.env.ASTRAM_EXPLORER_URL ? [`  Explorer         ${process.env.ASTRAM_EXPLORER_URL}/`] : []),
    "Press Ctrl-C to stop.",
    "",
  ].join("\n"),
);
const stop = () => node.stop().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
