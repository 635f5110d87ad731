// The native kernel: a Node-API addon built from packages/astram-node/native by node-gyp at install
// (native/build.mjs). It uses the x86 SHA extensions where the CPU has them and plain C otherwise.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { KernelJob, KernelResult, SearchKernel } from "./kernel.js";
import { KernelUnavailableError, U64_MASK } from "./kernel.js";

interface Addon {
  implementations(): string[];
  search(
    header: Uint8Array,
    difficulty: number,
    startNonce: bigint,
    count: number,
    cancel: Int32Array | null,
    generation: number,
    implementation?: string,
  ): KernelResult;
}

/** Where node-gyp puts the addon (the same path from src/mining and dist/mining). */
export const ADDON_PATH = fileURLToPath(
  new URL("../../native/build/Release/astram_mining.node", import.meta.url),
);

const loaded = new Map<string, Addon>();

function loadAddon(path: string): Addon {
  const cached = loaded.get(path);
  if (cached) return cached;
  if (!existsSync(path)) {
    throw new KernelUnavailableError(
      "native",
      `${path} was not built (npm install runs native/build.mjs; it needs a C compiler and python3)`,
    );
  }
  let addon: Addon;
  try {
    addon = createRequire(import.meta.url)(path) as Addon;
  } catch (e) {
    throw new KernelUnavailableError("native", `cannot load ${path}: ${(e as Error).message}`);
  }
  loaded.set(path, addon);
  return addon;
}

/**
 * The code paths this CPU can run: "sha-ni" (x86 SHA extensions, three nonces interleaved),
 * "avx512" / "avx2" / "vec4" (plain C over 16 / 8 / 4 vector lanes), "portable" (one nonce at a time).
 */
export function nativeImplementations(addonPath = ADDON_PATH): string[] {
  return loadAddon(addonPath).implementations();
}

const fastest = new Map<string, string>();

/**
 * The fastest implementation here, measured once per process (about 30 ms per candidate): which wins depends
 * on the CPU (SHA extensions against wide vector units), not only on what it supports.
 */
export function fastestNativeImplementation(addonPath = ADDON_PATH): string {
  const known = fastest.get(addonPath);
  if (known) return known;
  const addon = loadAddon(addonPath);
  const header = new Uint8Array(172).fill(0x5a);
  const all = addon.implementations();
  // Wider lanes always beat narrower ones; the contest is SHA extensions against vector width.
  const candidates = all.filter((i) => i !== "portable" && !(i === "vec4" && all.includes("avx2")));
  let best = { impl: all[0]!, rate: -1 };
  for (const impl of candidates) {
    let count = 4096;
    let rate = 0;
    const until = performance.now() + 30;
    while (performance.now() < until) {
      const t = performance.now();
      addon.search(header, 64, 0n, count, null, 0, impl);
      const ms = Math.max(0.01, performance.now() - t);
      rate = Math.max(rate, count / ms);
      // Calls of about 8 ms: long enough to measure, short enough to stay within the budget.
      count = Math.max(1024, Math.round((count / ms) * 8));
    }
    if (rate > best.rate) best = { impl, rate };
  }
  fastest.set(addonPath, best.impl);
  return best.impl;
}

/** The native kernel, with a given implementation or the fastest this CPU has. */
export function createNativeKernel(implementation?: string, addonPath = ADDON_PATH): SearchKernel {
  const addon = loadAddon(addonPath);
  const available = addon.implementations();
  const impl = implementation ?? fastestNativeImplementation(addonPath);
  if (!available.includes(impl)) {
    throw new KernelUnavailableError(
      "native",
      `implementation "${impl}" is not available (have ${available.join(", ")})`,
    );
  }
  return {
    name: "native",
    implementation: impl,
    search(job: KernelJob): KernelResult {
      return addon.search(
        job.header,
        job.difficulty,
        job.startNonce & U64_MASK,
        job.count,
        job.cancel ?? null,
        job.generation ?? 0,
        impl,
      );
    },
  };
}
