// The body of a normal message (facts §3.2): random 12-byte nonce ‖ ChaCha20-Poly1305 ciphertext of
// topic(1) ‖ content ‖ 16-byte tag; no associated data; the key is the raw shared key.
import { createCipheriv, createDecipheriv, randomFillSync } from "node:crypto";
import { CHACHA_NONCE_BYTES, CHACHA_TAG_BYTES } from "./constants.js";
import { DecryptionError, MessageDecodeError } from "./errors.js";

// Nonces are taken from a pool of random bytes refilled 4 KiB at a time (each byte used once): one
// call into the kernel's generator per 341 messages instead of one per message.
const noncePool = Buffer.alloc(CHACHA_NONCE_BYTES * 341);
let noncePoolUsed = noncePool.length;

function fillNonce(nonce: Uint8Array): void {
  if (noncePoolUsed + nonce.length > noncePool.length) {
    randomFillSync(noncePool);
    noncePoolUsed = 0;
  }
  noncePool.copy(nonce, 0, noncePoolUsed, noncePoolUsed + nonce.length);
  noncePoolUsed += nonce.length;
}

export function sealBody(key: Uint8Array, topic: number, content: Uint8Array): Uint8Array {
  const out = Buffer.allocUnsafe(CHACHA_NONCE_BYTES + 1 + content.length + CHACHA_TAG_BYTES);
  const nonce = out.subarray(0, CHACHA_NONCE_BYTES);
  fillNonce(nonce);
  const c = createCipheriv("chacha20-poly1305", key, nonce, { authTagLength: CHACHA_TAG_BYTES });
  let o = CHACHA_NONCE_BYTES;
  o += c.update(Uint8Array.of(topic)).copy(out, o);
  if (content.length > 0) o += c.update(content).copy(out, o);
  o += c.final().copy(out, o);
  c.getAuthTag().copy(out, o);
  return out;
}

export interface OpenedBody {
  topic: number;
  content: Uint8Array;
}

/** Decrypts and authenticates a body. MessageDecodeError when too short, DecryptionError when forged. */
export function openBody(key: Uint8Array, body: Uint8Array): OpenedBody {
  if (body.length < CHACHA_NONCE_BYTES + 1 + CHACHA_TAG_BYTES)
    throw new MessageDecodeError(`encrypted body of ${body.length} bytes is too short`);
  const nonce = body.subarray(0, CHACHA_NONCE_BYTES);
  const tag = body.subarray(body.length - CHACHA_TAG_BYTES);
  const d = createDecipheriv("chacha20-poly1305", key, nonce, { authTagLength: CHACHA_TAG_BYTES });
  d.setAuthTag(tag);
  const head = d.update(body.subarray(CHACHA_NONCE_BYTES, body.length - CHACHA_TAG_BYTES));
  try {
    d.final();
  } catch {
    throw new DecryptionError();
  }
  // A plain Uint8Array view (not a Buffer), so decoders' slice() copies.
  return { topic: head[0]!, content: new Uint8Array(head.buffer, head.byteOffset + 1, head.length - 1) };
}
