import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { addrA, tempDir } from "./helpers.js";

const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

/** Starts the CLI and resolves once a log line matches. */
function startNode(args: string[]): {
  proc: ChildProcess;
  lines: string[];
  waitFor(re: RegExp): Promise<string>;
} {
  const proc = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  const waiters: { re: RegExp; resolve: (l: string) => void }[] = [];
  let buf = "";
  proc.stdout!.on("data", (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split("\n");
    buf = parts.pop()!;
    for (const l of parts) {
      lines.push(l);
      for (const w of [...waiters])
        if (w.re.test(l)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(l);
        }
    }
  });
  return {
    proc,
    lines,
    waitFor: (re) => {
      const hit = lines.find((l) => re.test(l));
      return hit ? Promise.resolve(hit) : new Promise((resolve) => waiters.push({ re, resolve }));
    },
  };
}

const exitOf = (proc: ChildProcess) => new Promise<number | null>((r) => proc.on("exit", (code) => r(code)));

describe("astram-node CLI", () => {
  it("mines on devnet, stops cleanly on SIGTERM, and keeps its chain across restarts", async () => {
    const dir = tempDir();
    const ports = ["--p2p-port", "0", "--http-port", "0", "--rpc-port", "0"];
    const args = [
      "--network",
      "dev",
      "--datadir",
      dir,
      ...ports,
      "--mine",
      "--miner-address",
      addrA,
      "--threads",
      "1",
    ];
    const a = startNode(args);
    await a.waitFor(/"height":5,/);
    // A second node on the same data directory refuses to start.
    const second = spawnSync(process.execPath, [cli, "--network", "dev", "--datadir", dir], {
      encoding: "utf8",
    });
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(/in use by another astram-node/);
    a.proc.kill("SIGTERM");
    expect(await exitOf(a.proc)).toBe(0);
    expect(a.lines.some((l) => l.includes("node stopped"))).toBe(true);
    const height = Math.max(...a.lines.map((l) => Number(/"height":(\d+),"hash"/.exec(l)?.[1] ?? -1)));
    const b = startNode(["--network", "dev", "--datadir", dir, ...ports]);
    const loaded = await b.waitFor(/chain loaded/);
    expect(JSON.parse(loaded).height).toBe(height);
    b.proc.kill("SIGINT");
    expect(await exitOf(b.proc)).toBe(0);
  }, 60_000);

  it("rejects bad configuration with the key and the accepted values", () => {
    const dir = tempDir();
    const bad = spawnSync(
      process.execPath,
      [cli, "--network", "dev", "--http-port", "99999", "--datadir", dir],
      { encoding: "utf8" },
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/HTTP_PORT: "99999" is not a port \(0-65535\)/);
    const conf = join(dir, "node.conf");
    writeFileSync(conf, "# settings\nNETWORK=dev\nMINE=maybe\nFOO=1\n");
    const fromFile = spawnSync(process.execPath, [cli, "--config", conf], { encoding: "utf8" });
    expect(fromFile.status).toBe(2);
    expect(fromFile.stderr).toMatch(/MINE: "maybe" is not a boolean .*config file/);
    const noAddr = spawnSync(process.execPath, [cli, "--network", "dev", "--mine", "--datadir", dir], {
      encoding: "utf8",
    });
    expect(noAddr.stderr).toMatch(/MINER_ADDRESS/);
  });

  it("applies defaults < file < environment < flags", () => {
    const dir = tempDir();
    const conf = join(dir, "node.conf");
    writeFileSync(conf, "NETWORK=dev\nHTTP_PORT=1111\nP2P_PORT=2222\nETH_RPC_PORT=3333\n");
    const r = spawnSync(process.execPath, [cli, "--config", conf, "--rpc-port", "4444", "--print-config"], {
      encoding: "utf8",
      env: { ...process.env, ASTRAM_P2P_PORT: "5555" },
    });
    expect(r.status).toBe(0);
    const { settings, sources } = JSON.parse(r.stdout);
    expect([settings.httpPort, settings.p2pPort, settings.ethRpcPort, settings.publicRpcPort]).toEqual([
      1111, 5555, 4444, 0,
    ]);
    expect(sources.P2P_PORT).toBe("environment ASTRAM_P2P_PORT");
    expect(settings.network).toBe("devnet");
  });

  it("takes the number of signature verification threads, 0 included, and refuses a bad one", () => {
    const dir = tempDir();
    const ok = spawnSync(
      process.execPath,
      [cli, "--network", "dev", "--datadir", dir, "--verify-threads", "0", "--print-config"],
      { encoding: "utf8" },
    );
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).settings.verifyThreads).toBe(0);
    const bad = spawnSync(process.execPath, [cli, "--network", "dev", "--datadir", dir, "--print-config"], {
      encoding: "utf8",
      env: { ...process.env, ASTRAM_VERIFY_THREADS: "many" },
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/VERIFY_THREADS: "many" is not a thread count \(0-64/);
  });

  it("explains itself with --help", () => {
    const r = spawnSync(process.execPath, [cli, "--help"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/--miner-address/);
    expect(r.stdout).toMatch(/--verify-threads/);
    expect(r.stdout).toMatch(/precedence/);
  });
});
