import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { waitFor } from "../src/wait.js";

// No node outlives the simulator: Ctrl-C stops every node, and even kill -9 of the simulator
// leaves none behind (the orphan guard). Runs the built CLI (npm test builds first).
const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Pids of processes whose command line mentions `text`. */
function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(text)) pids.push(Number(entry));
    } catch {}
  }
  return pids;
}

async function startSimnet(): Promise<{ child: ChildProcess; workdir: string; output: () => string }> {
  const workdir = mkdtempSync(join(tmpdir(), "simnet-cleanup-"));
  dirs.push(workdir);
  const child = spawn(
    process.execPath,
    [
      cli,
      "baseline",
      "--nodes",
      "2",
      "--miners",
      "0",
      "--duration",
      "600",
      "--workdir",
      workdir,
      "--out",
      join(workdir, "report"),
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
  await waitFor(() => out.includes("all nodes up") || child.exitCode !== null, {
    what: "the simulator's nodes to start",
    timeoutMs: 90_000,
    intervalMs: 200,
  });
  // The two nodes (the simulator's own command line names the folder too).
  expect(processesMentioning(workdir).filter((pid) => pid !== child.pid).length).toBe(2);
  return { child, workdir, output: () => out };
}

describe("simnet cleanup", () => {
  it("Ctrl-C stops every node and still writes the report", async () => {
    const { child, workdir, output } = await startSimnet();
    child.kill("SIGINT");
    await waitFor(() => child.exitCode !== null, {
      what: "the simulator to exit",
      timeoutMs: 60_000,
      intervalMs: 200,
    });
    expect(processesMentioning(workdir)).toEqual([]);
    expect(output()).toContain("report:");
  }, 180_000);

  it("kill -9 of the simulator leaves no node behind", async () => {
    const { child, workdir } = await startSimnet();
    child.kill("SIGKILL");
    await waitFor(() => processesMentioning(workdir).length === 0, {
      what: "the orphaned nodes to stop themselves",
      timeoutMs: 30_000,
      intervalMs: 200,
    });
    expect(processesMentioning(workdir)).toEqual([]);
  }, 180_000);
});
