import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The built CLI (tests run `tsc -b` first). */
export const WALLET_CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A fresh HOME for one test, so nothing touches the real ~/.Astram. */
export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), "astram-wallet-test-"));
}

/**
 * Runs `node dist/cli.js ...args` as a real process with `input` on stdin (then closed), an isolated
 * environment (HOME only, unless more is given) and returns its exit code and output. Asynchronous,
 * so a stub server in this process can answer it.
 */
export function runWallet(
  args: readonly string[],
  opts: { home: string; input?: string; env?: Record<string, string | undefined>; timeoutMs?: number },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: opts.home };
    for (const [k, v] of Object.entries(opts.env ?? {})) if (v !== undefined) env[k] = v;
    const child = spawn(process.execPath, [WALLET_CLI, ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`astram-wallet ${args.join(" ")} did not exit\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.on("error", () => {});
    child.stdin.end(opts.input ?? "");
  });
}

/** Parses the JSON error line a --json command writes to stderr. */
export function jsonError(stderr: string): { code: string; message: string; [k: string]: unknown } {
  const line = stderr
    .trim()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .pop();
  if (!line) throw new Error(`no JSON error in: ${stderr}`);
  return (JSON.parse(line) as { error: { code: string; message: string } }).error;
}
