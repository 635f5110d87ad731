import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { addrA, tempDir } from "./helpers.js";
import { request, rpcCall } from "./service-helpers.js";

const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

/** A port that was free a moment ago (the public API has no "0 = any" since 0 means off). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Resolves with the first JSON log line whose msg matches. */
function logLine(proc: ChildProcess, msg: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let buf = "";
    const onData = (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split("\n");
      buf = lines.pop()!;
      for (const l of lines) {
        if (!l.startsWith("{")) continue;
        const j = JSON.parse(l) as Record<string, unknown>;
        if (j.msg === msg) {
          proc.stdout!.off("data", onData);
          resolve(j);
        }
      }
    };
    proc.stdout!.on("data", onData);
    proc.once("exit", (code) => reject(new Error(`node exited with ${code} before "${msg}"`)));
  });
}

describe("astram-node CLI with the HTTP API, JSON-RPC and public API", () => {
  it("binds the configured ports (0 = any), logs their URLs and serves them until SIGTERM", async () => {
    const publicPort = await freePort();
    const proc = spawn(
      process.execPath,
      [
        cli,
        ...["--network", "dev", "--datadir", tempDir(), "--p2p-port", "0", "--http-port", "0"],
        ...["--rpc-port", "0", "--public-rpc-port", String(publicPort), "--mine", "--miner-address", addrA],
        ...["--threads", "1"],
      ],
      {
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, ASTRAM_PUBLIC_RPC_BIND_ADDR: "127.0.0.1" },
      },
    );
    try {
      const [http, rpc, pub] = await Promise.all([
        logLine(proc, "HTTP API and dashboard listening"),
        logLine(proc, "Ethereum JSON-RPC listening"),
        logLine(proc, "public read-only API listening"),
      ]);
      const api = http.url as string;
      expect(api).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(pub.url).toBe(`http://127.0.0.1:${publicPort}`);
      const status = await request(`${api}/status`);
      expect(status.body.node.network).toBe("devnet");
      expect(status.body.wallet.address).toBe(addrA);
      expect((await rpcCall(rpc.url as string, "eth_chainId")).result).toBe("0x539");
      expect((await request(`${pub.url}/health`)).body.status).toBe("ok");
      expect((await request(`${pub.url}/tx`, { body: new Uint8Array([0]) })).status).toBe(405);
      const exited = new Promise<number | null>((r) => proc.once("exit", r));
      proc.kill("SIGTERM");
      expect(await exited).toBe(0);
      await expect(fetch(`${api}/health`)).rejects.toThrow();
    } finally {
      if (proc.exitCode === null) proc.kill("SIGKILL");
    }
  });
});
