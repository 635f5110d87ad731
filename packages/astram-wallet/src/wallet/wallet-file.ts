import { readFileSync } from "node:fs";
import { type Address, addressFromPrivateKey, NETWORKS, type NetworkName } from "astram-core";
import { BadWalletFileError, NoMnemonicError, WalletExistsError, WalletNotFoundError } from "../errors.js";
import {
  accountPath,
  coinTypeOfBasePath,
  deriveAccount,
  ETH_ACCOUNT_PATH,
  mnemonicSeed,
} from "../keys/derivation.js";
import {
  decryptKeystore,
  decryptSecret,
  type EncryptOptions,
  encryptKeystore,
  encryptSecret,
  type KeystoreCrypto,
  KeystoreFormatError,
  keystoreAddress,
  type V3Keystore,
} from "../keys/keystore.js";
import { replaceFileAtomic, writeNewFileAtomic } from "./atomic-write.js";

/**
 * The wallet file is a standard Web3 Secret Storage v3 keystore of account 0 (so MetaMask, geth and
 * ethers can import it as is) with one extra member, "x-astram", that tools ignore:
 *
 * ```json
 * { "version": 3, "id": "…", "address": "f39f…", "crypto": { …account 0's key… },
 *   "x-astram": { "format": 1, "source": "mnemonic", "network": "testnet",
 *                 "derivation_path": "m/44'/1'/0'/0",
 *                 "mnemonic": { …the recovery phrase, encrypted like the key… },
 *                 "addresses": { "0": "0xf39f…" }, "created_at": "2026-…" } }
 * ```
 *
 * Both secrets are encrypted with the same password (separate salts and IVs). `addresses` caches
 * the public addresses derived so far, so `balance --index i` does not need the password twice.
 * `derivation_path` is read back for every derivation; a mnemonic wallet written before it was
 * recorded uses m/44'/60'/0'/0, the only path then (`hasRecordedPath` tells the CLI to say so).
 * `network` is the network the wallet was made for (absent in older files).
 */
export const WALLET_EXTENSION_KEY = "x-astram";

export interface WalletExtension {
  format: 1;
  source: "mnemonic" | "private-key";
  network?: NetworkName;
  derivation_path?: string;
  mnemonic?: KeystoreCrypto;
  addresses: Record<string, Address>;
  created_at: string;
}

export interface WalletFile extends V3Keystore {
  "x-astram": WalletExtension;
}

export interface UnlockedAccount {
  readonly index: number;
  /** Derivation path, or undefined for a wallet imported from a private key. */
  readonly path: string | undefined;
  readonly address: Address;
  readonly privateKey: Uint8Array;
}

/** Where a new wallet's keys come from: its network and (for a phrase) its account-level path. */
export interface WalletOrigin {
  network?: NetworkName | undefined;
  /** m/44'/<coin type>'/0'/0; default m/44'/60'/0'/0. */
  basePath?: string | undefined;
}

export async function createMnemonicWallet(
  mnemonic: string,
  password: string,
  options: EncryptOptions & WalletOrigin = {},
): Promise<WalletFile> {
  const basePath = options.basePath ?? ETH_ACCOUNT_PATH;
  const account = deriveAccount(mnemonicSeed(mnemonic), 0, basePath);
  const keystore = await encryptKeystore(account.privateKey, password, options);
  const encryptedPhrase = await encryptSecret(new TextEncoder().encode(mnemonic), password, options);
  account.privateKey.fill(0);
  return {
    ...keystore,
    [WALLET_EXTENSION_KEY]: {
      format: 1,
      source: "mnemonic",
      ...(options.network === undefined ? {} : { network: options.network }),
      derivation_path: basePath,
      mnemonic: encryptedPhrase,
      addresses: { "0": account.address },
      created_at: new Date().toISOString(),
    },
  };
}

export async function createPrivateKeyWallet(
  privateKey: Uint8Array,
  password: string,
  options: EncryptOptions & Pick<WalletOrigin, "network"> = {},
): Promise<WalletFile> {
  const keystore = await encryptKeystore(privateKey, password, options);
  return {
    ...keystore,
    [WALLET_EXTENSION_KEY]: {
      format: 1,
      source: "private-key",
      ...(options.network === undefined ? {} : { network: options.network }),
      addresses: { "0": addressFromPrivateKey(privateKey) },
      created_at: new Date().toISOString(),
    },
  };
}

/** Checks the shape of a parsed wallet file (not the secrets, which need the password). */
export function validateWalletFile(json: unknown, path: string): WalletFile {
  const bad = (reason: string): never => {
    throw new BadWalletFileError(path, reason);
  };
  if (typeof json !== "object" || json === null || Array.isArray(json)) bad("not a JSON object");
  const w = json as Record<string, unknown>;
  if (w.version !== 3) bad("not a version 3 keystore");
  if (typeof w.crypto !== "object" || w.crypto === null) bad("no crypto section");
  const address = keystoreAddress(w);
  if (address === undefined) bad("no address");
  const ext = w[WALLET_EXTENSION_KEY] as Record<string, unknown> | undefined;
  if (ext === undefined) {
    // A plain v3 keystore (from geth or another wallet): usable as a single-key wallet.
    return {
      ...(w as unknown as V3Keystore),
      [WALLET_EXTENSION_KEY]: {
        format: 1,
        source: "private-key",
        addresses: { "0": address! },
        created_at: "",
      },
    };
  }
  if (typeof ext !== "object" || ext === null) bad(`"${WALLET_EXTENSION_KEY}" is not an object`);
  if (ext.source !== "mnemonic" && ext.source !== "private-key") bad("unknown key source");
  if (ext.source === "mnemonic" && (typeof ext.mnemonic !== "object" || ext.mnemonic === null))
    bad("the encrypted recovery phrase is missing");
  if (
    ext.derivation_path !== undefined &&
    (typeof ext.derivation_path !== "string" || coinTypeOfBasePath(ext.derivation_path) === undefined)
  )
    bad(
      `unsupported derivation_path ${JSON.stringify(ext.derivation_path)} (expected m/44'/<coin type>'/0'/0)`,
    );
  if (ext.network !== undefined && !Object.hasOwn(NETWORKS, String(ext.network)))
    bad(`unknown network ${JSON.stringify(ext.network)}`);
  if (typeof ext.addresses !== "object" || ext.addresses === null) ext.addresses = {};
  const addresses = ext.addresses as Record<string, unknown>;
  for (const [k, v] of Object.entries(addresses)) {
    if (!/^\d+$/.test(k) || typeof v !== "string" || !/^0x[0-9a-f]{40}$/.test(v)) delete addresses[k];
  }
  addresses["0"] = address!;
  return json as WalletFile;
}

export function readWalletFile(path: string): WalletFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new WalletNotFoundError(path);
    throw new BadWalletFileError(path, `cannot read it (${code ?? (e as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BadWalletFileError(path, "not valid JSON");
  }
  return validateWalletFile(json, path);
}

export function serializeWallet(wallet: WalletFile): string {
  return `${JSON.stringify(wallet, null, 2)}\n`;
}

/** Writes a new wallet file (mode 0600); refuses to replace an existing one. */
export function writeNewWalletFile(path: string, wallet: WalletFile): void {
  try {
    writeNewFileAtomic(path, serializeWallet(wallet));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") throw new WalletExistsError(path);
    throw e;
  }
}

/** Rewrites an existing wallet file atomically (used to cache derived addresses). */
export function updateWalletFile(path: string, wallet: WalletFile): void {
  replaceFileAtomic(path, serializeWallet(wallet));
}

export function walletAddress(wallet: WalletFile): Address {
  return keystoreAddress(wallet)!;
}

export function hasMnemonic(wallet: WalletFile): boolean {
  return wallet[WALLET_EXTENSION_KEY].source === "mnemonic";
}

/** The account-level path every account of this wallet derives from (m/44'/60'/0'/0 when unrecorded). */
export function walletBasePath(wallet: WalletFile): string {
  return wallet[WALLET_EXTENSION_KEY].derivation_path ?? ETH_ACCOUNT_PATH;
}

/** False for a mnemonic wallet written before the path was recorded (it derives on coin type 60). */
export function hasRecordedPath(wallet: WalletFile): boolean {
  return !hasMnemonic(wallet) || wallet[WALLET_EXTENSION_KEY].derivation_path !== undefined;
}

/** The derivation path of account `index`, or undefined for a wallet imported from a private key. */
export function walletAccountPath(wallet: WalletFile, index: number): string | undefined {
  return hasMnemonic(wallet) ? accountPath(index, walletBasePath(wallet)) : undefined;
}

/** The address of account `index` if it is known without the password. */
export function knownAddress(wallet: WalletFile, index: number): Address | undefined {
  if (index === 0) return walletAddress(wallet);
  return wallet[WALLET_EXTENSION_KEY].addresses[String(index)];
}

function wrapFormat<T>(path: string, p: Promise<T>): Promise<T> {
  return p.catch((e: unknown) => {
    if (e instanceof KeystoreFormatError) throw new BadWalletFileError(path, e.message);
    throw e;
  });
}

/** Decrypts the recovery phrase (NoMnemonicError for a private-key wallet). */
export async function unlockMnemonic(wallet: WalletFile, password: string, path = "wallet"): Promise<string> {
  const ext = wallet[WALLET_EXTENSION_KEY];
  if (ext.source !== "mnemonic" || ext.mnemonic === undefined) throw new NoMnemonicError();
  const bytes = await wrapFormat(path, decryptSecret(ext.mnemonic, password));
  return new TextDecoder().decode(bytes);
}

/**
 * Decrypts the key of account `index`: account 0 from the keystore itself, others derived from the
 * recovery phrase. The result is checked against the file's address for account 0.
 */
export async function unlockAccount(
  wallet: WalletFile,
  password: string,
  index: number,
  path = "wallet",
): Promise<UnlockedAccount> {
  if (index === 0) {
    const privateKey = await wrapFormat(path, decryptKeystore(wallet, password));
    return {
      index: 0,
      path: walletAccountPath(wallet, 0),
      address: addressFromPrivateKey(privateKey),
      privateKey,
    };
  }
  const phrase = await unlockMnemonic(wallet, password, path);
  let account: ReturnType<typeof deriveAccount>;
  try {
    account = deriveAccount(phrase, index, walletBasePath(wallet));
  } catch (e) {
    throw new BadWalletFileError(
      path,
      `the stored recovery phrase does not derive keys (${(e as Error).message})`,
    );
  }
  return { index, path: account.path, address: account.address, privateKey: account.privateKey };
}

/** Remembers a derived address in the file (public data only). Returns true if the file changed. */
export function rememberAddress(wallet: WalletFile, index: number, address: Address): boolean {
  const addresses = wallet[WALLET_EXTENSION_KEY].addresses;
  if (addresses[String(index)] === address) return false;
  addresses[String(index)] = address;
  return true;
}
