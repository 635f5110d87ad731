// Issue 14: the 50-node network scenarios (baseline, fast, hostile), each bounded in time, run as
// real astram-node processes through the simulator's CLI; figures from its report. The reference
// beside propagation p99 is the latency-diameter bound (p99 of hops × link latency), as the issue asks.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
/** Seconds each scenario runs once its nodes are up (SIMNET_BENCH_DURATION overrides). */
const duration = Number(process.env.SIMNET_BENCH_DURATION ?? 180);
const nodes = Number(process.env.SIMNET_BENCH_NODES ?? 50);

export default async function simnetBench() {
  const out = mkdtempSync(join(tmpdir(), "simnet-bench-"));
  try {
    const r = spawnSync(
      process.execPath,
      [
        cli,
        "baseline",
        "fast",
        "hostile",
        "--nodes",
        String(nodes),
        "--duration",
        String(duration),
        "--out",
        out,
      ],
      { stdio: "inherit", timeout: (3 * (duration + 300) + 120) * 1000 },
    );
    if (r.status !== 0) throw new Error(`astram-simnet failed (${r.signal ?? `exit ${r.status}`})`);
    const summary = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
    const rows = [];
    for (const run of summary.runs) {
      const p = run.propagation.all;
      const boundP99 = run.bound.boundP99Ms;
      rows.push({
        name: `${run.label} propagation p99`,
        value: run.bound.measuredP99Ms ?? p?.p99 ?? Number.NaN,
        unit: "ms",
        ...(boundP99 !== null
          ? { ref: { name: "latency-diameter bound p99", value: boundP99, unit: "ms" } }
          : {}),
        note: "goal: ratio <= 1.5",
      });
      rows.push({ name: `${run.label} propagation p50`, value: p?.p50 ?? Number.NaN, unit: "ms" });
      rows.push({ name: `${run.label} stale-block rate`, value: run.stale.rate ?? Number.NaN, unit: "" });
      rows.push({
        name: `${run.label} honest peers banned`,
        value: run.bans.honest.length,
        unit: "bans",
        note: "goal: 0",
      });
      rows.push({
        name: `${run.label} max RSS per node`,
        value: run.resources.rssMaxMiB ?? Number.NaN,
        unit: "MiB",
      });
    }
    return rows;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
