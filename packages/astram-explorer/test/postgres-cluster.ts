import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A throwaway PostgreSQL cluster for tests: initdb into a temp directory, pg_ctl start on a free
 * port of 127.0.0.1 (trust authentication, fsync off), pg_ctl stop and delete afterwards. As root
 * the server runs as the `postgres` system user (PostgreSQL refuses to run as root).
 * `ASTRAM_EXPLORER_TEST_PG=postgres://…` uses an existing server instead.
 */
export interface PgCluster {
  readonly url: string;
  stop(): Promise<void>;
}

function findBin(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "initdb")) && existsSync(join(root, v, "bin", "postgres")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], "bin") : undefined;
}

function postgresUser(): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

/** Why no cluster can be started here, or undefined when one can. */
export function pgUnavailableReason(): string | undefined {
  if (process.env.ASTRAM_EXPLORER_TEST_PG) return undefined;
  if (!findBin())
    return "no PostgreSQL server binaries (apt-get install postgresql, or set ASTRAM_EXPLORER_TEST_PG=postgres://…)";
  if (process.getuid?.() === 0 && !postgresUser())
    return "running as root and there is no postgres user to run the server";
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startPgCluster(): Promise<PgCluster> {
  const given = process.env.ASTRAM_EXPLORER_TEST_PG;
  if (given) return { url: given, stop: async () => {} };
  const bin = findBin()!;
  const dir = mkdtempSync(join(tmpdir(), "astram-explorer-pg-"));
  const data = join(dir, "data");
  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? postgresUser() : undefined;
  if (user) {
    chownSync(dir, user.uid, user.gid);
    chmodSync(dir, 0o700);
  }
  const run = (cmd: string, args: string[]) =>
    execFileSync(user ? "runuser" : cmd, user ? ["-u", "postgres", "--", cmd, ...args] : args, {
      stdio: "pipe",
      cwd: dir,
    });
  const port = await freePort();
  try {
    run(join(bin, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"]);
    run(join(bin, "pg_ctl"), [
      "-D",
      data,
      "-l",
      join(dir, "server.log"),
      "-w",
      "-o",
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off`,
      "start",
    ]);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(`cannot start a PostgreSQL cluster: ${err.stderr?.toString() || err.message}`);
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      try {
        run(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
