// The node commands of the `astreum` CLI, run as real processes from the built dist/: keygen, a
// validating node (JSON events), tx send through the network with --wait, configuration precedence
// (defaults < file < environment < flags), and errors.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildNodeConfig, configFromEnv, readKeyFile } from "../src/cli/node-config.js";

const pkg = fileURLToPath(new URL("..", import.meta.url));
const cli = join(pkg, "dist", "cli", "main.js");
const tsc = fileURLToPath(new URL("../../../node_modules/typescript/bin/tsc", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "astreum-node-cli-"));
const children: ChildProcess[] = [];

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(() => {
  execFileSync(process.execPath, [tsc, "-b", pkg], { stdio: "inherit" });
}, 120_000);
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  rmSync(tmp, { recursive: true, force: true });
});

describe("astreum keygen", () => {
  it("prints a key pair as JSON, or writes a 0600 key file and prints the public key", async () => {
    const printed = await run(["keygen"]);
    expect(printed.code).toBe(0);
    const pair = JSON.parse(printed.stdout) as { secret_key: string; public_key: string };
    expect(pair.secret_key).toMatch(/^[0-9a-f]{64}$/);
    expect(pair.public_key).toMatch(/^[0-9a-f]{64}$/);
    const file = join(tmp, "k1.json");
    const written = await run(["keygen", "--out", file]);
    expect(written.code).toBe(0);
    expect(written.stdout.trim()).toBe(
      (JSON.parse(readFileSync(file, "utf8")) as { public_key: string }).public_key,
    );
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readKeyFile(file).length).toBe(32);
    const again = await run(["keygen", "--out", file]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: EEXIST/);
  }, 90_000); // three CLI starts: timed out once at 30 s beside the simulator test on a busy CI machine
});

describe("astreum node + astreum tx send", () => {
  it("a validating node reports its port and heads; tx send gets a transfer included", async () => {
    const key = join(tmp, "validator.json");
    await run(["keygen", "--out", key]);
    const validatorKey = (JSON.parse(readFileSync(key, "utf8")) as { public_key: string }).public_key;
    const node = spawn(
      process.execPath,
      [
        cli,
        "node",
        "--validate",
        key,
        "--no-default-seed",
        "--port",
        "0",
        "--bind",
        "127.0.0.1",
        "--no-logging",
        "--json",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    children.push(node);
    const events: {
      event: string;
      port?: number;
      height?: number;
      how?: string;
      validation_public_key?: string;
    }[] = [];
    createInterface({ input: node.stdout! }).on("line", (l) => events.push(JSON.parse(l)));
    const waitEvent = async (match: (e: (typeof events)[number]) => boolean) => {
      const end = Date.now() + 30_000;
      for (;;) {
        const e = events.find(match);
        if (e !== undefined) return e;
        if (Date.now() > end || node.exitCode !== null)
          throw new Error(`no such event; got ${JSON.stringify(events)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const listening = await waitEvent((e) => e.event === "listening");
    expect(listening.validation_public_key).toBe(validatorKey);
    expect((await waitEvent((e) => e.event === "head")).how).toBe("genesis");
    await waitEvent((e) => e.event === "head" && (e.height ?? 0) >= 2); // the validator has earned 2

    const recipient = "ab".repeat(32);
    const sent = await run([
      "tx",
      "send",
      "--key",
      key,
      "--to",
      recipient,
      "--amount",
      "1",
      "--default-seed",
      `127.0.0.1:${listening.port}`,
      "--bind",
      "127.0.0.1",
      "--no-logging",
      "--wait",
      "--timeout",
      "40",
      "--json",
    ]);
    expect(sent.stderr).toBe("");
    expect(sent.code).toBe(0);
    const result = JSON.parse(sent.stdout) as {
      transaction: string;
      counter: string;
      status: string;
      height: number;
    };
    expect(result.transaction).toMatch(/^[0-9a-f]{64}$/);
    expect(result.counter).toBe("1");
    expect(result.status).toBe("SUCCESS");
    expect(result.height).toBeGreaterThanOrEqual(3);

    node.kill("SIGTERM");
    const code = await new Promise((r) => node.on("exit", r));
    expect(code).toBe(0);
  });

  it("errors: an unreadable key file, a malformed recipient, a bad config value", async () => {
    const missing = await run(["node", "--validate", join(tmp, "nope.json"), "--no-logging"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: CONFIG_INVALID: invalid config key file: cannot read/);
    const key = join(tmp, "k2.json");
    await run(["keygen", "--out", key]);
    const badTo = await run(["tx", "send", "--key", key, "--to", "xyz", "--amount", "1", "--no-logging"]);
    expect(badTo.code).toBe(1);
    expect(badTo.stderr).toMatch(/invalid config --to/);
    const badPort = await run(["node", "--port", "99999", "--no-logging"]);
    expect(badPort.code).toBe(1);
    expect(badPort.stderr).toBe(
      "error: CONFIG_INVALID: invalid config incoming_port: must be at most 65535\n",
    );
  });
});

/** Starts `astreum node ARGS --json` and collects its events. */
function startNode(args: string[]) {
  const child = spawn(process.execPath, [cli, "node", ...args, "--json"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  const events: Record<string, unknown>[] = [];
  let stderr = "";
  child.stderr!.on("data", (d) => {
    stderr += d;
  });
  createInterface({ input: child.stdout! }).on("line", (l) => events.push(JSON.parse(l)));
  const waitEvent = async (match: (e: Record<string, unknown>) => boolean, what: string) => {
    const end = Date.now() + 30_000;
    for (;;) {
      const e = events.find(match);
      if (e !== undefined) return e;
      if (Date.now() > end || child.exitCode !== null)
        throw new Error(`no ${what}; got ${JSON.stringify(events)} ${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { child, events, waitEvent };
}

describe("a node with a state directory (what a network simulator runs)", () => {
  it("a validator killed with SIGKILL comes back with its relay key and head; tx send --wait prints the hash on timeout", async () => {
    const key = join(tmp, "restart-validator.json");
    await run(["keygen", "--out", key]);
    const state = join(tmp, "state");
    const args = [
      "--validate",
      key,
      "--state-dir",
      state,
      "--no-default-seed",
      "--port",
      "0",
      "--bind",
      "127.0.0.1",
    ];
    const first = startNode(args);
    const listening = await first.waitEvent((e) => e.event === "listening", "listening");
    expect(listening.time).toEqual(expect.any(Number));
    await first.waitEvent((e) => e.event === "head" && (e.height as number) >= 2, "height 2");
    first.child.kill("SIGKILL");
    await new Promise((r) => first.child.on("exit", r));
    const last = Math.max(...first.events.filter((e) => e.event === "head").map((e) => e.height as number));
    expect(statSync(join(state, "node-state.json")).mode & 0o777).toBe(0o600);
    expect(statSync(join(state, "atoms", "level_0")).isDirectory()).toBe(true);
    expect(statSync(join(state, "logs")).isDirectory()).toBe(true);

    const second = startNode(args);
    const again = await second.waitEvent((e) => e.event === "listening", "listening");
    expect(again.relay_public_key).toBe(listening.relay_public_key);
    const restored = await second.waitEvent((e) => e.event === "head", "a head");
    expect(restored.how).toBe("restored");
    // a head is written (atomically) before it is announced: nothing announced is lost
    expect(restored.height as number).toBeGreaterThanOrEqual(last);
    await second.waitEvent((e) => e.event === "head" && e.how === "produced", "a new block");
    expect(second.events.some((e) => e.how === "genesis")).toBe(false);

    // A transfer no block can include (its counter is far ahead): --wait times out, after
    // printing which transaction it waited for.
    const pending = await run([
      "tx",
      "send",
      "--key",
      key,
      "--to",
      "cd".repeat(32),
      "--amount",
      "1",
      "--counter",
      "99",
      "--default-seed",
      `127.0.0.1:${again.port}`,
      "--bind",
      "127.0.0.1",
      "--no-logging",
      "--wait",
      "--timeout",
      "3",
      "--json",
    ]);
    expect(pending.code).toBe(1);
    const printed = JSON.parse(pending.stdout) as { transaction: string; status: string };
    expect(printed.transaction).toMatch(/^[0-9a-f]{64}$/);
    expect(printed.status).toBe("PENDING");
    expect(pending.stderr).toMatch(/not included within 3 s/);
    second.child.kill("SIGTERM");
    expect(await new Promise((r) => second.child.on("exit", r))).toBe(0);
  });

  it("keygen --relay makes a relay key; --relay-key fixes the node's identity", async () => {
    const file = join(tmp, "relay.json");
    const made = await run(["keygen", "--relay", "--out", file]);
    expect(made.code).toBe(0);
    const pub = made.stdout.trim();
    const n = startNode([
      "--relay-key",
      file,
      "--no-default-seed",
      "--port",
      "0",
      "--bind",
      "127.0.0.1",
      "--no-logging",
    ]);
    const listening = await n.waitEvent((e) => e.event === "listening", "listening");
    expect(listening.relay_public_key).toBe(pub);
    n.child.kill("SIGTERM");
    await new Promise((r) => n.child.on("exit", r));
  });

  it("an unknown key in the config file is an error naming it", async () => {
    const file = join(tmp, "typo.json");
    writeFileSync(file, JSON.stringify({ incoming_port: 0, peer_timout: 5 }));
    const r = await run(["node", "--config", file, "--no-logging"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "error: CONFIG_INVALID: invalid config peer_timout: unknown Node config key; did you mean peer_timeout?\n",
    );
  });
});

describe("configuration precedence", () => {
  it("defaults < config file < environment (ASTREUM_<KEY>) < flags", () => {
    const file = join(tmp, "config.json");
    writeFileSync(
      file,
      JSON.stringify({
        incoming_port: 1111,
        chain: "main",
        peer_timeout: 5,
        additional_seeds: ["10.0.0.1:1"],
      }),
    );
    const env = {
      ASTREUM_INCOMING_PORT: "2222",
      ASTREUM_PEER_TIMEOUT: "7",
      ASTREUM_DEFAULT_SEED: "null",
      ASTREUM_BIND_ADDRESS: "127.0.0.1",
    };
    expect(configFromEnv(env)).toEqual({
      incoming_port: 2222,
      peer_timeout: 7,
      default_seed: null,
      bindAddress: "127.0.0.1",
    });
    const c = buildNodeConfig({ config: file, port: "3333", seed: ["10.0.0.2:2"] }, {}, env);
    expect(c).toMatchObject({
      incoming_port: "3333",
      chain: "main",
      peer_timeout: 7,
      default_seed: null,
      bindAddress: "127.0.0.1",
      additional_seeds: ["10.0.0.1:1", "10.0.0.2:2"],
    });
    expect(buildNodeConfig({ stateDir: "/s" }, {}, {})).toEqual({
      stateDirectory: "/s",
      cold_storage_path: "/s/atoms",
      loggingDirectory: "/s/logs",
    });
    expect(buildNodeConfig({ stateDir: "/s" }, { cold_storage_path: "/c" }, {})).toMatchObject({
      cold_storage_path: "/c",
    });
    expect(configFromEnv({ ASTREUM_STATE_DIRECTORY: "/e", ASTREUM_MAX_PEERS_PER_IP: "2" })).toEqual({
      stateDirectory: "/e",
      maxPeersPerIp: 2,
    });
    expect(buildNodeConfig({ defaultSeed: false, logging: false, verbose: true }, {}, {})).toEqual({
      default_seed: null,
      logging_enabled: false,
      verbose: true,
    });
    writeFileSync(join(tmp, "bad.json"), "[1]");
    expect(() => buildNodeConfig({ config: join(tmp, "bad.json") }, {}, {})).toThrow(/JSON object/);
  });
});
