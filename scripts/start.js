#!/usr/bin/env node
// npm start: a local Astram devnet node that mines (HTTP API and dashboard, Ethereum JSON-RPC) and
// the block explorer following it, each in its own process. Every option but --explorer-port goes to
// the node (packages/astram-node/src/dev-network.ts: --datadir, --http-port, --rpc-port, --p2p-port,
// --admin-port, …; `npm start -- --help` lists them). Ctrl-C stops both. A child that cannot start
// has already said why in one line; this script then stops the other and exits with its status.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const nodeScript = here("../packages/astram-node/dist/dev-network.js");
const explorerScript = here("../packages/astram-explorer/dist/cli.js");
for (const script of [nodeScript, explorerScript]) {
  if (!existsSync(script)) {
    console.error(`npm start: ${script} is not built; run npm run build (npm start builds first)`);
    process.exit(1);
  }
}

const args = process.argv.slice(2);
/** The value of `--name V` or `--name=V`; with remove, takes it out of args. */
function option(name, remove = false) {
  for (const [i, a] of args.entries()) {
    if (a === name) {
      const [, value] = remove ? args.splice(i, 2) : args.slice(i, i + 2);
      return value;
    }
    if (a.startsWith(`${name}=`)) {
      if (remove) args.splice(i, 1);
      return a.slice(name.length + 1);
    }
  }
  return undefined;
}

if (args.includes("--help") || args.includes("-h")) {
  process.exit(spawnSync(process.execPath, [nodeScript, "--help"], { stdio: "inherit" }).status ?? 1);
}
const explorerPort = option("--explorer-port", true) ?? "8080";
const explorerUrl = `http://127.0.0.1:${explorerPort}`;
// The explorer follows the node's HTTP API, so it needs the port the node will bind.
const httpPort = option("--http-port") ?? process.env.ASTRAM_HTTP_PORT ?? "19533";
if (!/^[1-9]\d{0,4}$/.test(httpPort) || Number(httpPort) > 65535) {
  console.error(
    `npm start: --http-port must be a port from 1 to 65535 (the explorer follows it), not "${httpPort}"`,
  );
  process.exit(2);
}
if (option("--datadir") === undefined) args.push("--datadir", mkdtempSync(join(tmpdir(), "astram-devnet-")));
const dataDir = option("--datadir");
const debug = args.includes("--debug") ? ["--debug"] : [];
const logFormat = option("--log-format");

const children = [];
let stopping = false;
function run(name, script, argv, env = {}) {
  const child = spawn(process.execPath, [script, ...argv], {
    stdio: "inherit",
    env: { ...process.env, ...env },
  });
  child.on("exit", (code, signal) => {
    if (stopping) return;
    // A non-zero exit was explained by the child itself; only a signal needs saying.
    if (signal !== null) console.error(`npm start: the ${name} was stopped by ${signal}; stopping`);
    else if (code === 0) console.error(`npm start: the ${name} exited; stopping`);
    stop(code ?? 1);
  });
  children.push(child);
}

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGTERM");
  Promise.all(
    children.map((c) =>
      c.exitCode !== null || c.signalCode !== null ? null : new Promise((r) => c.on("exit", r)),
    ),
  ).then(() => process.exit(code));
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));

run("node", nodeScript, args, { ASTRAM_EXPLORER_URL: explorerUrl });
run("explorer", explorerScript, [
  "--node",
  `http://127.0.0.1:${httpPort}`,
  "--db",
  join(dataDir, "explorer.sqlite"),
  "--port",
  explorerPort,
  "--log-level",
  "warn",
  ...(logFormat !== undefined ? ["--log-format", logFormat] : []),
  ...debug,
]);
