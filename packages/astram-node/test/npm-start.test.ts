import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { tempDir } from "./helpers.js";

const startScript = fileURLToPath(new URL("../../../scripts/start.js", import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function poll<T>(fn: () => Promise<T | undefined>, what: string, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("npm start", () => {
  it("runs a mining devnet node with its dashboard and the explorer following it, on the ports its flags name", async () => {
    const [http, rpc, explorer] = [await freePort(), await freePort(), await freePort()];
    const proc = spawn(
      process.execPath,
      [
        startScript,
        "--datadir",
        tempDir(),
        "--explorer-port",
        String(explorer),
        "--no-pace",
        "--threads",
        "1",
        "--http-port",
        String(http),
        "--rpc-port",
        String(rpc),
        "--p2p-port",
        "0",
        "--admin-port",
        "0",
      ],
      {
        // Flags win over the environment: these would be wrong ports.
        env: { ...process.env, ASTRAM_HTTP_PORT: "1", ASTRAM_ETH_RPC_PORT: "1", ASTRAM_P2P_PORT: "1" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    proc.stdout!.on("data", (d) => {
      out += d.toString();
    });
    try {
      const status = await poll(async () => {
        const s = (await (await fetch(`http://127.0.0.1:${http}/status`)).json()) as {
          blockchain: { height: number };
        };
        return s.blockchain.height >= 3 ? s : undefined;
      }, "the node to mine");
      expect(status.blockchain.height).toBeGreaterThanOrEqual(3);
      const dashboard = await (await fetch(`http://127.0.0.1:${http}/`)).text();
      expect(dashboard).toMatch(/<html/i);
      const indexed = await poll(async () => {
        const h = (await (await fetch(`http://127.0.0.1:${explorer}/api/health`)).json()) as {
          indexed_height: number;
        };
        return h.indexed_height >= 3 ? h : undefined;
      }, "the explorer to index");
      expect(indexed.indexed_height).toBeGreaterThanOrEqual(3);
      expect(out).toMatch(/Astram devnet node running/);
      expect(out).toContain(`Explorer         http://127.0.0.1:${explorer}/`);
      expect(out).toContain(`Ethereum RPC     http://127.0.0.1:${rpc}/`);
      const chainId = (await (
        await fetch(`http://127.0.0.1:${rpc}/`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
        })
      ).json()) as { result: string };
      expect(chainId.result).toBe("0x539");
    } finally {
      proc.kill("SIGINT");
      const code = await new Promise((r) => proc.on("exit", r));
      expect(code).toBe(0);
    }
  }, 120_000);
});
