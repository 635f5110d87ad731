// Relay identity and shared keys (facts §3.1): an X25519 key pair; the peer id is the raw 32-byte
// public key; the shared key with a peer is the raw X25519 output, used directly (no KDF) as the
// ChaCha20-Poly1305 key.
import {
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  type KeyObject,
} from "node:crypto";
import { PUBLIC_KEY_BYTES } from "./constants.js";
import { InvalidPeerKeyError } from "./errors.js";

const X25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");
const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

export interface RelayKeyPair {
  privateKey: KeyObject;
  /** Raw 32-byte public key: the node's id on the relay. */
  publicKey: Uint8Array;
  /** Raw 32-byte private key (the seed's `relay_secret_key`). */
  secretKey: Uint8Array;
}

/** The key pair for a raw 32-byte X25519 private key, or a fresh random one. */
export function relayKeyPair(secretKey?: Uint8Array | null): RelayKeyPair {
  const privateKey =
    secretKey === undefined || secretKey === null
      ? generateKeyPairSync("x25519").privateKey
      : createPrivateKey({
          key: Buffer.concat([X25519_PKCS8_PREFIX, secretKey]),
          format: "der",
          type: "pkcs8",
        });
  const jwk = privateKey.export({ format: "jwk" });
  return {
    privateKey,
    publicKey: Uint8Array.from(Buffer.from(jwk.x!, "base64url")),
    secretKey: Uint8Array.from(Buffer.from(jwk.d!, "base64url")),
  };
}

/** The raw Ed25519 public key of a raw 32-byte Ed25519 private key (validation and payment keys). */
export function ed25519PublicKey(secretKey: Uint8Array): Uint8Array {
  const key = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, secretKey]),
    format: "der",
    type: "pkcs8",
  });
  return Uint8Array.from(Buffer.from(key.export({ format: "jwk" }).x!, "base64url"));
}

/** The raw X25519 shared secret with `peerPublicKey`. Throws InvalidPeerKeyError. */
export function sharedKey(privateKey: KeyObject, peerPublicKey: Uint8Array): Uint8Array {
  if (peerPublicKey.length !== PUBLIC_KEY_BYTES)
    throw new InvalidPeerKeyError(`${peerPublicKey.length} bytes`);
  try {
    const publicKey = createPublicKey({
      key: { kty: "OKP", crv: "X25519", x: Buffer.from(peerPublicKey).toString("base64url") },
      format: "jwk",
    });
    return Uint8Array.from(diffieHellman({ privateKey, publicKey }));
  } catch (err) {
    throw new InvalidPeerKeyError((err as Error).message);
  }
}
