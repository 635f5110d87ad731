#!/usr/bin/env node
// Builds the native mining kernel (a Node-API addon) with node-gyp; run by `npm ci` / `npm install`
// as astram-node's install script, or by hand: `node native/build.mjs`. It never fails the install:
// when the toolchain (a C compiler, python3, Node headers) is missing or the build breaks, it says so
// and the miner uses the WebAssembly kernel instead (it logs that at start).
// ASTRAM_SKIP_NATIVE=1 skips the build.
import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const addon = join(here, "build", "Release", "astram_mining.node");
const say = (msg) => process.stderr.write(`astram-node native kernel: ${msg}\n`);

if (process.env.ASTRAM_SKIP_NATIVE === "1") {
  say("ASTRAM_SKIP_NATIVE=1: not built; the miner will use the WebAssembly kernel");
  process.exit(0);
}

// npm runs install scripts with its own node-gyp in npm_config_node_gyp (and on PATH); by hand, use
// the node-gyp bundled with the npm next to this node.
const prefix = join(dirname(process.execPath), "..");
const bundled = join(prefix, "lib", "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js");
const gyp = process.env.npm_config_node_gyp || (existsSync(bundled) ? bundled : "node-gyp");
const args = ["rebuild"];
// Without a nodedir node-gyp downloads headers; this node's own headers need no network.
if (!process.env.npm_config_nodedir && existsSync(join(prefix, "include", "node", "node_api.h")))
  args.push(`--nodedir=${prefix}`);
const [cmd, argv] = gyp.endsWith(".js") ? [process.execPath, [gyp, ...args]] : [gyp, args];
const r = spawnSync(cmd, argv, { cwd: here, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
if (r.status === 0 && existsSync(addon)) {
  say(`built ${addon}`);
} else {
  const why = r.error
    ? r.error.message
    : (r.stderr || r.stdout || "").trim().split("\n").slice(-15).join("\n");
  rmSync(addon, { force: true });
  say(`build failed; the miner will use the WebAssembly kernel.\n${why}`);
}
process.exit(0);
