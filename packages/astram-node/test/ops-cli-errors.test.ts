// Operator-facing failures end in one line naming the cause and the flag that fixes it, a non-zero
// exit status and no stack trace (the stack only with --debug), for astram-node and for npm start.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config/load-config.js";
import { GpuUnavailableError } from "../src/mining/gpu-search.js";
import { describeStartFailure } from "../src/util/start-failure.js";
import { tempDir } from "./helpers.js";

const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const failModule = fileURLToPath(new URL("../dist/util/cli-fail.js", import.meta.url));
const startScript = fileURLToPath(new URL("../../../scripts/start.js", import.meta.url));

/** Runs a process to its end (bounded at 60 s) and returns its exit status and output. */
function runToEnd(args: string[], env: NodeJS.ProcessEnv = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const p = spawn(process.execPath, args, {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d) => {
      stdout += d;
    });
    p.stderr.on("data", (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      p.kill("SIGKILL");
      reject(new Error(`timed out: ${args.join(" ")}\n${stderr}`));
    }, 60_000);
    p.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const busy: Server[] = [];
afterEach(async () => {
  await Promise.all(busy.splice(0).map((s) => new Promise((r) => s.close(r))));
});
/** A port some other program holds (what Hardhat or geth would do to 8545). */
function takenPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => resolve((s.address() as { port: number }).port));
    busy.push(s);
  });
}

const anyPorts = ["--p2p-port", "0", "--http-port", "0", "--admin-port", "0"];
const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at /);

describe("astram-node start-up failures", () => {
  it("a busy JSON-RPC port: one line naming the port and --rpc-port, exit 1, no stack", async () => {
    const port = await takenPort();
    const r = await runToEnd([
      cli,
      ...["--network", "dev", "--datadir", tempDir(), ...anyPorts, "--rpc-port", String(port)],
      ...["--log-level", "silent"],
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(`port 127.0.0.1:${port} is already in use`);
    expect(r.stderr).toContain("--rpc-port");
    expect(r.stderr).toContain("ASTRAM_ETH_RPC_PORT");
    noStack(r.stderr);
  }, 90_000);

  it("a data directory that cannot be created: one line naming it and --datadir, exit 1", async () => {
    const file = join(tempDir(), "a-file");
    writeFileSync(file, "not a directory");
    const r = await runToEnd([
      cli,
      ...["--network", "dev", "--datadir", join(file, "chain"), ...anyPorts, "--rpc-port", "0"],
      ...["--log-level", "silent"],
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(`cannot use the data directory ${join(file, "chain")}`);
    expect(r.stderr).toContain("--datadir");
    noStack(r.stderr);
  }, 90_000);

  it("a bad --log-format is a configuration error (exit 2) naming the choices", async () => {
    const r = await runToEnd([cli, "--network", "dev", "--datadir", tempDir(), "--log-format", "xml"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'astram-node: configuration error: --log-format must be auto, pretty, json, not "xml"\n',
    );
  }, 90_000);

  it("--log-format pretty writes readable lines (time, level, message, fields); json writes JSON", async () => {
    const port = await takenPort();
    const args = [cli, "--network", "dev", ...anyPorts, "--rpc-port", String(port)];
    const pretty = await runToEnd([...args, "--datadir", tempDir(), "--log-format", "pretty"]);
    const line = pretty.stdout.split("\n").find((l) => l.includes("starting Astram node"));
    expect(line).toMatch(
      /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO.*: starting Astram node .*"network":"Astram-devnet"/,
    );
    const json = await runToEnd([...args, "--datadir", tempDir(), "--log-format", "json"]);
    const first = JSON.parse(json.stdout.split("\n")[0]!) as { level: number; msg: string };
    expect(first).toMatchObject({ level: 30, msg: "starting Astram node" });
  }, 90_000);

  it("no GPU for --gpu reads as one sentence that says to run without --gpu", () => {
    const { settings } = loadConfig({ flags: { NETWORK: "dev", DATA_DIR: tempDir() } });
    const line = describeStartFailure(
      new GpuUnavailableError("no GPU adapter found through WebGPU"),
      settings,
    );
    expect(line).toBe(
      "no usable GPU for --gpu: no GPU adapter found through WebGPU; run without --gpu to mine on the CPU",
    );
  });

  it("an unexpected error is one line without --debug and its stack trace with it", async () => {
    const script = `import(${JSON.stringify(failModule)}).then((m) => m.failUnexpected(new TypeError("boom")))`;
    const plain = await runToEnd(["--input-type=module", "-e", script]);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toBe(
      "astram-node: unexpected error: TypeError: boom (run with --debug for the stack trace)\n",
    );
    const debug = await runToEnd(["--input-type=module", "-e", script, "--", "--debug"]);
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/^astram-node: unexpected error: TypeError: boom\n\s+at /);
  }, 60_000);
});

describe("npm start failures", () => {
  it("a busy --rpc-port: the node's one line, no stack, npm start exits 1 and stops the explorer", async () => {
    const port = await takenPort();
    const r = await runToEnd([
      startScript,
      ...["--datadir", tempDir(), "--http-port", String(await freeLoopbackPort())],
      ...["--rpc-port", String(port), "--p2p-port", "0", "--admin-port", "0"],
      ...["--explorer-port", String(await freeLoopbackPort()), "--log-level", "silent"],
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`port 127.0.0.1:${port} is already in use`);
    expect(r.stderr).toContain("--rpc-port");
    expect(r.stderr).not.toContain("EADDRINUSE");
    noStack(r.stderr);
  }, 90_000);

  it("an unknown option is refused in one line (exit 2)", async () => {
    const r = await runToEnd([startScript, "--http-prot", "1234"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--http-prot");
    noStack(r.stderr);
  }, 60_000);
});

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
