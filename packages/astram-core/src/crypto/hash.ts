import { hash } from "node:crypto";
import { createKeccak } from "hash-wasm";

// hash-wasm's WebAssembly Keccak is about 10× @noble/hashes' JavaScript on transaction-sized inputs
// (core.bench.js measures both); every transaction's eth_hash is a Keccak-256, so block checks feel
// it. One instance, made when the module loads; calls are synchronous, so nothing interleaves.
const keccakHasher = await createKeccak(256);

/** SHA-256 through OpenSSL (node:crypto), the fastest SHA-256 available to Node. */
export function sha256(data: Uint8Array): Uint8Array {
  const d = hash("sha256", data, "buffer");
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

/** Double SHA-256: block hashes, txids and merkle nodes. */
export function sha256d(data: Uint8Array): Uint8Array {
  return sha256(sha256(data));
}

/** Original Keccak-256 (Ethereum's), not SHA3-256. */
export function keccak256(data: Uint8Array): Uint8Array {
  keccakHasher.init();
  keccakHasher.update(data);
  return keccakHasher.digest("binary");
}
