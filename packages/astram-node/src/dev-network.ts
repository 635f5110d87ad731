#!/usr/bin/env node
// `npm start`: a local Astram devnet node that mines to a generated address, with its HTTP API and
// dashboard (and the explorer when built). Data goes to a fresh temporary directory unless
// --datadir is given, so every run starts a new chain; the miner key is saved next to the chain.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addressFromPrivateKey, bytesToHex, hexToBytes, randomPrivateKey } from "astram-core";
import { loadConfig } from "./config/load-config.js";
import { createLogger } from "./log.js";
import { AstramNode } from "./node.js";
import { attachServices } from "./services.js";

const args = process.argv.slice(2);
const argValue = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
if (args.includes("--help") || args.includes("-h")) {
  process.stdout.write(
    "npm start [-- --datadir DIR] [--threads N] [--no-pace]\n" +
      "Starts a local Astram devnet node that mines to a generated address (key saved in DIR/miner-key.json),\n" +
      "with the HTTP API and dashboard on http://127.0.0.1:19533 and the Ethereum JSON-RPC on :8545.\n" +
      "Mining is paced to one block per 10 s on average; --no-pace mines at full speed.\n",
  );
  process.exit(0);
}

const dataDir = argValue("--datadir") ?? mkdtempSync(join(tmpdir(), "astram-devnet-"));
const keyFile = join(dataDir, "miner-key.json");
let privateKey: Uint8Array;
if (existsSync(keyFile)) {
  privateKey = hexToBytes(JSON.parse(readFileSync(keyFile, "utf8")).privateKey);
} else {
  privateKey = randomPrivateKey();
}
const address = addressFromPrivateKey(privateKey);

const { settings } = loadConfig({
  flags: {
    NETWORK: "dev",
    DATA_DIR: dataDir,
    MINE: "true",
    MINER_ADDRESS: address,
    MINER_THREADS: argValue("--threads"),
    // A paced devnet mines one block per 10 s on average at any difficulty and leaves the CPU free.
    MINER_PACE: args.includes("--no-pace") ? "false" : "true",
    LOG_LEVEL: argValue("--log-level") ?? "info",
  },
});
const log = createLogger(settings.logLevel);
const node = new AstramNode({ settings, log });
attachServices(node);
await node.start();
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
