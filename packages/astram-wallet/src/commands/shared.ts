import { existsSync } from "node:fs";
import { type Address, type NetworkName, toChecksumAddress } from "astram-core";
import type { CommandContext } from "../cli/context.js";
import { BadOptionError, NoMnemonicError, WalletExistsError } from "../errors.js";
import {
  basePathForCoinType,
  coinTypeForNetwork,
  deriveAccount,
  ETH_ACCOUNT_PATH,
  mnemonicSeed,
  parseAccountIndex,
  parseCoinType,
} from "../keys/derivation.js";
import { DEFAULT_SCRYPT_N, MIN_SCRYPT_N } from "../keys/keystore.js";
import {
  hasMnemonic,
  hasRecordedPath,
  knownAddress,
  readWalletFile,
  rememberAddress,
  unlockMnemonic,
  updateWalletFile,
  WALLET_EXTENSION_KEY,
  type WalletFile,
  walletAccountPath,
  walletBasePath,
} from "../wallet/wallet-file.js";

/** The remaining risk, said wherever keys are made or explained. */
export const REPLAY_RISK =
  "Astram signatures commit to no network or chain id: a key used on two networks lets a payment " +
  "made on one be replayed on the other. Keep one wallet per network.";

/** Reads the wallet file; notes an unrecorded (pre per-network) path and a network other than the file's. */
export function loadWallet(ctx: CommandContext): WalletFile {
  const wallet = readWalletFile(ctx.settings.walletPath);
  if (!hasRecordedPath(wallet)) {
    ctx.out.note(
      `notice: ${ctx.settings.walletPath} records no derivation path: it derives on ${ETH_ACCOUNT_PATH} ` +
        "(coin type 60), as every wallet made before per-network keys.",
    );
  }
  const made = wallet[WALLET_EXTENSION_KEY].network;
  if (made !== undefined && ctx.settings.sources.network !== "default" && made !== ctx.settings.network) {
    ctx.out.note(
      `warning: this wallet was made for ${made}; using its keys on ${ctx.settings.network} too lets a ` +
        `payment on one network be replayed on the other. Create or import a wallet for ${ctx.settings.network}.`,
    );
  }
  return wallet;
}

/** The network and path `create` and `import` use: `--coin-type`, else the network's default. */
export function keyOrigin(
  ctx: CommandContext,
  coinTypeOption: string | undefined,
): { network: NetworkName; coinType: number; basePath: string } {
  const network = ctx.settings.network;
  const coinType = coinTypeOption === undefined ? coinTypeForNetwork(network) : parseCoinType(coinTypeOption);
  return { network, coinType, basePath: basePathForCoinType(coinType) };
}

/** What `create` and `import` say about the keys' network (stderr notes, not the result). */
export function keyOriginNotes(origin: {
  network: NetworkName;
  coinType: number;
  basePath: string;
}): string[] {
  const { network, coinType, basePath } = origin;
  const own = coinTypeForNetwork(network);
  const lines = [
    `Network ${network}: keys on ${basePath}/i (coin type ${coinType}${coinType === 60 ? ", MetaMask's path" : ""}).`,
  ];
  if (coinType !== own) {
    const others = (["mainnet", "testnet", "devnet"] as const).filter(
      (n) => n !== network && coinTypeForNetwork(n) === coinType,
    );
    if (others.length > 0)
      lines.push(
        `warning: coin type ${coinType} is the default of ${others.join(" and ")}: the same phrase gives the ` +
          `same keys there. ${REPLAY_RISK}`,
      );
  } else {
    lines.push(
      network === "mainnet"
        ? "Testnet and devnet wallets use coin type 1, so this phrase gives other keys there."
        : "Mainnet wallets use coin type 60, so this phrase gives other keys there and nothing signed here " +
            "can be replayed on mainnet (testnet and devnet share coin type 1, BIP44's one test coin type).",
    );
  }
  if (!lines.some((l) => l.includes(REPLAY_RISK))) lines.push(REPLAY_RISK);
  return lines;
}

export function refuseExistingWallet(ctx: CommandContext): string {
  const path = ctx.settings.walletPath;
  if (existsSync(path)) throw new WalletExistsError(path);
  return path;
}

export function indexOption(value: string | undefined): number {
  return value === undefined ? 0 : parseAccountIndex(value);
}

export function scryptOption(value: string | undefined): number {
  if (value === undefined) return DEFAULT_SCRYPT_N;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < MIN_SCRYPT_N || n > 1 << 20 || (n & (n - 1)) !== 0)
    throw new BadOptionError(`--scrypt-n must be a power of two from ${MIN_SCRYPT_N} to 1048576`);
  return n;
}

export function positiveIntOption(
  value: string | undefined,
  name: string,
  fallback: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) > max)
    throw new BadOptionError(`${name} must be an integer from 0 to ${max}`);
  return Number(value);
}

export function pathOf(wallet: WalletFile, index: number): string | undefined {
  return walletAccountPath(wallet, index);
}

export interface AddressInfo {
  index: number;
  address: Address;
  checksum_address: string;
  path: string | null;
}

export function addressInfo(wallet: WalletFile, index: number, address: Address): AddressInfo {
  return {
    index,
    address,
    checksum_address: toChecksumAddress(address),
    path: pathOf(wallet, index) ?? null,
  };
}

/**
 * Addresses of accounts `indexes`: from the file when known, otherwise derived from the recovery
 * phrase (one password prompt) and remembered in the file.
 */
export async function ownAddresses(
  ctx: CommandContext,
  wallet: WalletFile,
  indexes: readonly number[],
): Promise<Address[]> {
  const missing = indexes.filter((i) => knownAddress(wallet, i) === undefined);
  if (missing.length > 0) {
    if (!hasMnemonic(wallet)) throw new NoMnemonicError();
    const password = await ctx.prompter.password();
    const seed = mnemonicSeed(await unlockMnemonic(wallet, password, ctx.settings.walletPath));
    let changed = false;
    for (const i of missing) {
      const account = deriveAccount(seed, i, walletBasePath(wallet));
      account.privateKey.fill(0);
      changed = rememberAddress(wallet, i, account.address) || changed;
    }
    seed.fill(0);
    if (changed) updateWalletFile(ctx.settings.walletPath, wallet);
  }
  return indexes.map((i) => knownAddress(wallet, i)!);
}
