import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { getJson, postJson, waitFor } from "./helpers.js";
import { p2pStandIn } from "./p2p-stand-in.js";

// The built CLI (run `npx tsc -b` first), started as a real process.
const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

interface Proc {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

const procs: Proc[] = [];
afterEach(() => {
  for (const p of procs.splice(0)) if (p.child.exitCode === null) p.child.kill("SIGKILL");
});

function run(args: string[], env: Record<string, string> = {}): Proc {
  // Only the variables the test sets: an ASTRAM_DNS_* from the caller's shell must not leak in.
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("ASTRAM_DNS_")));
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...base, ...env }, stdio: "pipe" });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => {
    out += d;
  });
  child.stderr!.on("data", (d) => {
    err += d;
  });
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const p = { child, stdout: () => out, stderr: () => err, exit };
  procs.push(p);
  return p;
}

async function started(p: Proc): Promise<string> {
  await waitFor(() => /listening on \S+/.test(p.stderr()) || p.child.exitCode !== null, 20_000);
  const m = /astram-dns listening on (\S+)/.exec(p.stderr());
  if (m === null) throw new Error(`CLI did not start: ${p.stderr()}`);
  return m[1]!;
}

const logLines = (p: Proc) =>
  p
    .stdout()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe("astram-dns CLI", () => {
  it("prints its address, serves, logs registrations as JSON lines, stops on SIGTERM", async () => {
    const p = run(["--port", "0", "--host", "127.0.0.1", "--allow-private", "--health-interval", "0"]);
    const url = await started(p);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const p2p = await p2pStandIn({ height: 3 });
    const reply = await postJson(`${url}/register`, { port: p2p.port, version: "0.1.0", height: 3 });
    expect(reply.body).toMatchObject({ success: true, registered_port: p2p.port });
    expect((await getJson(`${url}/stats`)).body).toMatchObject({ node_count: 1, max_height: 3 });
    await waitFor(() => logLines(p).some((l) => l.event === "registered"));
    const reg = logLines(p).find((l) => l.event === "registered")!;
    expect(reg).toMatchObject({ level: 30, address: "127.0.0.1", port: p2p.port, new: true });
    p.child.kill("SIGTERM");
    expect(await p.exit).toBe(0);
    expect(logLines(p).some((l) => l.event === "stopped")).toBe(true);
    await p2p.close();
  });

  it("stops cleanly on SIGINT", async () => {
    const p = run(["--port", "0", "--host", "127.0.0.1", "--log-level", "silent"]);
    await started(p);
    p.child.kill("SIGINT");
    expect(await p.exit).toBe(0);
    expect(p.stdout()).toBe("");
  });

  it("applies defaults < config file < environment < flags", async () => {
    const dir = mkdtempSync(join(tmpdir(), "astram-dns-cli-"));
    const file = join(dir, "dns.json");
    writeFileSync(file, JSON.stringify({ host: "127.0.0.1", port: 0, maxAge: 100, healthInterval: 0 }));
    const maxAgeOf = async (p: Proc) => {
      await started(p);
      await waitFor(() => logLines(p).some((l) => l.event === "listening"));
      const age = logLines(p).find((l) => l.event === "listening")!.max_age;
      p.child.kill("SIGTERM");
      await p.exit;
      return age;
    };
    expect(await maxAgeOf(run(["--config", file]))).toBe(100);
    expect(await maxAgeOf(run(["--config", file], { ASTRAM_DNS_MAX_AGE: "200" }))).toBe(200);
    expect(await maxAgeOf(run(["--config", file, "--max-age", "300"], { ASTRAM_DNS_MAX_AGE: "200" }))).toBe(
      300,
    );
    expect(await maxAgeOf(run([], { ASTRAM_DNS_CONFIG: file }))).toBe(100);
  });

  it("reads booleans from the environment; --no-allow-private overrides them", async () => {
    const p2p = await p2pStandIn();
    const env = { ASTRAM_DNS_ALLOW_PRIVATE: "yes", ASTRAM_DNS_HOST: "127.0.0.1", ASTRAM_DNS_PORT: "0" };
    const registerVia = async (p: Proc) => {
      const url = await started(p);
      const reply = await postJson(`${url}/register`, { port: p2p.port, version: "0.1.0", height: 1 });
      p.child.kill("SIGTERM");
      await p.exit;
      return reply.body;
    };
    expect(await registerVia(run([], env))).toMatchObject({ success: true });
    expect(await registerVia(run(["--no-allow-private"], env))).toMatchObject({ code: "ADDRESS_NOT_PUBLIC" });
    await p2p.close();
  });

  it.each([
    [["--max-age", "soon"], {}, /max-age \(flag --max-age\): "soon"; accepted: a number of seconds > 0/],
    [["--port", "0"], { ASTRAM_DNS_LOG_LEVEL: "loud" }, /log-level \(environment ASTRAM_DNS_LOG_LEVEL\)/],
    [["--config", "/nonexistent/dns.json"], {}, /cannot read config file \/nonexistent\/dns.json: ENOENT/],
  ])("refuses bad configuration %j with exit code 2", async (args, env, message) => {
    const p = run(args, env);
    expect(await p.exit).toBe(2);
    expect(p.stderr()).toMatch(message);
  });

  it("--help explains options, precedence, environment, endpoints and security", async () => {
    const p = run(["--help"]);
    expect(await p.exit).toBe(0);
    const help = p.stdout();
    for (const s of [
      "--port",
      "--host",
      "--max-age",
      "--health-interval",
      "--allow-private",
      "--trust-proxy",
      "--log-level",
      "--config",
      "defaults < config file",
      "ASTRAM_DNS_MAX_AGE",
      "POST /register",
      "GET  /nodes?limit=&min_height=",
      "X-Forwarded-For",
    ]) {
      expect(help).toContain(s);
    }
  });
});
