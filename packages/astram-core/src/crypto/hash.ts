import { hash } from "node:crypto";
import { keccak_256 } from "@noble/hashes/sha3.js";

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
  return keccak_256(data);
}
