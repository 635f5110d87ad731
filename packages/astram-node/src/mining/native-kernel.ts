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

/** The code paths this CPU can run, fastest first ("sha-ni", "portable"). */
export function nativeImplementations(addonPath = ADDON_PATH): string[] {
  return loadAddon(addonPath).implementations();
}

/** The native kernel, with a given implementation or the fastest this CPU has. */
export function createNativeKernel(implementation?: string, addonPath = ADDON_PATH): SearchKernel {
  const addon = loadAddon(addonPath);
  const available = addon.implementations();
  const impl = implementation ?? available[0]!;
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
