import { secp256k1 } from "@noble/curves/secp256k1.js";
import { keccak256 } from "./hash.js";
import { bytesToHex, hexToBytes } from "./hex.js";

/** An Astram address: "0x" + 40 lowercase hex (an Ethereum address). */
export type Address = string;

const ADDRESS_RE = /^0x[0-9a-f]{40}$/;
const ANY_CASE_ADDRESS_RE = /^0x[0-9a-fA-F]{40}$/;

/** True for the canonical (lowercase) form that consensus stores and compares. */
export function isAddress(s: string): boolean {
  return ADDRESS_RE.test(s);
}

/**
 * Parses user input (any case, EIP-55 or not) to the canonical lowercase address. A mixed-case
 * address must carry a correct EIP-55 checksum, so a mistyped letter is caught.
 */
export function parseAddress(s: string): Address {
  const t = s.trim();
  if (!ANY_CASE_ADDRESS_RE.test(t))
    throw new TypeError(`not an address: "${s}" (expected 0x + 40 hex digits)`);
  const lower = t.toLowerCase();
  const body = t.slice(2);
  const mixed = body !== body.toLowerCase() && body !== body.toUpperCase();
  if (mixed && toChecksumAddress(lower) !== t) throw new TypeError(`address checksum mismatch: "${s}"`);
  return lower;
}

/** EIP-55 mixed-case display form. */
export function toChecksumAddress(address: string): string {
  const lower = address.toLowerCase().replace(/^0x/, "");
  const h = bytesToHex(keccak256(new TextEncoder().encode(lower)));
  let out = "0x";
  for (let i = 0; i < lower.length; i++) {
    const c = lower[i]!;
    out += Number.parseInt(h[i]!, 16) >= 8 ? c.toUpperCase() : c;
  }
  return out;
}

export function isValidPrivateKey(key: Uint8Array): boolean {
  return key.length === 32 && secp256k1.utils.isValidSecretKey(key);
}

export function randomPrivateKey(): Uint8Array {
  return secp256k1.utils.randomSecretKey();
}

/** The 65-byte uncompressed public key (0x04 ‖ X ‖ Y), the form wallets put in inputs. */
export function publicKeyFromPrivate(privateKey: Uint8Array): Uint8Array {
  if (!isValidPrivateKey(privateKey)) throw new TypeError("invalid secp256k1 private key");
  return secp256k1.getPublicKey(privateKey, false);
}

/** Parses a 33-byte compressed or 65-byte uncompressed key and returns the uncompressed form. */
export function normalizePublicKey(pubkey: Uint8Array): Uint8Array {
  if (pubkey.length === 65 && pubkey[0] === 4) {
    // Validates that the point is on the curve.
    secp256k1.Point.fromBytes(pubkey);
    return pubkey;
  }
  if (pubkey.length === 33 && (pubkey[0] === 2 || pubkey[0] === 3)) {
    return secp256k1.Point.fromBytes(pubkey).toBytes(false);
  }
  throw new TypeError("public key must be 33 (compressed) or 65 (uncompressed) bytes");
}

/** Address of a public key: last 20 bytes of keccak256(X ‖ Y). */
export function addressFromPublicKey(pubkey: Uint8Array): Address {
  const full = normalizePublicKey(pubkey);
  return "0x" + bytesToHex(keccak256(full.subarray(1)).subarray(12));
}

/** Recently derived addresses: one owner's pubkey repeats on every input it signs. */
const addressCache = new Map<string, Address | undefined>();
const ADDRESS_CACHE_SIZE = 4096;

/** Address of an input's hex pubkey, or undefined when the text is not a valid key. */
export function addressFromPublicKeyHex(pubkeyHex: string): Address | undefined {
  if (addressCache.has(pubkeyHex)) return addressCache.get(pubkeyHex);
  let address: Address | undefined;
  try {
    address = addressFromPublicKey(hexToBytes(pubkeyHex));
  } catch {
    address = undefined;
  }
  if (addressCache.size >= ADDRESS_CACHE_SIZE)
    addressCache.delete(addressCache.keys().next().value as string);
  addressCache.set(pubkeyHex, address);
  return address;
}

export function addressFromPrivateKey(privateKey: Uint8Array): Address {
  return addressFromPublicKey(publicKeyFromPrivate(privateKey));
}
