// A nonce search kernel: given the 172-byte header hash input, finds the first nonce in a range
// whose sha256d meets the difficulty. Three implementations, fastest first: the native addon
// (x86 SHA extensions, or plain C over vector lanes), WebAssembly (SIMD, four nonces at a time),
// and node:crypto.

export type KernelName = "native" | "wasm" | "js";
export type KernelPreference = KernelName | "auto";

export interface KernelJob {
  /** 172-byte fixint header; its nonce bytes are ignored. */
  readonly header: Uint8Array;
  readonly difficulty: number;
  /** First nonce (u64; the range wraps at 2^64). */
  readonly startNonce: bigint;
  /** Number of nonces to try (a safe integer). */
  readonly count: number;
  /** The search stops early when `cancel[0] !== generation` (checked every few thousand nonces). */
  readonly cancel?: Int32Array;
  readonly generation?: number;
}

export interface KernelResult {
  readonly found: boolean;
  /** The winning nonce (0n when nothing was found). */
  readonly nonce: bigint;
  /** Nonces tried, including the winner. */
  readonly hashes: number;
}

export interface SearchKernel {
  readonly name: KernelName;
  /** Which code path runs: "sha-ni", "avx512", "avx2", "vec4", "portable", "simd128", "node:crypto". */
  readonly implementation: string;
  search(job: KernelJob): KernelResult;
}

export const U64_MASK = 0xffffffffffffffffn;

/** The kernel could not be loaded here (addon not built, WebAssembly SIMD unsupported, ...). */
export class KernelUnavailableError extends Error {
  override readonly name = "KernelUnavailableError";
  readonly code = "KERNEL_UNAVAILABLE";
  constructor(
    readonly kernel: KernelName,
    readonly reason: string,
  ) {
    super(`${kernel} mining kernel unavailable: ${reason}`);
  }
}

export function parseKernelPreference(value: string | undefined): KernelPreference {
  const v = (value ?? "auto").trim().toLowerCase() || "auto";
  if (v === "auto" || v === "native" || v === "wasm" || v === "js") return v;
  throw new RangeError(`unknown mining kernel "${value}" (accepted: auto, native, wasm, js)`);
}
