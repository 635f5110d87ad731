#!/usr/bin/env node
import { Command } from "commander";
import { ENV_PREFIX, resolveSettings, type SettingKey } from "./config/settings.js";
import { redactUrl } from "./db/open.js";
import { ConfigError } from "./errors.js";
import { Explorer } from "./explorer.js";
import { createLogger, type LogFormat, parseLogFormat } from "./log.js";

const program = new Command()
  .name("astram-explorer")
  .description(
    "Indexes an Astram node through its HTTP API into SQLite (default) or PostgreSQL and serves the\n" +
      "explorer's JSON API (/api) and web UI.\n\n" +
      "Precedence: defaults < config file (--config, KEY=VALUE lines) < environment\n" +
      `(${ENV_PREFIX}NODE_URL, _DB, _HOST, _PORT, _POLL_MS, _LOG_LEVEL) < flags.`,
  )
  .option("--node <url>", "the node's HTTP API (default http://127.0.0.1:19533)")
  .option(
    "--db <location>",
    "SQLite file path or postgres://user:pass@host/db (default ~/.Astram/explorer/explorer.sqlite)",
  )
  .option("--host <address>", "address the web UI and API bind to (default 127.0.0.1)")
  .option("--port <port>", "port of the web UI and API, 0 = any free port (default 8080)")
  .option("--poll-ms <ms>", "pause between polls of the node once caught up (default 2000)")
  .option("--log-level <level>", "fatal, error, warn, info, debug, trace or silent (default info)")
  .option(
    "--log-format <format>",
    "auto (readable lines on a terminal, JSON when piped), pretty or json (env ASTRAM_LOG_FORMAT)",
  )
  .option("--debug", "print the stack trace of an unexpected error (env ASTRAM_DEBUG=1)")
  .option("--config <file>", "config file of KEY=VALUE lines (NODE_URL, DB, HOST, PORT, POLL_MS, LOG_LEVEL)")
  .option("--print-config", "print the resolved settings and their sources as JSON, then exit")
  .showHelpAfterError();

async function main(): Promise<void> {
  program.parse();
  const o = program.opts<{
    node?: string;
    db?: string;
    host?: string;
    port?: string;
    pollMs?: string;
    logLevel?: string;
    logFormat?: string;
    config?: string;
    printConfig?: boolean;
  }>();
  const flags: Partial<Record<SettingKey, string>> = {};
  if (o.node !== undefined) flags.NODE_URL = o.node;
  if (o.db !== undefined) flags.DB = o.db;
  if (o.host !== undefined) flags.HOST = o.host;
  if (o.port !== undefined) flags.PORT = o.port;
  if (o.pollMs !== undefined) flags.POLL_MS = o.pollMs;
  if (o.logLevel !== undefined) flags.LOG_LEVEL = o.logLevel;
  const { settings, sources } = resolveSettings({
    ...(o.config !== undefined ? { configFile: o.config } : {}),
    env: process.env,
    flags,
  });
  if (o.printConfig) {
    process.stdout.write(
      JSON.stringify({ settings: { ...settings, db: redactUrl(settings.db) }, sources }, null, 2) + "\n",
    );
    return;
  }
  let logFormat: LogFormat;
  try {
    logFormat = parseLogFormat(o.logFormat);
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
  const log = createLogger(settings.logLevel, "astram-explorer", logFormat);
  let exitCode = 0;
  const explorer = new Explorer({
    nodeUrl: settings.nodeUrl,
    db: settings.db,
    host: settings.host,
    port: settings.port,
    log,
    indexer: {
      pollMs: settings.pollMs,
      onFatal: () => {
        exitCode = 3;
        void shutdown("fatal");
      },
    },
  });
  let stopping = false;
  async function shutdown(reason: string) {
    if (stopping) {
      process.exit(exitCode || 1);
    }
    stopping = true;
    log.info({ reason }, "stopping");
    await explorer.stop();
    log.info("stopped");
    process.exit(exitCode);
  }
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  try {
    await explorer.start();
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { port?: number; address?: string };
    if (err.code === "EADDRINUSE" || err.code === "EADDRNOTAVAIL")
      fail(
        `${err.address ?? settings.host}:${err.port ?? settings.port} ${err.code === "EADDRINUSE" ? "is already in use" : "is not an address of this machine"}; choose another with --port or --host (${ENV_PREFIX}PORT; npm start: --explorer-port)`,
      );
    throw e;
  }
}

/** One line on stderr and an exit status (1 = failed, 2 = bad configuration). */
function fail(message: string, code = 1): never {
  process.stderr.write(`astram-explorer: ${message}\n`);
  process.exit(code);
}

main().catch((e: unknown) => {
  const err = e as Error & { code?: string };
  if (err instanceof ConfigError) fail(err.message, 2);
  if (process.argv.includes("--debug") || process.env.ASTRAM_DEBUG === "1")
    process.stderr.write(`astram-explorer: ${err.stack ?? err.message}\n`);
  fail(
    `${err.code ? `[${err.code}] ` : ""}${err.message}${process.argv.includes("--debug") ? "" : " (--debug shows the stack trace)"}`,
  );
});
