// Runs one benchmark module and prints its rows (child process of bench/run.js, so a crash in one
// benchmark cannot take the others with it).
import { pathToFileURL } from "node:url";

const fmt = (v) =>
  v >= 1e6 ? `${(v / 1e6).toFixed(2)}M` : v >= 1e3 ? `${(v / 1e3).toFixed(2)}k` : v.toFixed(v < 10 ? 3 : 1);

const mod = await import(pathToFileURL(process.argv[2]).href);
const rows = await mod.default();
for (const r of rows) {
  let line = `  ${r.name}: ${fmt(r.value)} ${r.unit}`;
  if (r.ref)
    line += `   | ref ${r.ref.name}: ${fmt(r.ref.value)} ${r.ref.unit}   | ratio ${(r.value / r.ref.value).toFixed(3)}`;
  if (r.note) line += `   (${r.note})`;
  console.log(line);
}
process.exit(0);
