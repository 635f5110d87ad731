// The GPU miner, tested without a GPU: Dawn runs on Mesa's OpenGL ES driver (llvmpipe, on the CPU)
// through surfaceless EGL in compatibility mode. Where no WebGPU adapter can be created at all
// (no Mesa EGL/GLES libraries), the tests that need one are skipped and say why.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { headerHashInput } from "astram-core";
import { Mempool, Miner } from "astram-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GpuSearch, GpuUnavailableError } from "../src/mining/gpu-search.js";
import { createWasmKernel } from "../src/mining/wasm-kernel.js";
import { addrA, openChain, params, tempDir } from "./helpers.js";

process.env.EGL_PLATFORM ??= "surfaceless";

let gpu: GpuSearch | undefined;
let why = "";

beforeAll(async () => {
  try {
    gpu = await GpuSearch.open({ allowSoftware: true });
  } catch (e) {
    why = (e as Error).message;
  }
}, 60_000);
afterAll(() => gpu?.close());

const U64 = 1n << 64n;

describe("GPU miner (WebGPU)", () => {
  it("finds the same nonce as the CPU kernel", async (ctx) => {
    if (!gpu) return ctx.skip(`no WebGPU adapter could be created: ${why}`);
    const cpu = createWasmKernel();
    const starts = [0n, 0xffff_ff00n, U64 - 300n, 123_456_789n, 1n << 40n, 7n];
    for (const [i, start] of starts.entries()) {
      const header = headerHashInput({
        index: i,
        previousHash: randomBytes(32).toString("hex"),
        merkleRoot: randomBytes(32).toString("hex"),
        timestamp: 1_738_800_000 + i,
        nonce: 0n,
        difficulty: 2 + (i % 3),
      });
      const job = { header, difficulty: 2 + (i % 3), startNonce: start, count: 10_000_000 };
      const want = cpu.search(job);
      expect(want.found).toBe(true);
      expect(await gpu.search(job)).toEqual(want);
    }
    expect(gpu.info.adapter.length).toBeGreaterThan(0);
  });

  it("reports nothing over a range without a winner and stops when cancelled", async (ctx) => {
    if (!gpu) return ctx.skip(`no WebGPU adapter could be created: ${why}`);
    const header = new Uint8Array(randomBytes(172));
    expect(await gpu.search({ header, difficulty: 60, startNonce: U64 - 1000n, count: 5000 })).toEqual({
      found: false,
      nonce: 0n,
      hashes: 5000,
    });
    const cancel = new Int32Array(new SharedArrayBuffer(4));
    cancel[0] = 1;
    const r = await gpu.search({
      header,
      difficulty: 60,
      startNonce: 0n,
      count: 1e12,
      cancel,
      generation: 0,
    });
    expect(r).toEqual({ found: false, nonce: 0n, hashes: 0 });
  });

  it("mines blocks the chain accepts with the GPU alone, verified on the CPU", async (ctx) => {
    if (!gpu) return ctx.skip(`no WebGPU adapter could be created: ${why}`);
    const c = openChain();
    const mempool = new Mempool(c.store, { chainId: params.chainId });
    const miner = new Miner({
      chain: c.chain,
      mempool,
      minerAddress: addrA,
      threads: 0,
      gpu: { allowSoftware: true },
    });
    try {
      await miner.start();
      while (c.chain.height < 3) await new Promise((r) => setTimeout(r, 20));
      const s = miner.status();
      expect(s.threads).toBe(0);
      expect(s.gpu?.adapter).toBe(gpu.info.adapter);
      expect(s.gpu?.hashrate).toBeGreaterThan(0);
      expect(s.blocksFound).toBeGreaterThanOrEqual(3);
    } finally {
      await miner.stop();
      await c.close();
    }
  });

  it("--gpu on a machine without a GPU adapter fails with a clear message", async (ctx) => {
    let real: GpuSearch | undefined;
    try {
      real = await GpuSearch.open({ allowSoftware: false });
    } catch (e) {
      expect(e).toBeInstanceOf(GpuUnavailableError);
      expect((e as GpuUnavailableError).code).toBe("GPU_UNAVAILABLE");
      expect((e as Error).message).toMatch(/no GPU adapter found through WebGPU/);
    }
    if (real) {
      real.close();
      return ctx.skip(`this machine has a GPU (${real.info.adapter})`);
    }
    const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
    const ports = ["--p2p-port", "0", "--http-port", "0", "--rpc-port", "0"];
    const args = [
      "--network",
      "dev",
      "--datadir",
      tempDir(),
      ...ports,
      "--mine",
      "--miner-address",
      addrA,
      "--gpu",
    ];
    const proc = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    proc.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise<number | null>((r) => proc.on("exit", (c) => r(c)));
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/no GPU adapter found through WebGPU/);
  }, 60_000);
});
