import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openDatabase } from "astram-explorer";
import BetterSqlite3 from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { chainWithTransfers, getJson, startNode, tempDir, until } from "./helpers.js";

const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

interface Running {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  stderr: () => string;
  exited: Promise<number | null>;
}

function run(args: string[], env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: tempDir(), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: Record<string, unknown>[] = [];
  let buf = "";
  let err = "";
  child.stdout!.on("data", (d: Buffer) => {
    buf += d.toString();
    for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        lines.push(JSON.parse(line));
      } catch {
        lines.push({ msg: line });
      }
    }
  });
  child.stderr!.on("data", (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, lines, stderr: () => err, exited };
}

const logged = (r: Running, msg: string) => r.lines.find((l) => l.msg === msg);

/** Blocks committed in a SQLite explorer database (read while another process writes it). */
function indexedBlocks(file: string): number {
  try {
    const d = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    try {
      return (d.prepare("select count(*) as n from blocks").get() as { n: number }).n;
    } finally {
      d.close();
    }
  } catch {
    return 0;
  }
}

/** Every table of a SQLite explorer database, sorted. */
async function dumpFile(file: string) {
  const d = openDatabase(file);
  try {
    const out: Record<string, string[]> = {};
    for (const t of [
      "blocks",
      "transactions",
      "outputs",
      "inputs",
      "address_txs",
      "addresses",
      "meta",
    ] as const)
      out[t] = (await d.db.selectFrom(t).selectAll().execute()).map((r) => JSON.stringify(r)).sort();
    return out;
  } finally {
    await d.close();
  }
}

describe("astram-explorer CLI (built dist, real process)", () => {
  it("indexes a node, logs its URL and progress, serves the API and UI, and stops cleanly on SIGTERM", async () => {
    const { ref } = chainWithTransfers(30);
    const node = await startNode({ blocks: ref.blocks.slice(1) });
    const db = join(tempDir(), "data", "explorer.sqlite");
    const r = run(["--node", node.url, "--db", db, "--port", "0", "--poll-ms", "50"]);
    try {
      const listening = await until(() => logged(r, "explorer web UI and API listening"));
      const url = listening.url as string;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      await until(async () => (await getJson(`${url}/api/status`)).body.indexed_hash === ref.tip.hash);
      expect(logged(r, "indexing: catching up with the node")).toMatchObject({ from: 0, target: 30 });
      expect(await until(() => logged(r, "indexed up to the node's tip"))).toMatchObject({
        height: 30,
        blocks: 31,
      });
      const home = await fetch(url + "/");
      expect(await home.text()).toContain("Astram Explorer");
    } finally {
      r.child.kill("SIGTERM");
    }
    expect(await r.exited).toBe(0);
    expect(logged(r, "stopped")).toBeDefined();
  });

  it("loses nothing when killed with SIGKILL while catching up: the restart ends equal to a fresh index", async () => {
    const { ref } = chainWithTransfers(150);
    const node = await startNode({ blocks: ref.blocks.slice(1) });
    const db = join(tempDir(), "explorer.sqlite");
    const first = run(["--node", node.url, "--db", db, "--port", "0", "--poll-ms", "50"]);
    // Killed as soon as the first group of blocks is committed (the rest is still being written).
    await until(() => logged(first, "indexing: catching up with the node"), 1);
    await until(() => indexedBlocks(db) > 0, 1);
    first.child.kill("SIGKILL");
    await first.exited;

    const second = run(["--node", node.url, "--db", db, "--port", "0", "--poll-ms", "50"]);
    const url2 = (await until(() => logged(second, "explorer web UI and API listening"))).url as string;
    await until(async () => (await getJson(`${url2}/api/status`)).body.indexed_hash === ref.tip.hash);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);

    const fresh = join(tempDir(), "fresh.sqlite");
    const third = run(["--node", node.url, "--db", fresh, "--port", "0", "--poll-ms", "50"]);
    const url3 = (await until(() => logged(third, "explorer web UI and API listening"))).url as string;
    await until(async () => (await getJson(`${url3}/api/status`)).body.indexed_hash === ref.tip.hash);
    third.child.kill("SIGTERM");
    expect(await third.exited).toBe(0);
    expect(await dumpFile(db)).toEqual(await dumpFile(fresh));
  });

  it("keeps serving while the node is unreachable and reports it", async () => {
    const r = run(["--node", "http://127.0.0.1:9", "--db", ":memory:", "--port", "0", "--poll-ms", "50"]);
    try {
      const url = (await until(() => logged(r, "explorer web UI and API listening"))).url as string;
      const status = await until(async () => {
        const s = (await getJson(`${url}/api/status`)).body;
        return s.last_error ? s : undefined;
      });
      expect(status.last_error).toMatch(/unreachable/);
      expect((await getJson(`${url}/api/stats`)).body.blocks).toBe(0);
    } finally {
      r.child.kill("SIGTERM");
    }
    expect(await r.exited).toBe(0);
  });

  it("resolves settings by precedence (defaults < config file < environment < flags) and refuses bad ones", () => {
    const dir = tempDir();
    const conf = join(dir, "explorer.conf");
    writeFileSync(conf, "# test\nPORT=9001\nHOST=0.0.0.0\nPOLL_MS=500\n");
    const out = spawnSync(process.execPath, [CLI, "--config", conf, "--port", "9003", "--print-config"], {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: dir,
        ASTRAM_EXPLORER_PORT: "9002",
        ASTRAM_EXPLORER_POLL_MS: "700",
      },
      encoding: "utf8",
    });
    expect(out.status).toBe(0);
    const printed = JSON.parse(out.stdout);
    expect(printed.settings).toMatchObject({
      port: 9003,
      host: "0.0.0.0",
      pollMs: 700,
      nodeUrl: "http://127.0.0.1:19533",
    });
    expect(printed.sources).toMatchObject({
      PORT: "flag",
      HOST: "config file",
      POLL_MS: "environment",
      NODE_URL: "default",
    });
    expect(printed.settings.db).toBe(join(dir, ".Astram", "explorer", "explorer.sqlite"));

    const bad = spawnSync(process.execPath, [CLI, "--port", "http"], {
      env: { PATH: "", HOME: dir },
      encoding: "utf8",
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/PORT="http" \(from flag\) is invalid/);
    const pw = spawnSync(
      process.execPath,
      [CLI, "--db", "postgres://u:secret@db.example/x", "--print-config"],
      {
        env: { PATH: "", HOME: dir },
        encoding: "utf8",
      },
    );
    expect(pw.stdout).not.toContain("secret");
  });

  it("exits with code 3 when the database holds another chain than the node's", async () => {
    const dev = await startNode({ blocks: chainWithTransfers(2).ref.blocks.slice(1) });
    const db = join(tempDir(), "explorer.sqlite");
    const first = run(["--node", dev.url, "--db", db, "--port", "0", "--poll-ms", "50"]);
    const url = (await until(() => logged(first, "explorer web UI and API listening"))).url as string;
    await until(async () => (await getJson(`${url}/api/status`)).body.indexed_height === 2);
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);

    const testnet = await startNode({ network: "test" });
    const second = run(["--node", testnet.url, "--db", db, "--port", "0", "--poll-ms", "50"]);
    expect(await second.exited).toBe(3);
    expect(second.lines.some((l) => String(l.msg).includes("another chain"))).toBe(true);
  });
});
