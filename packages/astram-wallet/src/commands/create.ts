import { toChecksumAddress } from "astram-core";
import type { CommandContext } from "../cli/context.js";
import { BadOptionError } from "../errors.js";
import { accountPath, createMnemonic } from "../keys/derivation.js";
import { createMnemonicWallet, walletAddress, writeNewWalletFile } from "../wallet/wallet-file.js";
import { keyOrigin, keyOriginNotes, refuseExistingWallet, scryptOption } from "./shared.js";

export interface CreateOptions {
  words?: string;
  scryptN?: string;
  coinType?: string;
}

/** `create`: a new recovery phrase, shown once, and an encrypted wallet file; never overwrites. */
export async function createCommand(ctx: CommandContext, opts: CreateOptions): Promise<void> {
  const path = refuseExistingWallet(ctx);
  const words = opts.words === undefined ? 12 : Number(opts.words);
  if (words !== 12 && words !== 24) throw new BadOptionError("--words must be 12 or 24");
  const scryptN = scryptOption(opts.scryptN);
  const origin = keyOrigin(ctx, opts.coinType);
  const password = await ctx.prompter.newPassword();
  const mnemonic = createMnemonic(words);
  const wallet = await createMnemonicWallet(mnemonic, password, {
    scryptN,
    network: origin.network,
    basePath: origin.basePath,
  });
  writeNewWalletFile(path, wallet);
  const address = walletAddress(wallet);
  const path0 = accountPath(0, origin.basePath);
  ctx.out.result(
    {
      wallet_path: path,
      address,
      checksum_address: toChecksumAddress(address),
      path: path0,
      network: origin.network,
      coin_type: origin.coinType,
      mnemonic,
    },
    [
      `Wallet created: ${path} (encrypted with your password, readable only by you)`,
      `Address (account 0, ${path0}): ${toChecksumAddress(address)}`,
      ...keyOriginNotes(origin),
      "",
      "Recovery phrase. It is shown only this once: write it down and keep it offline.",
      "Anyone who has it can spend your coins; it is the only way to recover the wallet.",
      "",
      `    ${mnemonic}`,
      "",
      origin.coinType === 60
        ? 'MetaMask: "Import using Secret Recovery Phrase" with these words shows the same addresses.'
        : `MetaMask shows the coin type 60 addresses of these words, not these (${origin.basePath}).`,
    ],
  );
}
