// Property runs start from the suite's fixed fast-check seed (vitest.setup.ts; FC_SEED overrides).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  type BlockHeader,
  blockHeaderHash,
  bytesToHex,
  headerHashInput,
  meetsDifficulty,
  searchNonce,
} from "astram-core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsKernel } from "../src/mining/js-kernel.js";
import type { SearchKernel } from "../src/mining/kernel.js";
import {
  ADDON_PATH,
  createNativeKernel,
  fastestNativeImplementation,
  nativeImplementations,
} from "../src/mining/native-kernel.js";
import { selectKernel } from "../src/mining/select-kernel.js";
import { prepareSearchTemplate, SHA256_IV, sha256Rounds } from "../src/mining/sha256-midstate.js";
import { createWasmKernel } from "../src/mining/wasm-kernel.js";

const U64 = 1n << 64n;

// The native addon is built by `npm ci` (native/build.mjs); a missing addon fails the first test
// unless the build was skipped on purpose (ASTRAM_SKIP_NATIVE=1).
const built = existsSync(ADDON_PATH);
const native: SearchKernel[] = built ? nativeImplementations().map((i) => createNativeKernel(i)) : [];
const wasm = createWasmKernel();
const kernels: SearchKernel[] = [...native, wasm, jsKernel];
const label = (k: SearchKernel) => `${k.name}/${k.implementation}`;

const hex64 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => bytesToHex(b));
const headerArb = fc.record({
  index: fc.integer({ min: 0, max: 2 ** 40 }),
  previousHash: hex64,
  merkleRoot: hex64,
  timestamp: fc.integer({ min: 1_738_800_000, max: 2 ** 40 }),
  nonce: fc.constant(0n),
  difficulty: fc.integer({ min: 0, max: 3 }),
});
// Start nonces anywhere, with extra weight near the 32-bit and 64-bit wrap points.
const startArb = fc.oneof(
  fc.bigInt({ min: 0n, max: U64 - 1n }),
  fc.bigInt({ min: U64 - 5000n, max: U64 - 1n }),
  fc.bigInt({ min: 0xffff_f000n, max: 0x1_0000_0fffn }),
);

describe("mining kernels", () => {
  it("the native addon was built (npm ci runs native/build.mjs)", (ctx) => {
    if (!built && process.env.ASTRAM_SKIP_NATIVE === "1") return ctx.skip("ASTRAM_SKIP_NATIVE=1");
    expect(built, `${ADDON_PATH} should exist`).toBe(true);
    expect(native.at(-1)!.implementation).toBe("portable");
    // "auto" runs the fastest code path measured on this CPU.
    expect(nativeImplementations()).toContain(fastestNativeImplementation());
    expect(createNativeKernel().implementation).toBe(fastestNativeImplementation());
  });

  it("computes the same SHA-256 midstate as the plain definition", () => {
    const header = headerHashInput({
      index: 7,
      previousHash: "ab".repeat(32),
      merkleRoot: "cd".repeat(32),
      timestamp: 1_738_800_123,
      nonce: 0n,
      difficulty: 5,
    });
    const t = prepareSearchTemplate(header, 5);
    // Full 64-round compressions of the first two blocks, straight from the bytes.
    const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
    const block = (o: number) => Array.from({ length: 16 }, (_, i) => view.getUint32(o + 4 * i));
    const mid = sha256Rounds(sha256Rounds(SHA256_IV, block(0)), block(64));
    expect([...t.midstate]).toEqual([...mid]);
    expect([...t.mask]).toEqual([0xfffff000, 0, 0, 0, 0, 0, 0, 0]);
  });

  it("every kernel finds the nonce astram-core's searchNonce finds, on random headers", () => {
    fc.assert(
      fc.property(headerArb, startArb, (h: BlockHeader, start: bigint) => {
        const expected = searchNonce(h, { start, count: 1_000_000 });
        expect(expected).toBeDefined();
        const hashes = Number((expected!.nonce - start + U64) % U64) + 1;
        const input = headerHashInput(h);
        for (const k of kernels) {
          const r = k.search({
            header: input,
            difficulty: h.difficulty,
            startNonce: start,
            count: 1_000_000,
          });
          expect({ kernel: label(k), ...r }).toEqual({
            kernel: label(k),
            found: true,
            nonce: expected!.nonce,
            hashes,
          });
        }
        const mined = { ...h, nonce: expected!.nonce };
        expect(blockHeaderHash(mined)).toBe(expected!.hash);
        expect(meetsDifficulty(blockHeaderHash(mined), h.difficulty)).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it("native and wasm kernels agree at difficulties 4 and 5 and their winners meet the target", () => {
    fc.assert(
      fc.property(headerArb, fc.integer({ min: 4, max: 5 }), startArb, (h, difficulty, start) => {
        const header = { ...h, difficulty };
        const input = headerHashInput(header);
        const results = [...native, wasm].map((k) =>
          k.search({ header: input, difficulty, startNonce: start, count: 50_000_000 }),
        );
        for (const r of results) expect(r).toEqual(results[0]);
        expect(results[0]!.found).toBe(true);
        const hash = blockHeaderHash({ ...header, nonce: results[0]!.nonce });
        expect(meetsDifficulty(hash, difficulty)).toBe(true);
        // No earlier nonce of the range wins (checked with astram-core for the smaller case).
        if (difficulty === 4 && results[0]!.hashes < 100_000) {
          expect(searchNonce(header, { start, count: results[0]!.hashes })?.nonce).toBe(results[0]!.nonce);
        }
      }),
      { numRuns: 3 },
    );
  });

  it("reports nothing found over a range without a winner, counting every nonce", () => {
    const input = headerHashInput({
      index: 1,
      previousHash: "0".repeat(64),
      merkleRoot: "1".repeat(64),
      timestamp: 1_738_800_000,
      nonce: 0n,
      difficulty: 60,
    });
    for (const k of kernels) {
      for (const count of [0, 1, 3, 5, 1001]) {
        expect(k.search({ header: input, difficulty: 60, startNonce: U64 - 2n, count })).toEqual({
          found: false,
          nonce: 0n,
          hashes: count,
        });
      }
    }
  });

  it("stops early when the shared generation word changes", () => {
    const input = headerHashInput({
      index: 1,
      previousHash: "0".repeat(64),
      merkleRoot: "2".repeat(64),
      timestamp: 1_738_800_000,
      nonce: 0n,
      difficulty: 60,
    });
    const cancel = new Int32Array(new SharedArrayBuffer(4));
    cancel[0] = 2;
    for (const k of kernels) {
      const r = k.search({
        header: input,
        difficulty: 60,
        startNonce: 0n,
        count: 1e12,
        cancel,
        generation: 1,
      });
      expect(r.found).toBe(false);
      expect(r.hashes).toBeGreaterThan(0);
      expect(r.hashes).toBeLessThanOrEqual(70_000);
    }
  });

  it("falls back to the WebAssembly kernel, saying why, where the addon is missing", () => {
    const choice = selectKernel("auto", { addonPath: "/nonexistent/astram_mining.node" });
    expect(choice.kernel.name).toBe("wasm");
    expect(choice.fallbacks.map((f) => f.kernel)).toEqual(["native"]);
    expect(choice.fallbacks[0]!.reason).toMatch(/was not built/);
    expect(() => selectKernel("native", { addonPath: "/nonexistent/astram_mining.node" })).toThrow(
      /native mining kernel unavailable/,
    );
    expect(selectKernel("auto").kernel.name).toBe(built ? "native" : "wasm");
  });

  it("the committed WebAssembly module is what native/wasm/build.mjs generates", () => {
    const script = fileURLToPath(new URL("../native/wasm/build.mjs", import.meta.url));
    const r = spawnSync(process.execPath, [script, "--check"], { encoding: "utf8" });
    expect(r.stdout + r.stderr).toMatch(/is up to date/);
    expect(r.status).toBe(0);
  });
});
