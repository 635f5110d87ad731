import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { callAdmin, cookiePath, readCookie } from "astram-node";
import { describe, expect, it } from "vitest";
import { tempDir } from "./helpers.js";
import { startNode } from "./p2p-helpers.js";
import type { Json } from "./service-helpers.js";

const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

/** Runs `astram-node <args>` to completion (asynchronously: the in-process peer keeps answering). */
function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts the node CLI and resolves each log line that matches. */
function startCliNode(args: string[]): { proc: ChildProcess; waitFor(re: RegExp): Promise<Json> } {
  const proc = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const lines: string[] = [];
  const waiters: { re: RegExp; resolve: (l: string) => void }[] = [];
  let buf = "";
  proc.stdout!.on("data", (d: Buffer) => {
    const parts = (buf + d.toString()).split("\n");
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
    waitFor: async (re) => {
      const hit = lines.find((l) => re.test(l));
      return JSON.parse(hit ?? (await new Promise<string>((resolve) => waiters.push({ re, resolve }))));
    },
  };
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** Polls an async condition; the loop is bounded by the count (about 30 s). */
async function eventually(what: string, fn: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const NODE_HOST = "127.0.33.1";
const PEER_HOST = "127.0.34.1";

describe("astram-node admin commands", () => {
  it("print what the admin interface returns, as tables or --json, and fail with one line", async () => {
    const dir = tempDir();
    const node = startCliNode([
      "--network",
      "dev",
      "--datadir",
      dir,
      "--p2p-bind",
      NODE_HOST,
      "--p2p-port",
      "0",
      "--http-port",
      "0",
      "--rpc-port",
      "0",
      "--admin-port",
      "0",
    ]);
    const exited = new Promise<number | null>((r) => node.proc.on("exit", (code) => r(code)));
    try {
      const p2pPort = (await node.waitFor(/"msg":"P2P listening"/)).port as number;
      const adminPort = Number(new URL((await node.waitFor(/"msg":"admin interface listening"/)).url).port);
      expect(statSync(cookiePath(dir)).mode & 0o777).toBe(0o600);
      const endpoint = { host: "127.0.0.1", port: adminPort, credentials: readCookie(dir) };
      const target = ["--network", "dev", "--datadir", dir, "--admin-port", String(adminPort)];
      const admin = (cmd: string[]) => runCli([...cmd, ...target]);

      // A real peer connects to the CLI node.
      await startNode({ host: PEER_HOST, peers: [`${NODE_HOST}:${p2pPort}`] });
      const connected = async () =>
        ((await callAdmin(endpoint, "peers")) as Json[]).some((p) => p.handshakeDone);
      await eventually("the peer connected", connected);

      const json = await admin(["peers", "--json"]);
      expect(json.code).toBe(0);
      const listed = JSON.parse(json.stdout) as Json[];
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatchObject({ direction: "inbound", handshakeDone: true });
      expect(listed[0].remote.startsWith(`${PEER_HOST}:`)).toBe(true);

      const table = await admin(["peers"]);
      expect(table.code).toBe(0);
      const [header, row] = table.stdout.trimEnd().split("\n");
      expect(header).toMatch(/^ID\s+ADDRESS\s+DIR\s+HEIGHT\s+BAN\s+SENT\s+RECEIVED\s+PING\s+CONNECTED/);
      expect(row).toContain(listed[0].id);
      expect(row).toMatch(/\sin\s/);

      const status = await admin(["status"]);
      expect(status.stdout).toMatch(/^peers:\s+1$/m);
      expect(status.stdout).toMatch(/^network:\s+devnet$/m);

      const ban = await admin(["ban", PEER_HOST, "--for", "1h", "--reason", "cli test"]);
      expect(ban).toMatchObject({ code: 0, stderr: "" });
      expect(ban.stdout).toMatch(
        new RegExp(`^banned ${PEER_HOST.replaceAll(".", "\\.")} for 1h00m \\(until .+\\): cli test\\n$`),
      );
      const bans = await admin(["bans", "--json"]);
      expect(JSON.parse(bans.stdout)).toEqual(await callAdmin(endpoint, "bans"));
      expect(JSON.parse(bans.stdout)).toMatchObject([{ ip: PEER_HOST, reason: "cli test" }]);
      expect((await admin(["bans"])).stdout).toMatch(
        /^IP\s+EXPIRES IN\s+UNTIL \(UTC\)\s+REASON\n127\.0\.34\.1\s+\d+m\d+s\s+\S+Z\s+cli test\n$/,
      );
      await eventually("the banned peer dropped", async () => !(await connected()));

      expect(await admin(["unban", PEER_HOST])).toMatchObject({
        code: 0,
        stdout: `lifted the ban on ${PEER_HOST}\n`,
      });
      // Changing nothing is a failure with one line.
      expect(await admin(["unban", PEER_HOST])).toMatchObject({
        code: 1,
        stdout: "",
        stderr: `astram-node: ${PEER_HOST} was not banned\n`,
      });
      expect(await admin(["clearbans"])).toMatchObject({ code: 0, stdout: "lifted 0 bans\n" });

      const book = await admin(["addresses", "--json"]);
      expect(JSON.parse(book.stdout)).toEqual(await callAdmin(endpoint, "addresses"));
      expect((await admin(["addresses"])).stdout.split("\n")[0]).toMatch(/^ADDRESS\s+SOURCE\s+LAST SEEN/);

      // Errors: one line on stderr, non-zero status.
      const oneLine = (r: { code: number; stdout: string; stderr: string }, re: RegExp) => {
        expect(r.code).not.toBe(0);
        expect(r.stdout).toBe("");
        expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
        expect(r.stderr).toMatch(re);
      };
      oneLine(await admin(["peers", "--admin-password", "guess"]), /refused the credentials \(HTTP 401\)/);
      oneLine(
        await runCli(["peers", "--network", "dev", "--datadir", tempDir()]),
        /no admin cookie at .*\.cookie/,
      );
      const closed = await closedPort();
      oneLine(
        await runCli(["peers", "--network", "dev", "--admin-password", "x", "--admin-port", String(closed)]),
        new RegExp(`is the node running\\? admin port ${closed}`),
      );
      oneLine(await admin(["ban", "1.2.3"]), /ban: ip: expected an IPv4 or IPv6 address/);
      oneLine(await admin(["ban", PEER_HOST, "--for", "soon"]), /"soon" is not a duration/);
      oneLine(await admin(["disconnect", "203.0.113.5"]), /no connected peer matches 203\.0\.113\.5/);
      expect(await callAdmin(endpoint, "bans")).toEqual([]);

      node.proc.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(existsSync(cookiePath(dir))).toBe(false);
    } finally {
      node.proc.kill("SIGKILL");
    }
  }, 120_000);

  it("--help lists the commands", async () => {
    const help = await runCli(["--help"]);
    expect(help.code).toBe(0);
    for (const c of [
      "status",
      "peers",
      "addpeer",
      "removepeer",
      "disconnect",
      "ban",
      "unban",
      "bans",
      "clearbans",
      "addresses",
    ])
      expect(help.stdout).toMatch(new RegExp(`^  ${c} `, "m"));
    const ban = await runCli(["ban", "--help"]);
    expect(ban.stdout).toMatch(/--for <duration>/);
    expect(ban.stdout).toMatch(/--json/);
  });
});
