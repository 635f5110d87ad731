#!/usr/bin/env node
// The npm registry this project installs from lacks Biome's binaries for other platforms, so npm
// leaves them out of package-lock.json and `npm ci` then refuses the lockfile as out of sync. This
// adds the missing optional entries (never downloaded on a non-matching platform). Idempotent:
// .ci/run calls it before `npm ci`; run it after `npm install` changes the lockfile.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const file = fileURLToPath(new URL("../package-lock.json", import.meta.url));
const lock = JSON.parse(readFileSync(file, "utf8"));
const biome = lock.packages["node_modules/@biomejs/biome"];
if (!biome) process.exit(0);
let added = 0;
for (const [name, version] of Object.entries(biome.optionalDependencies ?? {})) {
  const key = `node_modules/${name}`;
  if (lock.packages[key]) continue;
  const platform = name.replace("@biomejs/cli-", "");
  const [os, cpu, libc] = platform.split("-");
  const entry = {
    version,
    cpu: [cpu],
    dev: true,
    license: "MIT OR Apache-2.0",
    optional: true,
    os: [os],
    engines: { node: ">=14.21.3" },
  };
  if (libc) entry.libc = [libc];
  lock.packages[key] = entry;
  added++;
}
if (added > 0) {
  writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(`complete-lockfile: added ${added} platform entries for @biomejs/biome`);
}
