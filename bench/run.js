#!/usr/bin/env node
// npm run bench [-- FILTER]: runs every packages/*/bench/*.bench.js (built code) in turn and prints
// each figure beside the reference measured in the same run, as a ratio.
import { existsSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const filter = process.argv[2] ?? "";
const files = [];
for (const pkg of readdirSync(join(root, "packages"))) {
  const dir = join(root, "packages", pkg, "bench");
  if (!existsSync(dir)) continue;
  for (const f of readdirSync(dir).sort()) if (f.endsWith(".bench.js")) files.push(join(dir, f));
}

const fmt = (v) =>
  v >= 1e6 ? `${(v / 1e6).toFixed(2)}M` : v >= 1e3 ? `${(v / 1e3).toFixed(2)}k` : v.toFixed(v < 10 ? 3 : 1);

let failed = false;
for (const file of files) {
  const rel = relative(root, file);
  if (!rel.includes(filter)) continue;
  console.log(`\n## ${rel}`);
  try {
    const mod = await import(pathToFileURL(file).href);
    const rows = await mod.default();
    for (const r of rows) {
      let line = `  ${r.name}: ${fmt(r.value)} ${r.unit}`;
      if (r.ref)
        line += `   | ref ${r.ref.name}: ${fmt(r.ref.value)} ${r.ref.unit}   | ratio ${(r.value / r.ref.value).toFixed(3)}`;
      if (r.note) line += `   (${r.note})`;
      console.log(line);
    }
  } catch (err) {
    failed = true;
    console.log(`  FAILED: ${err?.stack ?? err}`);
  }
}
process.exitCode = failed ? 1 : 0;
