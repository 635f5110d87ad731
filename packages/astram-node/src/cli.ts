#!/usr/bin/env node
import { Command, Option } from "commander";
import { addAdminCommands } from "./admin/admin-commands.js";
import { loadConfig } from "./config/load-config.js";
import { CONFIG_KEYS, ConfigError } from "./config/settings.js";
import { failCli, failUnexpected } from "./util/cli-fail.js";

/** Comma-separated words on lines of at most `width` characters. */
function wrapList(words: readonly string[], width: number, indent: string): string {
  const lines: string[] = [];
  let line = indent;
  for (const [i, w] of words.entries()) {
    const item = i < words.length - 1 ? `${w}, ` : `${w}.`;
    if (line.length + item.length > width && line.trim() !== "") {
      lines.push(line.trimEnd());
      line = indent;
    }
    line += item;
  }
  lines.push(line.trimEnd());
  return lines.join("\n");
}

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
  .option(
    "--p2p-bind <addr>",
    "P2P listen address (default 0.0.0.0); a specific address is also the source of outbound connections",
  )
  .option(
    "--p2p-advertise-port <port>",
    "P2P port announced to peers when they must dial another one (port forwarding; default: the bound port)",
  )
  .option("--http-port <port>", "HTTP API and dashboard port (default 19533)")
  .option("--http-bind <addr>", "HTTP API address (default 127.0.0.1)")
  .option("--rpc-port <port>", "Ethereum JSON-RPC port (default 8545)")
  .option("--rpc-bind <addr>", "Ethereum JSON-RPC address (default 127.0.0.1)")
  .option("--public-rpc-port <port>", "read-only public API port (default 0 = off)")
  .option("--admin-port <port>", "admin interface port (default 19534; testnet 19535; devnet 19536; 0 = any)")
  .option("--admin-bind <addr>", "admin interface address (default 127.0.0.1)")
  .option("--peers <list>", "comma-separated host:port peers to connect to")
  .option("--dns-server <url>", "discovery server URL")
  .option("--dns-register", "register this node with the discovery server")
  .option("--allow-private-peers", "accept peers on loopback and private addresses")
  .option("--log-level <level>", "fatal, error, warn, info, debug, trace or silent (default info)")
  .option(
    "--log-format <format>",
    "auto (human-readable lines on a terminal, JSON when piped), pretty or json (env ASTRAM_LOG_FORMAT)",
  )
  .option("--debug", "print the stack trace of an unexpected error (env ASTRAM_DEBUG=1)")
  .option("--reindex", "rebuild the UTXO set and indexes from the stored blocks, then run")
  .option("--print-config", "print the resolved settings (and where each came from) as JSON and exit")
  .addHelpText(
    "after",
    "\nSettings precedence: defaults < config file < environment (ASTRAM_<KEY>, e.g. ASTRAM_HTTP_PORT)\n" +
      "< command-line flags. Config file keys:\n" +
      wrapList(Object.keys(CONFIG_KEYS), 100, "  ") +
      "\n\n" +
      "Without a command the node runs. The commands talk to a running node's admin interface\n" +
      "(authenticated by its <datadir>/.cookie or ADMIN_PASSWORD); `astram-node help <command>` for each.\n\n" +
      "Examples:\n" +
      "  astram-node --network dev --mine --miner-address 0x7e5f4552091a69125d5dfcb7b8c2659029395bdf\n" +
      "  astram-node --network test --peers 203.0.113.5:8335 --datadir /srv/astram\n" +
      "  astram-node peers --network dev\n" +
      "  astram-node ban 203.0.113.9 --for 1h --reason spam --network dev\n",
  )
  // Options after a command name belong to the command (`astram-node peers --datadir D`).
  .enablePositionalOptions()
  .action(() => runNode().catch(failUnexpected));
addAdminCommands(program);

const str = (v: string | boolean | undefined) => (v === undefined ? undefined : String(v));

/** Command-line values by config KEY. */
const nodeFlags = (o: Record<string, string | boolean | undefined>): Record<string, string | undefined> => ({
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
  P2P_ADVERTISE_PORT: str(o.p2pAdvertisePort),
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
  ADMIN_PORT: str(o.adminPort),
  ADMIN_BIND_ADDR: str(o.adminBind),
});

/** Runs the node until SIGINT/SIGTERM (the default action). */
async function runNode(): Promise<void> {
  const o = program.opts<Record<string, string | boolean | undefined>>();
  let loaded: ReturnType<typeof loadConfig>;
  try {
    loaded = loadConfig({ configFile: str(o.config), flags: nodeFlags(o) });
  } catch (e) {
    if (e instanceof ConfigError) failCli(`configuration error: ${e.message}`, 2);
    throw e;
  }
  const { settings, warnings, sources } = loaded;
  if (o.printConfig) {
    const shown = { ...settings, adminPassword: settings.adminPassword === undefined ? undefined : "(set)" };
    process.stdout.write(`${JSON.stringify({ settings: shown, sources }, null, 2)}\n`);
    return;
  }
  // The node's modules load only to run it: the admin commands start quickly without them.
  const [
    { StoreError },
    { createLogger, parseLogFormat },
    { AstramNode },
    { attachServices },
    { DataDirInUseError },
    { describeStartFailure },
  ] = await Promise.all([
    import("./chain/chain-store.js"),
    import("./log.js"),
    import("./node.js"),
    import("./services.js"),
    import("./util/datadir-lock.js"),
    import("./util/start-failure.js"),
  ]);
  let logFormat: ReturnType<typeof parseLogFormat>;
  try {
    logFormat = parseLogFormat(str(o.logFormat));
  } catch (e) {
    failCli(`configuration error: ${(e as Error).message}`, 2);
  }
  const log = createLogger(settings.logLevel, "astram-node", logFormat);
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
      failCli(e.message);
    const reason = describeStartFailure(e, settings);
    if (reason !== undefined) failCli(reason);
    throw e;
  }
}

program.parseAsync().catch(failUnexpected);
