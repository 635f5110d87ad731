import { bytesToHex, toChecksumAddress } from "astram-core";
import type { CommandContext } from "../cli/context.js";
import { AbortedError, NoMnemonicError } from "../errors.js";
import { hasMnemonic, unlockAccount, unlockMnemonic } from "../wallet/wallet-file.js";
import { indexOption, loadWallet, pathOf } from "./shared.js";

export interface ExportOptions {
  index?: string;
  mnemonic?: boolean;
  yes?: boolean;
}

/**
 * `export [--index i] [--mnemonic]`: prints a private key (or the recovery phrase) in clear text.
 * The only command that ever does; it asks twice before doing it (unless --yes).
 */
export async function exportCommand(ctx: CommandContext, opts: ExportOptions): Promise<void> {
  const index = indexOption(opts.index);
  const wallet = loadWallet(ctx);
  if (opts.mnemonic && !hasMnemonic(wallet)) throw new NoMnemonicError();
  if (!opts.mnemonic && index > 0 && !hasMnemonic(wallet)) throw new NoMnemonicError();
  const what = opts.mnemonic ? "the recovery phrase" : `the private key of account ${index}`;
  if (!opts.yes) {
    ctx.io.stderr.write(
      `This prints ${what} in clear text. Anyone who sees it can take every coin it controls.\n`,
    );
    if (!(await ctx.prompter.confirm(`Print ${what}?`))) throw new AbortedError("export cancelled");
    if (
      !(await ctx.prompter.confirm(
        "Are you sure? Nobody is watching your screen or recording this terminal?",
      ))
    )
      throw new AbortedError("export cancelled");
  }
  const password = await ctx.prompter.password();
  if (opts.mnemonic) {
    const mnemonic = await unlockMnemonic(wallet, password, ctx.settings.walletPath);
    ctx.out.result({ mnemonic }, mnemonic);
    return;
  }
  const account = await unlockAccount(wallet, password, index, ctx.settings.walletPath);
  const privateKey = `0x${bytesToHex(account.privateKey)}`;
  account.privateKey.fill(0);
  ctx.out.result(
    {
      index,
      address: account.address,
      checksum_address: toChecksumAddress(account.address),
      path: pathOf(wallet, index) ?? null,
      private_key: privateKey,
    },
    privateKey,
  );
}
