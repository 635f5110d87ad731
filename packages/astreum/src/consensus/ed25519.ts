// Ed25519 (RFC 8032) with raw 32-byte keys through node:crypto: validator keys sign block bodies,
// senders sign transaction bodies. KeyObjects are built from DER prefixes and cached, so repeated
// signing by one validator and verifying many transactions from few senders stay cheap.
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign as nodeSign,
  verify as nodeVerify,
} from "node:crypto";
import { ConsensusError } from "./errors.js";

const PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
const SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
const CACHE_LIMIT = 4096;

/** A raw 32-byte Ed25519 private key (seed) or a KeyObject holding one. */
export type SecretKeyInput = Uint8Array | KeyObject | string;

export class InvalidKeyError extends ConsensusError {
  constructor(detail: string) {
    super("INVALID_KEY", detail);
  }
}

export interface Ed25519KeyPair {
  /** Raw 32-byte private key. */
  secretKey: Uint8Array;
  /** Raw 32-byte public key. */
  publicKey: Uint8Array;
}

const privateKeys = new Map<string, KeyObject>();
const publicKeys = new Map<string, KeyObject | null>();

function remember<V>(map: Map<string, V>, key: string, value: V): V {
  if (map.size >= CACHE_LIMIT) map.delete(map.keys().next().value!);
  map.set(key, value);
  return value;
}

/** Raw bytes of a secret key given as bytes, hex (with or without 0x) or an Ed25519 KeyObject. */
export function secretKeyBytes(key: SecretKeyInput): Uint8Array {
  if (typeof key === "string") {
    const hex = key.trim().replace(/^0x/i, "");
    if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new InvalidKeyError("an Ed25519 secret key is 32 bytes of hex");
    return Uint8Array.from(Buffer.from(hex, "hex"));
  }
  if (key instanceof Uint8Array) {
    if (key.length !== 32) throw new InvalidKeyError(`an Ed25519 secret key is 32 bytes, got ${key.length}`);
    return key;
  }
  if (key.type !== "private" || key.asymmetricKeyType !== "ed25519")
    throw new InvalidKeyError("expected an Ed25519 private KeyObject");
  return Uint8Array.from(Buffer.from(key.export({ format: "jwk" }).d!, "base64url"));
}

function privateKeyObject(secret: Uint8Array): KeyObject {
  const k = Buffer.from(secret).toString("hex");
  const hit = privateKeys.get(k);
  if (hit !== undefined) return hit;
  const obj = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, secret]), format: "der", type: "pkcs8" });
  return remember(privateKeys, k, obj);
}

function publicKeyObject(publicKey: Uint8Array): KeyObject | null {
  const k = Buffer.from(publicKey).toString("hex");
  const hit = publicKeys.get(k);
  if (hit !== undefined) return hit;
  let obj: KeyObject | null;
  try {
    obj = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: "der", type: "spki" });
  } catch {
    obj = null;
  }
  return remember(publicKeys, k, obj);
}

/** A fresh random key pair. */
export function generateKeyPair(): Ed25519KeyPair {
  const { privateKey } = generateKeyPairSync("ed25519");
  const jwk = privateKey.export({ format: "jwk" });
  return {
    secretKey: Uint8Array.from(Buffer.from(jwk.d!, "base64url")),
    publicKey: Uint8Array.from(Buffer.from(jwk.x!, "base64url")),
  };
}

/** The raw public key of a secret key. */
export function publicKeyOf(secretKey: SecretKeyInput): Uint8Array {
  const obj = privateKeyObject(secretKeyBytes(secretKey));
  return Uint8Array.from(Buffer.from(obj.export({ format: "jwk" }).x!, "base64url"));
}

/** The 64-byte Ed25519 signature of `message`. */
export function sign(secretKey: SecretKeyInput, message: Uint8Array): Uint8Array {
  return Uint8Array.from(nodeSign(null, message, privateKeyObject(secretKeyBytes(secretKey))));
}

/** True when `signature` is a valid Ed25519 signature of `message` by `publicKey`; never throws. */
export function verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  const key = publicKeyObject(publicKey);
  if (key === null) return false;
  try {
    return nodeVerify(null, message, key, signature);
  } catch {
    return false;
  }
}
