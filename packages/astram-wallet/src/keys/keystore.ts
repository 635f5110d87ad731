import {
  createCipheriv,
  createDecipheriv,
  pbkdf2,
  randomBytes,
  randomUUID,
  scrypt,
  timingSafeEqual,
} from "node:crypto";
import { scryptAsync as nobleScrypt } from "@noble/hashes/scrypt.js";
import {
  type Address,
  addressFromPrivateKey,
  bytesToHex,
  concatBytes,
  hexToBytes,
  keccak256,
} from "astram-core";
import { WrongPasswordError } from "../errors.js";

/**
 * Web3 Secret Storage v3 (the format of geth's keystore, MetaMask's "Import account > JSON file",
 * ethers and web3.js): scrypt (or PBKDF2-HMAC-SHA256 when reading) derives 32 bytes from the
 * password; the first 16 are the AES-128-CTR key, and mac = keccak256(derived[16..32] ‖ ciphertext).
 * The password is used as its UTF-8 bytes, as geth and MetaMask do.
 */

/** geth's "standard" scrypt parameters: N = 2^18, r = 8, p = 1 (about 256 MiB and 0.5-1 s). */
export const DEFAULT_SCRYPT_N = 262_144;
/** Lowest N this wallet writes (tests and very small machines; geth's "light" setting is 4096). */
export const MIN_SCRYPT_N = 1024;
/** Highest N accepted when reading (2^20 needs 1 GiB with r = 8); larger files are refused. */
const MAX_SCRYPT_N = 1 << 20;
const MAX_PBKDF2_ROUNDS = 10_000_000;

export interface ScryptParams {
  dklen: number;
  n: number;
  r: number;
  p: number;
  salt: string;
}

export interface Pbkdf2Params {
  dklen: number;
  c: number;
  prf: "hmac-sha256";
  salt: string;
}

/** The `crypto` object of a v3 keystore. */
export interface KeystoreCrypto {
  cipher: "aes-128-ctr";
  cipherparams: { iv: string };
  ciphertext: string;
  kdf: "scrypt" | "pbkdf2";
  kdfparams: ScryptParams | Pbkdf2Params;
  mac: string;
}

export interface V3Keystore {
  version: 3;
  id: string;
  /** Lowercase hex address without 0x, as geth writes it. */
  address: string;
  crypto: KeystoreCrypto;
}

export interface EncryptOptions {
  /** scrypt N (a power of two >= 1024); default 2^18. */
  scryptN?: number;
}

/** Thrown for a keystore that is malformed or uses parameters this wallet refuses. */
export class KeystoreFormatError extends Error {
  override readonly name = "KeystoreFormatError";
  readonly code = "BAD_KEYSTORE";
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 2 && (n & (n - 1)) === 0;
}

function scryptAsync(password: Uint8Array, salt: Uint8Array, p: ScryptParams): Promise<Uint8Array> {
  // OpenSSL (node:crypto) refuses N >= 2^(16 r), e.g. the specification's own r = 1 test vector;
  // @noble/hashes computes those (slower, but they are rare).
  if (p.r < 4 && p.n >= 2 ** (16 * p.r)) {
    return nobleScrypt(password, salt, { N: p.n, r: p.r, p: p.p, dkLen: p.dklen, maxmem: 2 ** 31 });
  }
  const maxmem = 128 * p.r * (p.n + p.p + 2) + 32 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password, salt, p.dklen, { N: p.n, r: p.r, p: p.p, maxmem }, (err, key) =>
      err ? reject(err) : resolve(new Uint8Array(key)),
    );
  });
}

function pbkdf2Async(password: Uint8Array, salt: Uint8Array, p: Pbkdf2Params): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    pbkdf2(password, salt, p.c, p.dklen, "sha256", (err, key) =>
      err ? reject(err) : resolve(new Uint8Array(key)),
    );
  });
}

const HEX_RE = /^[0-9a-fA-F]*$/;

function hexField(v: unknown, name: string, bytes?: number): Uint8Array {
  if (typeof v !== "string" || !HEX_RE.test(v.replace(/^0x/, "")))
    throw new KeystoreFormatError(`${name} is not hex`);
  const b = hexToBytes(v.replace(/^0x/, ""));
  if (bytes !== undefined && b.length !== bytes)
    throw new KeystoreFormatError(`${name} must be ${bytes} bytes`);
  return b;
}

function intField(v: unknown, name: string, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max)
    throw new KeystoreFormatError(`${name} must be an integer in [${min}, ${max}]`);
  return v;
}

/** Derives the 32-byte key for a crypto object, checking every parameter first. */
async function deriveKey(c: Record<string, unknown>, password: string): Promise<Uint8Array> {
  const pw = new TextEncoder().encode(password);
  const params = c.kdfparams;
  if (typeof params !== "object" || params === null) throw new KeystoreFormatError("kdfparams missing");
  const kp = params as Record<string, unknown>;
  const salt = hexField(kp.salt, "kdfparams.salt");
  const dklen = intField(kp.dklen, "kdfparams.dklen", 32, 32);
  if (c.kdf === "scrypt") {
    const n = intField(kp.n, "kdfparams.n", 2, MAX_SCRYPT_N);
    if (!isPowerOfTwo(n)) throw new KeystoreFormatError("kdfparams.n must be a power of two");
    const r = intField(kp.r, "kdfparams.r", 1, 64);
    const p = intField(kp.p, "kdfparams.p", 1, 64);
    return scryptAsync(pw, salt, { dklen, n, r, p, salt: "" });
  }
  if (c.kdf === "pbkdf2") {
    if (kp.prf !== "hmac-sha256") throw new KeystoreFormatError("only pbkdf2 with hmac-sha256 is supported");
    const rounds = intField(kp.c, "kdfparams.c", 1, MAX_PBKDF2_ROUNDS);
    return pbkdf2Async(pw, salt, { dklen, c: rounds, prf: "hmac-sha256", salt: "" });
  }
  throw new KeystoreFormatError(`unsupported kdf ${JSON.stringify(c.kdf)}`);
}

function mac(derived: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  return keccak256(concatBytes(derived.subarray(16, 32), ciphertext));
}

/** Encrypts any secret (a private key, or the UTF-8 bytes of a recovery phrase) into a crypto object. */
export async function encryptSecret(
  secret: Uint8Array,
  password: string,
  options: EncryptOptions = {},
): Promise<KeystoreCrypto> {
  const n = options.scryptN ?? DEFAULT_SCRYPT_N;
  if (!isPowerOfTwo(n) || n < MIN_SCRYPT_N || n > MAX_SCRYPT_N)
    throw new RangeError(`scrypt N must be a power of two in [${MIN_SCRYPT_N}, ${MAX_SCRYPT_N}]`);
  const salt = new Uint8Array(randomBytes(32));
  const iv = new Uint8Array(randomBytes(16));
  const kdfparams: ScryptParams = { dklen: 32, n, r: 8, p: 1, salt: bytesToHex(salt) };
  const derived = await scryptAsync(new TextEncoder().encode(password), salt, kdfparams);
  const cipher = createCipheriv("aes-128-ctr", derived.subarray(0, 16), iv);
  const ciphertext = new Uint8Array(Buffer.concat([cipher.update(secret), cipher.final()]));
  const out: KeystoreCrypto = {
    cipher: "aes-128-ctr",
    cipherparams: { iv: bytesToHex(iv) },
    ciphertext: bytesToHex(ciphertext),
    kdf: "scrypt",
    kdfparams,
    mac: bytesToHex(mac(derived, ciphertext)),
  };
  derived.fill(0);
  return out;
}

/**
 * Decrypts a crypto object. A MAC mismatch means a wrong password (WrongPasswordError); a malformed
 * object is a KeystoreFormatError.
 */
export async function decryptSecret(crypto: unknown, password: string): Promise<Uint8Array> {
  if (typeof crypto !== "object" || crypto === null) throw new KeystoreFormatError("crypto section missing");
  const c = crypto as Record<string, unknown>;
  if (c.cipher !== "aes-128-ctr")
    throw new KeystoreFormatError(`unsupported cipher ${JSON.stringify(c.cipher)}`);
  const cp = c.cipherparams as Record<string, unknown> | undefined;
  const iv = hexField(cp?.iv, "cipherparams.iv", 16);
  const ciphertext = hexField(c.ciphertext, "ciphertext");
  const expectedMac = hexField(c.mac, "mac", 32);
  const derived = await deriveKey(c, password);
  const actual = mac(derived, ciphertext);
  if (!timingSafeEqual(actual, expectedMac)) {
    derived.fill(0);
    throw new WrongPasswordError();
  }
  const decipher = createDecipheriv("aes-128-ctr", derived.subarray(0, 16), iv);
  const plain = new Uint8Array(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
  derived.fill(0);
  return plain;
}

/** A complete v3 keystore for one private key. */
export async function encryptKeystore(
  privateKey: Uint8Array,
  password: string,
  options: EncryptOptions = {},
): Promise<V3Keystore> {
  const address = addressFromPrivateKey(privateKey);
  return {
    version: 3,
    id: randomUUID(),
    address: address.slice(2),
    crypto: await encryptSecret(privateKey, password, options),
  };
}

/** The address a v3 keystore declares, in canonical 0x-lowercase form, or undefined. */
export function keystoreAddress(keystore: { address?: unknown }): Address | undefined {
  const a = keystore.address;
  if (typeof a !== "string" || !/^(0x)?[0-9a-fA-F]{40}$/.test(a)) return undefined;
  return `0x${a.replace(/^0x/, "").toLowerCase()}`;
}

/**
 * Decrypts a v3 keystore (also accepts the `Crypto` spelling some tools write) and checks that the
 * key matches the declared address when there is one.
 */
export async function decryptKeystore(keystore: unknown, password: string): Promise<Uint8Array> {
  if (typeof keystore !== "object" || keystore === null) throw new KeystoreFormatError("not a JSON object");
  const k = keystore as Record<string, unknown>;
  if (k.version !== 3) throw new KeystoreFormatError(`version ${JSON.stringify(k.version)} is not 3`);
  const key = await decryptSecret(k.crypto ?? k.Crypto, password);
  if (key.length !== 32) throw new KeystoreFormatError("the decrypted key is not 32 bytes");
  const declared = keystoreAddress(k);
  let derived: string;
  try {
    derived = addressFromPrivateKey(key);
  } catch {
    throw new KeystoreFormatError("the decrypted key is not a valid secp256k1 key");
  }
  if (declared !== undefined && declared !== derived)
    throw new KeystoreFormatError(`the key belongs to ${derived}, not to the declared ${declared}`);
  return key;
}
