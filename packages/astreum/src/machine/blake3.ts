// BLAKE3 (32-byte digest) through hash-wasm. The WebAssembly hasher is created once when this module
// loads (top-level await), so every later hash is synchronous.
import { createBLAKE3 } from "hash-wasm";

const hasher = await createBLAKE3();

/** BLAKE3-256 of the concatenation of `parts`. */
export function blake3(...parts: Uint8Array[]): Uint8Array {
  hasher.init();
  for (const p of parts) hasher.update(p);
  return hasher.digest("binary");
}
