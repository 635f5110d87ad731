// Every target: its committed corpus still runs as recorded (seed-* files are valid inputs and are
// accepted, saved cov-* files end in an accepted or a documented error), and a short seeded
// coverage-guided run (bounded by executions, not time) finds nothing.
import { execFile } from "node:child_process";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { loadCorpus, SEED_PREFIX } from "../src/engine/corpus.js";
import { Fuzzer } from "../src/engine/fuzzer.js";
import { TARGETS } from "../src/targets/index.js";
import type { WorkerSummary } from "../src/worker-protocol.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../../", import.meta.url));
const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

/** Fixed: the short runs replay exactly; the seed is in every failure message. */
const SEED = 20_261_207;
const RUNS = 1500;

describe("committed corpora", () => {
  for (const target of TARGETS) {
    it(`${target.name}: seed files are accepted, saved inputs never crash`, async () => {
      const files = loadCorpus(target.name);
      expect(files.filter((f) => basename(f.file).startsWith(SEED_PREFIX)).length).toBeGreaterThan(0);
      const context = target.setup ? await target.setup() : undefined;
      try {
        for (const f of files) {
          const outcome = await Fuzzer.replay(target, context, f.bytes);
          const name = basename(f.file);
          if (name.startsWith(SEED_PREFIX)) expect(outcome, name).toEqual({ kind: "accepted" });
          else expect(outcome.kind, name).not.toBe("crash");
        }
      } finally {
        if (target.teardown) await target.teardown(context);
      }
    });
  }
});

describe(`short fuzz runs (seed ${SEED}, ${RUNS} executions per target)`, () => {
  it("find no crash, no hang and no broken invariant in any target", async () => {
    // A generous per-input bound: this catches hangs, not slowness on a busy machine.
    const r = await run(
      process.execPath,
      [cli, "all", "--runs", String(RUNS), "--seed", String(SEED), "--json", "--timeout-ms", "15000"],
      { cwd: root, maxBuffer: 16 * 1024 * 1024 },
    ).catch((e: { stdout: string }) => e);
    const summaries = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as WorkerSummary);
    expect(summaries.map((s) => s.target)).toEqual(TARGETS.map((t) => t.name));
    for (const s of summaries) {
      expect(s.finding, `${s.target} (seed ${SEED}): ${s.finding?.message}\n${s.finding?.stack}`).toBeNull();
      expect(s.execs, s.target).toBeGreaterThanOrEqual(RUNS);
      expect(s.coveredBlocks, s.target).toBeGreaterThan(0);
    }
  }, 240_000);
});
