import { HDKey } from "@scure/bip32";
import { generateMnemonic, mnemonicToSeedSync, validateMnemonic } from "@scure/bip39";
import { wordlist } from "@scure/bip39/wordlists/english.js";
import { type Address, addressFromPrivateKey, isValidPrivateKey, type NetworkName } from "astram-core";
import { BadCoinTypeError, BadIndexError, BadMnemonicError } from "../errors.js";

/**
 * BIP39 recovery phrases and BIP32/BIP44 derivation on m/44'/<coin type>'/0'/0/i. No BIP39
 * passphrase is used, as in MetaMask.
 *
 * The coin type depends on the network, so one phrase gives different keys on each network:
 * Astram's native signatures commit to no chain id, and a key used on two networks lets a payment
 * made on one be replayed on the other. Mainnet uses Ethereum's coin type 60 (the addresses
 * MetaMask shows for the phrase: account 1 is index 0, account 2 index 1, ...); testnet and devnet
 * use coin type 1, BIP44's "testnet, all coins".
 */
export const ETH_COIN_TYPE = 60;
export const TESTNET_COIN_TYPE = 1;
/** Ethereum's path, the only one before per-network keys (wallet files without a path use it). */
export const ETH_ACCOUNT_PATH = "m/44'/60'/0'/0";
/** Highest hardened-index value a coin type may take. */
export const MAX_COIN_TYPE = 0x7fffffff;

/** The default coin type of a network: 60 on mainnet (MetaMask's), 1 on testnet and devnet. */
export function coinTypeForNetwork(network: NetworkName): number {
  return network === "mainnet" ? ETH_COIN_TYPE : TESTNET_COIN_TYPE;
}

/** The account-level path m/44'/<coinType>'/0'/0 (account i is its child i). */
export function basePathForCoinType(coinType: number): string {
  return `m/44'/${coinType}'/0'/0`;
}

/** Parses a coin type given by the user (`--coin-type`). */
export function parseCoinType(text: string): number {
  const s = text.trim();
  if (!/^\d{1,10}$/.test(s) || Number(s) > MAX_COIN_TYPE)
    throw new BadCoinTypeError(`--coin-type must be an integer from 0 to ${MAX_COIN_TYPE}, got "${text}"`);
  return Number(s);
}

/** The coin type of a base path m/44'/<c>'/0'/0, or undefined when the path has another shape. */
export function coinTypeOfBasePath(path: string): number | undefined {
  const m = /^m\/44'\/(\d{1,10})'\/0'\/0$/.exec(path);
  if (m === null || Number(m[1]) > MAX_COIN_TYPE) return undefined;
  return Number(m[1]);
}

/** Highest non-hardened child index. */
export const MAX_ACCOUNT_INDEX = 0x7fffffff;

export interface DerivedAccount {
  readonly index: number;
  /** Full derivation path, e.g. m/44'/60'/0'/0/0 or m/44'/1'/0'/0/0. */
  readonly path: string;
  readonly privateKey: Uint8Array;
  readonly address: Address;
}

export function accountPath(index: number, basePath = ETH_ACCOUNT_PATH): string {
  return `${basePath}/${index}`;
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

/** Derives account `index` from a BIP39 seed (or phrase) on `basePath`/index (default m/44'/60'/0'/0). */
export function deriveAccount(
  seedOrPhrase: Uint8Array | string,
  index: number,
  basePath = ETH_ACCOUNT_PATH,
): DerivedAccount {
  if (!Number.isInteger(index) || index < 0 || index > MAX_ACCOUNT_INDEX)
    throw new BadIndexError(String(index));
  if (coinTypeOfBasePath(basePath) === undefined) throw new Error(`unsupported derivation path ${basePath}`);
  const seed = typeof seedOrPhrase === "string" ? mnemonicSeed(seedOrPhrase) : seedOrPhrase;
  const path = accountPath(index, basePath);
  const node = HDKey.fromMasterSeed(seed).derive(path);
  const key = node.privateKey;
  // BIP32 skips invalid children; @scure/bip32 throws instead, which the caller sees as an error.
  if (!key || !isValidPrivateKey(key)) throw new Error(`no valid key at ${path}`);
  const privateKey = Uint8Array.from(key);
  node.wipePrivateData();
  return { index, path, privateKey, address: addressFromPrivateKey(privateKey) };
}
