// Chooses the search kernel: the native addon where it built, else WebAssembly, else node:crypto.
import { jsKernel } from "./js-kernel.js";
import {
  type KernelName,
  type KernelPreference,
  KernelUnavailableError,
  type SearchKernel,
} from "./kernel.js";
import { createNativeKernel } from "./native-kernel.js";
import { createWasmKernel } from "./wasm-kernel.js";

export interface KernelChoice {
  readonly kernel: SearchKernel;
  /** Why faster kernels were skipped (empty when the first choice loaded). */
  readonly fallbacks: readonly KernelUnavailableError[];
}

const ORDER: readonly KernelName[] = ["native", "wasm", "js"];

export interface KernelLocation {
  /** Where the native addon is loaded from (default native/build/Release/astram_mining.node). */
  readonly addonPath?: string;
  /** The native code path (default: the fastest measured here). */
  readonly implementation?: string;
}

export function createKernel(name: KernelName, where: KernelLocation = {}): SearchKernel {
  if (name === "native") return createNativeKernel(where.implementation, where.addonPath);
  if (name === "wasm") return createWasmKernel();
  return jsKernel;
}

/**
 * "auto" tries native, then wasm, then js; a named kernel must load (it throws
 * KernelUnavailableError otherwise).
 */
export function selectKernel(
  preference: KernelPreference = "auto",
  where: KernelLocation = {},
): KernelChoice {
  if (preference !== "auto") return { kernel: createKernel(preference, where), fallbacks: [] };
  const fallbacks: KernelUnavailableError[] = [];
  for (const name of ORDER) {
    try {
      return { kernel: createKernel(name, where), fallbacks };
    } catch (e) {
      if (!(e instanceof KernelUnavailableError)) throw e;
      fallbacks.push(e);
    }
  }
  throw new Error("unreachable: the js kernel always loads");
}
