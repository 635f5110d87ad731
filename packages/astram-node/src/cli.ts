#!/usr/bin/env node
import { Command, Option } from "commander";
import { StoreError } from "./chain/chain-store.js";
import { loadConfig } from "./config/load-config.js";
import { ConfigError } from "./config/settings.js";
import { createLogger } from "./log.js";
import { AstramNode } from "./node.js";
import { attachServices } from "./services.js";
import { DataDirInUseError } from "./util/datadir-lock.js";

const program = new Command()
  .name("astram-node")
  .description(
    "Run an Astram full node: validates and stores the chain, keeps a mempool, mines when asked,\n" +
      "and serves peers (P2P), the HTTP API and dashboard, and the Ethereum JSON-RPC.",
  )
  .addOption(new Option("--network <name>", "network: main, test or dev (env ASTRAM_NETWORK)"))
  .option("--datadir <dir>", "data directory (default ~/.Astram/data, ~/.Astram/testnet, ~/.Astram/devnet)")
  .option(
    "--config <file>",
    "settings file of KEY=VALUE lines (default ./config/nodeSettings.conf if present)",
  )
  .option("--mine", "mine blocks (needs --miner-address)")
  .option("--miner-address <address>", "address that receives block rewards")
  .option("--threads <n>", "mining threads (default: one per core)")
  .option(
    "--verify-threads <n>",
    "threads verifying block signatures while syncing (default: cores - 1, at most 4; 0 = none)",
  )
  .option("--gpu", "also mine on the GPU through WebGPU")
  .option("--pace", "hold mining to the target block time (a quiet devnet; npm start does this)")
  .option("--p2p-port <port>", "P2P port (default 8335, devnet 18335; 0 = any free port)")
  .option("--p2p-bind <addr>", "P2P listen address (default 0.0.0.0)")
  .option("--http-port <port>", "HTTP API and dashboard port (default 19533)")
  .option("--http-bind <addr>", "HTTP API address (default 127.0.0.1)")
  .option("--rpc-port <port>", "Ethereum JSON-RPC port (default 8545)")
  .option("--rpc-bind <addr>", "Ethereum JSON-RPC address (default 127.0.0.1)")
  .option("--public-rpc-port <port>", "read-only public API port (default 0 = off)")
  .option("--peers <list>", "comma-separated host:port peers to connect to")
  .option("--dns-server <url>", "discovery server URL")
  .option("--dns-register", "register this node with the discovery server")
  .option("--allow-private-peers", "accept peers on loopback and private addresses")
  .option("--log-level <level>", "fatal, error, warn, info, debug, trace or silent (default info)")
  .option("--reindex", "rebuild the UTXO set and indexes from the stored blocks, then run")
  .option("--print-config", "print the resolved settings (and where each came from) as JSON and exit")
  .addHelpText(
    "after",
    "\nSettings precedence: defaults < config file < environment (ASTRAM_<KEY>, e.g. ASTRAM_HTTP_PORT)\n" +
      "< command-line flags. Config file keys: NETWORK, DATA_DIR, P2P_BIND_ADDR, P2P_PORT, HTTP_BIND_ADDR,\n" +
      "HTTP_PORT, ETH_RPC_BIND_ADDR, ETH_RPC_PORT, PUBLIC_RPC_PORT, DNS_SERVER_URL, DNS_REGISTER,\n" +
      "BOOTSTRAP_PEERS, MINE, MINER_ADDRESS, MINER_THREADS, MINER_GPU, MINER_PACE, VERIFY_THREADS, LOG_LEVEL,\n" +
      "ALLOW_PRIVATE_PEERS.\n\n" +
      "Examples:\n" +
      "  astram-node --network dev --mine --miner-address 0x7e5f4552091a69125d5dfcb7b8c2659029395bdf\n" +
      "  astram-node --network test --peers 203.0.113.5:8335 --datadir /srv/astram\n",
  );

program.parse();
const o = program.opts<Record<string, string | boolean | undefined>>();

const str = (v: string | boolean | undefined) => (v === undefined ? undefined : String(v));
const flags: Record<string, string | undefined> = {
  NETWORK: str(o.network),
  DATA_DIR: str(o.datadir),
  MINE: o.mine ? "true" : undefined,
  MINER_ADDRESS: str(o.minerAddress),
  MINER_THREADS: str(o.threads),
  VERIFY_THREADS: str(o.verifyThreads),
  MINER_GPU: o.gpu ? "true" : undefined,
  MINER_PACE: o.pace ? "true" : undefined,
  P2P_PORT: str(o.p2pPort),
  P2P_BIND_ADDR: str(o.p2pBind),
  HTTP_PORT: str(o.httpPort),
  HTTP_BIND_ADDR: str(o.httpBind),
  ETH_RPC_PORT: str(o.rpcPort),
  ETH_RPC_BIND_ADDR: str(o.rpcBind),
  PUBLIC_RPC_PORT: str(o.publicRpcPort),
  BOOTSTRAP_PEERS: str(o.peers),
  DNS_SERVER_URL: str(o.dnsServer),
  DNS_REGISTER: o.dnsRegister ? "true" : undefined,
  ALLOW_PRIVATE_PEERS: o.allowPrivatePeers ? "true" : undefined,
  LOG_LEVEL: str(o.logLevel),
};

function fail(message: string, code = 1): never {
  process.stderr.write(`astram-node: ${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  let loaded: ReturnType<typeof loadConfig>;
  try {
    loaded = loadConfig({ configFile: str(o.config), flags });
  } catch (e) {
    if (e instanceof ConfigError) fail(`configuration error: ${e.message}`, 2);
    throw e;
  }
  const { settings, warnings, sources } = loaded;
  if (o.printConfig) {
    process.stdout.write(`${JSON.stringify({ settings, sources }, null, 2)}\n`);
    return;
  }
  const log = createLogger(settings.logLevel);
  for (const w of warnings) log.warn(w);
  const node = new AstramNode({ settings, log });
  attachServices(node);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      log.warn("second signal: exiting immediately");
      process.exit(130);
    }
    stopping = true;
    log.info({ signal }, "shutting down");
    node.stop().then(
      () => process.exit(0),
      (e) => {
        log.error({ err: e }, "error while stopping");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  try {
    await node.start({ reindex: Boolean(o.reindex) });
  } catch (e) {
    if (e instanceof DataDirInUseError || e instanceof StoreError || e instanceof ConfigError)
      fail(e.message);
    const err = e as NodeJS.ErrnoException;
    if (err.code === "EADDRINUSE")
      fail(`a port is already in use (${err.message}); choose another with --*-port`);
    throw e;
  }
}

main().catch((e) => {
  process.stderr.write(`astram-node: unexpected error: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
