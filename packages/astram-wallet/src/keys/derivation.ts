import { HDKey } from "@scure/bip32";
import { generateMnemonic, mnemonicToSeedSync, validateMnemonic } from "@scure/bip39";
import { wordlist } from "@scure/bip39/wordlists/english.js";
import { type Address, addressFromPrivateKey, isValidPrivateKey } from "astram-core";
import { BadIndexError, BadMnemonicError } from "../errors.js";

/**
 * BIP39 recovery phrases and BIP32/BIP44 derivation on Ethereum's path m/44'/60'/0'/0/i: the same
 * phrase gives the same addresses in MetaMask ("Import using Secret Recovery Phrase": account 1 is
 * index 0, account 2 index 1, ...). No BIP39 passphrase is used, as in MetaMask.
 */
export const ETH_ACCOUNT_PATH = "m/44'/60'/0'/0";

/** Highest non-hardened child index. */
export const MAX_ACCOUNT_INDEX = 0x7fffffff;

export interface DerivedAccount {
  readonly index: number;
  /** Full derivation path, e.g. m/44'/60'/0'/0/0. */
  readonly path: string;
  readonly privateKey: Uint8Array;
  readonly address: Address;
}

export function accountPath(index: number): string {
  return `${ETH_ACCOUNT_PATH}/${index}`;
}

/** Parses a decimal account index from user input. */
export function parseAccountIndex(text: string | number): number {
  const s = String(text).trim();
  if (!/^\d{1,10}$/.test(s) || Number(s) > MAX_ACCOUNT_INDEX) throw new BadIndexError(s);
  return Number(s);
}

/** A new random phrase: 12 words (128 bits of entropy, MetaMask's default) or 24 words (256 bits). */
export function createMnemonic(words: 12 | 24 = 12): string {
  return generateMnemonic(wordlist, words === 24 ? 256 : 128);
}

/** Canonical form of a typed phrase: NFKD, lowercase, single spaces. */
export function normalizeMnemonic(phrase: string): string {
  return phrase.normalize("NFKD").trim().toLowerCase().split(/\s+/).join(" ");
}

/** True for a phrase of valid English BIP39 words with a correct checksum. */
export function isValidMnemonic(phrase: string): boolean {
  return validateMnemonic(normalizeMnemonic(phrase), wordlist);
}

/** Normalizes and validates a phrase, explaining what is wrong when it is not valid. */
export function parseMnemonic(phrase: string): string {
  const norm = normalizeMnemonic(phrase);
  const words = norm === "" ? [] : norm.split(" ");
  if (![12, 15, 18, 21, 24].includes(words.length))
    throw new BadMnemonicError(`${words.length} words (expected 12, 15, 18, 21 or 24)`);
  const unknown = words.filter((w) => !wordlist.includes(w));
  if (unknown.length > 0)
    throw new BadMnemonicError(`${unknown.length} word(s) not in the English BIP39 word list`);
  if (!validateMnemonic(norm, wordlist)) throw new BadMnemonicError("checksum mismatch (a word is wrong)");
  return norm;
}

/** The 64-byte BIP39 seed (PBKDF2-HMAC-SHA512, 2048 rounds, empty passphrase). */
export function mnemonicSeed(phrase: string): Uint8Array {
  return mnemonicToSeedSync(parseMnemonic(phrase));
}

/** Derives account `index` from a BIP39 seed (or phrase) on m/44'/60'/0'/0/index. */
export function deriveAccount(seedOrPhrase: Uint8Array | string, index: number): DerivedAccount {
  if (!Number.isInteger(index) || index < 0 || index > MAX_ACCOUNT_INDEX)
    throw new BadIndexError(String(index));
  const seed = typeof seedOrPhrase === "string" ? mnemonicSeed(seedOrPhrase) : seedOrPhrase;
  const path = accountPath(index);
  const node = HDKey.fromMasterSeed(seed).derive(path);
  const key = node.privateKey;
  // BIP32 skips invalid children; @scure/bip32 throws instead, which the caller sees as an error.
  if (!key || !isValidPrivateKey(key)) throw new Error(`no valid key at ${path}`);
  const privateKey = Uint8Array.from(key);
  node.wipePrivateData();
  return { index, path, privateKey, address: addressFromPrivateKey(privateKey) };
}
