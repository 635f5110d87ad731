#!/usr/bin/env node
// npm run bench [-- FILTER]: runs every packages/*/bench/*.bench.js (built code), each in its own
// process, and prints each figure beside the reference measured in the same run, as a ratio.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const runner = fileURLToPath(new URL("./run-file.js", import.meta.url));
const filter = process.argv[2] ?? "";
const files = [];
for (const pkg of readdirSync(join(root, "packages"))) {
  const dir = join(root, "packages", pkg, "bench");
  if (!existsSync(dir)) continue;
  for (const f of readdirSync(dir).sort()) if (f.endsWith(".bench.js")) files.push(join(dir, f));
}

let failed = false;
for (const file of files) {
  const rel = relative(root, file);
  if (!rel.includes(filter)) continue;
  console.log(`\n## ${rel}`);
  const r = spawnSync(process.execPath, [runner, file], { stdio: "inherit" });
  if (r.status !== 0) {
    failed = true;
    console.log(`  FAILED (${r.signal ?? `exit ${r.status}`})`);
  }
}
process.exitCode = failed ? 1 : 0;
