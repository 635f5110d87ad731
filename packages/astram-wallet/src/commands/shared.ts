import { existsSync } from "node:fs";
import { type Address, toChecksumAddress } from "astram-core";
import type { CommandContext } from "../cli/context.js";
import { BadOptionError, NoMnemonicError, WalletExistsError } from "../errors.js";
import { accountPath, deriveAccount, mnemonicSeed, parseAccountIndex } from "../keys/derivation.js";
import { DEFAULT_SCRYPT_N, MIN_SCRYPT_N } from "../keys/keystore.js";
import {
  hasMnemonic,
  knownAddress,
  readWalletFile,
  rememberAddress,
  unlockMnemonic,
  updateWalletFile,
  type WalletFile,
} from "../wallet/wallet-file.js";

export function loadWallet(ctx: CommandContext): WalletFile {
  return readWalletFile(ctx.settings.walletPath);
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
  return hasMnemonic(wallet) ? accountPath(index) : undefined;
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
      const account = deriveAccount(seed, i);
      account.privateKey.fill(0);
      changed = rememberAddress(wallet, i, account.address) || changed;
    }
    seed.fill(0);
    if (changed) updateWalletFile(ctx.settings.walletPath, wallet);
  }
  return indexes.map((i) => knownAddress(wallet, i)!);
}
