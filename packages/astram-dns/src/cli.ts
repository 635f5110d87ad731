#!/usr/bin/env node
import { Command, Option } from "commander";
import {
  CONFIG_FILE_ENV,
  CONFIG_KEYS,
  CONFIG_SPECS,
  type ConfigKey,
  type DnsConfig,
  envName,
  readConfigFile,
  resolveConfig,
} from "./config.js";
import { ConfigError } from "./errors.js";
import { createLogger } from "./logger.js";
import { createDnsServer } from "./server.js";

const HELP_AFTER = `
Configuration precedence (later wins):
  defaults < config file (--config FILE or ${CONFIG_FILE_ENV}) < environment < flags
The config file is a JSON object whose keys are the camelCase option names, e.g.
  {"port": 8053, "maxAge": 3600, "allowPrivate": false, "trustProxy": ["127.0.0.1"]}
Environment variables:
${CONFIG_KEYS.map((k) => `  ${envName(k).padEnd(30)} --${CONFIG_SPECS[k].flag}`).join("\n")}
Booleans accept true/false, 1/0, yes/no, on/off. A bad value is an error naming the option.

Endpoints:
  GET  /                      plain text "Astram DNS Server"
  GET  /health                {"status":"healthy","node_count":N,"timestamp":UNIX}
  POST /register              {"port":8335,"version":"0.1.0"} (address and height optional)
  GET  /nodes?limit=&min_height=   best nodes first
  GET  /stats                 node_count, max_height, avg_height, versions, timestamp

Security:
  A node registers its own address: the TCP source address of the request, or the
  X-Forwarded-For client when the request comes through a proxy listed in --trust-proxy.
  A body "address" must equal it. The address must be public (unless --allow-private) and its
  P2P port must complete an Astram P2P handshake for --network (network id, chain id, protocol
  version) within --probe-timeout; the listed height is the one from that handshake, never the
  body's. At most --max-nodes-per-ip endpoints per IP and --max-nodes-per-subnet per IPv4 /24
  (IPv6 /48). Health checks repeat the handshake every --health-interval and drop nodes after
  --health-failures failures in a row. Heights above the median + 6 count as median + 6.

On start, "astram-dns listening on URL" is printed to stderr; logs are JSON lines on stdout.
SIGINT/SIGTERM stop the server cleanly.
`;

function buildProgram(): Command {
  const program = new Command("astram-dns")
    .description("Astram discovery registry: nodes register their P2P endpoint; clients list the best ones.")
    .version("0.1.0")
    .addOption(new Option("--config <file>", "JSON config file"));
  for (const key of CONFIG_KEYS) {
    const spec = CONFIG_SPECS[key];
    const shown = Array.isArray(spec.default) ? spec.default.join(",") || "none" : String(spec.default);
    const help = `${spec.description} (default: ${shown}; env ${envName(key)})`;
    if (spec.arg === undefined) {
      program.addOption(new Option(`--${spec.flag}`, help));
      program.addOption(new Option(`--no-${spec.flag}`, `turn --${spec.flag} off`).hideHelp());
    } else {
      program.addOption(new Option(`--${spec.flag} ${spec.arg}`, help));
    }
  }
  return program.addHelpText("after", HELP_AFTER).showHelpAfterError();
}

/** Reads every source, validates, starts; returns the process exit code on failure to start. */
async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  program.parse(argv);
  const opts = program.opts<Record<string, unknown>>();
  let config: DnsConfig;
  try {
    const path = (opts.config as string | undefined) ?? process.env[CONFIG_FILE_ENV];
    const file = path !== undefined && path !== "" ? readConfigFile(path) : undefined;
    const flags: Partial<Record<ConfigKey, unknown>> = {};
    for (const key of CONFIG_KEYS) flags[key] = opts[key];
    config = resolveConfig({ file, env: process.env, flags });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`astram-dns: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }

  const logger = createLogger(config.logLevel);
  const server = createDnsServer({ ...config, logger });
  try {
    const info = await server.start();
    process.stderr.write(`astram-dns listening on ${info.url}\n`);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    logger.error({ event: "listen_failed", code: e.code, err: e.message }, "cannot listen");
    process.stderr.write(
      `astram-dns: cannot listen on ${config.host}:${config.port}: ${e.code ?? e.message}\n`,
    );
    process.exit(1);
  }

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(1); // a second signal forces the exit
    stopping = true;
    logger.info({ event: "signal", signal }, "stopping");
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ event: "stop_failed", err }, "stop failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

await main(process.argv);
