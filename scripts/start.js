#!/usr/bin/env node
// npm start: a local Astram devnet node that mines (HTTP API and dashboard, Ethereum JSON-RPC) and
// the block explorer following it, each in its own process. Data goes to a fresh temporary directory
// unless `-- --datadir DIR` is given. Ctrl-C stops both. The node's ports follow its usual settings
// (e.g. ASTRAM_HTTP_PORT), and the explorer follows the node's HTTP port.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  console.log(
    "npm start [-- --datadir DIR] [--threads N] [--no-pace] [--explorer-port PORT]\n" +
      "Runs a devnet node that mines to a generated address (dashboard http://127.0.0.1:19533,\n" +
      "Ethereum JSON-RPC http://127.0.0.1:8545, chain id 1337) and the explorer (http://127.0.0.1:8080).",
  );
  process.exit(0);
}
const take = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const [, value] = args.splice(i, 2);
  return value;
};
const dataDir = take("--datadir") ?? mkdtempSync(join(tmpdir(), "astram-devnet-"));
const explorerPort = take("--explorer-port") ?? "8080";
const explorerUrl = `http://127.0.0.1:${explorerPort}`;

const children = [];
function run(name, script, argv, env = {}) {
  const child = spawn(process.execPath, [script, ...argv], {
    stdio: "inherit",
    env: { ...process.env, ...env },
  });
  child.on("exit", (code, signal) => {
    if (!stopping) {
      console.error(`${name} exited (${signal ?? code}); stopping`);
      stop(code ?? 1);
    }
  });
  children.push(child);
}

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
  Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.on("exit", r))))).then(
    () => process.exit(code),
  );
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));

run("node", here("../packages/astram-node/dist/dev-network.js"), ["--datadir", dataDir, ...args], {
  ASTRAM_EXPLORER_URL: explorerUrl,
});
run("explorer", here("../packages/astram-explorer/dist/cli.js"), [
  "--node",
  `http://127.0.0.1:${process.env.ASTRAM_HTTP_PORT ?? "19533"}`,
  "--db",
  join(dataDir, "explorer.sqlite"),
  "--port",
  explorerPort,
  "--log-level",
  "warn",
]);
