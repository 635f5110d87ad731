import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { encodeBlock, encodeFrame } from "astram-core";
import { MemoryChain } from "astram-core/testing";
import { DataDirInUseError } from "astram-node";
import { describe, expect, it } from "vitest";
import {
  addrA,
  addrB,
  expectSameState,
  FEE,
  forkAt,
  keyA,
  mineBlocks,
  ONE,
  openChain,
  params,
  tempDir,
} from "./helpers.js";

const child = fileURLToPath(new URL("./fixtures/import-child.mjs", import.meta.url));

/** A chain with transfers in most blocks, so a torn write would show in the UTXO set. */
function busyChain(blocks: number): MemoryChain {
  const ref = new MemoryChain(params);
  mineBlocks(ref, 3);
  for (let i = 0; i < blocks; i++) {
    const coins = ref.utxosOf(addrA).slice(0, 2);
    const tx = ref.spend(keyA, coins, [{ to: addrB, amount: ONE }], FEE);
    ref.mine({ miner: addrA, transactions: [tx] });
  }
  return ref;
}

describe("crash safety", () => {
  it.each([
    ["one block per commit", 1],
    ["runs of 7 blocks per commit", 7],
  ])(
    "kill -9 in the middle of an import leaves a consistent chain (%s)",
    async (_name, run) => {
      const ref = busyChain(150);
      const dir = tempDir();
      const file = join(dir, "blocks.bin");
      writeFileSync(file, Buffer.concat(ref.blocks.slice(1).map((b) => encodeFrame(encodeBlock(b)))));
      const proc = spawn(process.execPath, [child, join(dir, "data"), file, String(run)], {
        stdio: ["ignore", "pipe", "inherit"],
      });
      let last = 0;
      await new Promise<void>((resolve) => {
        proc.stdout.on("data", (d: Buffer) => {
          const lines = d.toString().trim().split("\n");
          const n = Number(lines[lines.length - 1]);
          if (Number.isFinite(n)) last = n;
          if (last >= 60) {
            proc.kill("SIGKILL");
            resolve();
          }
        });
      });
      await new Promise((r) => proc.on("exit", r));
      // The lock left by the killed process is stale and taken over.
      const c = openChain(join(dir, "data"));
      const height = c.chain.height;
      expect(height).toBeGreaterThanOrEqual(60);
      expect(height).toBeLessThan(ref.height);
      // A commit holds whole runs: the store ends on a run boundary, never inside a run.
      expect(height % run).toBe(0);
      // Compare against the reference truncated at the same height.
      const truncated = forkAt(ref, height);
      expectSameState(c.store, c.chain, truncated);
      // And the import resumes to the end.
      for (const b of ref.blocks.slice(height + 1)) c.chain.acceptBlock(b);
      expectSameState(c.store, c.chain, ref);
      await c.close();
    },
    120_000,
  );

  it("a second open of a data directory in use fails clearly", async () => {
    const c = openChain();
    expect(() => openChain(c.dir)).toThrow(DataDirInUseError);
    await c.close();
    const again = openChain(c.dir);
    await again.close();
  });
});
