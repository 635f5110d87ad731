// The proof-of-work prefix of every datagram (facts §3.2): nonce(8, big-endian) ‖ message, valid
// when BLAKE3(message ‖ nonce) starts with at least `difficulty` zero bits (MSB first).
import { blake3 } from "../machine/blake3.js";
import { POW_NONCE_BYTES } from "./constants.js";

/** Leading zero bits of `hash`, counted MSB-first across bytes. */
export function leadingZeroBits(hash: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < hash.length; i++) {
    const b = hash[i]!;
    if (b === 0) {
      n += 8;
      continue;
    }
    return n + Math.clz32(b) - 24;
  }
  return n;
}

/** True when the datagram's nonce prefix proves `difficulty` over the rest. */
export function checkPow(datagram: Uint8Array, difficulty: number): boolean {
  if (datagram.length <= POW_NONCE_BYTES) return false;
  const nonce = datagram.subarray(0, POW_NONCE_BYTES);
  const message = datagram.subarray(POW_NONCE_BYTES);
  return leadingZeroBits(blake3(message, nonce)) >= difficulty;
}

/** Searches nonces 0, 1, 2, … and returns the datagram nonce ‖ message. */
export function addPow(message: Uint8Array, difficulty: number): Uint8Array {
  const out = Buffer.allocUnsafe(POW_NONCE_BYTES + message.length);
  out.set(message, POW_NONCE_BYTES);
  const nonce = out.subarray(0, POW_NONCE_BYTES);
  for (let n = 0; ; n++) {
    writeNonce(nonce, n);
    if (leadingZeroBits(blake3(message, nonce)) >= difficulty) return out;
  }
}

/** addPow that yields to the event loop every `slice` attempts (for high difficulties). */
export async function addPowAsync(
  message: Uint8Array,
  difficulty: number,
  slice = 4096,
): Promise<Uint8Array> {
  const out = Buffer.allocUnsafe(POW_NONCE_BYTES + message.length);
  out.set(message, POW_NONCE_BYTES);
  const nonce = out.subarray(0, POW_NONCE_BYTES);
  for (let n = 0; ; n++) {
    if (n > 0 && n % slice === 0) await new Promise<void>((r) => setImmediate(r));
    writeNonce(nonce, n);
    if (leadingZeroBits(blake3(message, nonce)) >= difficulty) return out;
  }
}

function writeNonce(nonce: Uint8Array, n: number): void {
  let v = n;
  for (let i = POW_NONCE_BYTES - 1; i >= 0; i--) {
    nonce[i] = v % 256;
    v = Math.floor(v / 256);
  }
}
