// The fuzzing engine's parts: seeded mutation, minimisation, and (through the built CLI, in a
// worker as `npm run fuzz` runs it) coverage guidance, crash files with a replay command, and the
// hang watchdog, on a toy target.
import { execFile } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { minimize } from "../src/engine/minimize.js";
import { Mutator } from "../src/engine/mutator.js";
import { Rng } from "../src/engine/rng.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../../", import.meta.url));
const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const toy = fileURLToPath(new URL("./fixtures/toy-target.mjs", import.meta.url));

interface Summary {
  execs: number;
  finding: { kind: string; message: string; file: string; size: number } | null;
}

async function fuzzToy(args: string[], env: Record<string, string> = {}): Promise<Summary> {
  const r = await run(process.execPath, [cli, "--target-module", toy, "--json", ...args], {
    cwd: root,
    env: { ...process.env, ...env },
  }).catch((e: { stdout: string }) => e);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as Summary;
}

describe("mutator", () => {
  it("is a function of its seed, and respects the length bound", () => {
    const SEED = 1234;
    const outputs = (seed: number) => {
      const m = new Mutator(new Rng(seed), [Uint8Array.of(0xfb)], 32);
      const input = Uint8Array.from({ length: 24 }, (_, i) => i);
      return Array.from({ length: 200 }, () => Array.from(m.mutate(input, Uint8Array.of(9, 9, 9))));
    };
    const a = outputs(SEED);
    expect(outputs(SEED), `seed ${SEED}`).toEqual(a);
    for (const out of a) expect(out.length).toBeLessThanOrEqual(32);
  });
});

describe("minimize", () => {
  it("shrinks a failing input to the bytes the failure needs", async () => {
    const input = Uint8Array.from({ length: 100 }, (_, i) => (i === 30 ? 7 : i === 70 ? 9 : 1));
    const fails = async (b: Uint8Array) => {
      const i = b.indexOf(7);
      return i >= 0 && b.indexOf(9, i) > i;
    };
    expect(Array.from(await minimize(input, fails, 10_000))).toEqual([7, 9]);
  });
});

describe("the fuzzer on a toy target (built CLI, worker thread)", () => {
  it("follows coverage to a crash behind four byte comparisons, minimises it and writes a replayable file", async () => {
    const SEED = 42;
    const s = await fuzzToy(["--runs", "2000000", "--seed", String(SEED), "--timeout-ms", "10000"]);
    try {
      expect(s.finding, `seed ${SEED}`).toMatchObject({
        kind: "crash",
        message: "TypeError: planted crash",
        size: 4,
      });
      expect(Buffer.from(readFileSync(s.finding!.file)).toString()).toBe("FUZZ");
      const replay = await run(process.execPath, [cli, "--target-module", toy, "--replay", s.finding!.file], {
        cwd: root,
      }).catch((e: { code: number; stdout: string }) => e);
      expect((replay as { code?: number }).code).toBe(1);
      expect(replay.stdout).toContain("CRASH");
      expect(replay.stdout).toContain("planted crash");
    } finally {
      if (s.finding) rmSync(s.finding.file, { force: true });
    }
  }, 120_000);

  it("ends an input that never returns and saves it as a timeout", async () => {
    const s = await fuzzToy(["--runs", "100", "--seed", "1", "--timeout-ms", "1000"], { TOY_SEED: "HANG" });
    try {
      expect(s.finding).toMatchObject({ kind: "timeout" });
      expect(Buffer.from(readFileSync(s.finding!.file)).toString()).toBe("HANG");
    } finally {
      if (s.finding) rmSync(s.finding.file, { force: true });
    }
  }, 60_000);
});
