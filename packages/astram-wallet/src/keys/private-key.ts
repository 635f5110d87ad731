import { hexToBytes, isValidPrivateKey } from "astram-core";
import { BadPrivateKeyError, BadSecretError } from "../errors.js";
import { parseMnemonic } from "./derivation.js";

/** Parses a hex private key (64 hex digits, optional 0x) and checks it is a valid secp256k1 scalar. */
export function parsePrivateKey(text: string): Uint8Array {
  const t = text.trim();
  if (!/^(0x)?[0-9a-fA-F]{64}$/.test(t)) throw new BadPrivateKeyError();
  const key = hexToBytes(t);
  if (!isValidPrivateKey(key)) throw new BadPrivateKeyError();
  return key;
}

export type ImportedSecret =
  | { readonly kind: "mnemonic"; readonly mnemonic: string }
  | { readonly kind: "private-key"; readonly privateKey: Uint8Array };

/**
 * Recognises what the user pasted into `import`: 64 hex digits (with or without 0x) are a private
 * key; several words are a recovery phrase (validated, checksum included).
 */
export function parseImportedSecret(text: string): ImportedSecret {
  const t = text.trim();
  if (/^(0x)?[0-9a-fA-F]{64}$/.test(t)) return { kind: "private-key", privateKey: parsePrivateKey(t) };
  if (/\s/.test(t)) return { kind: "mnemonic", mnemonic: parseMnemonic(t) };
  throw new BadSecretError();
}
