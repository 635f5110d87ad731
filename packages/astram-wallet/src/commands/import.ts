import { toChecksumAddress } from "astram-core";
import type { CommandContext } from "../cli/context.js";
import { accountPath } from "../keys/derivation.js";
import { parseImportedSecret } from "../keys/private-key.js";
import {
  createMnemonicWallet,
  createPrivateKeyWallet,
  walletAddress,
  writeNewWalletFile,
} from "../wallet/wallet-file.js";
import { keyOrigin, keyOriginNotes, REPLAY_RISK, refuseExistingWallet, scryptOption } from "./shared.js";

export interface ImportOptions {
  scryptN?: string;
  coinType?: string;
}

/**
 * `import`: a recovery phrase or a private key, read from the terminal with echo off (or one line
 * of stdin), never from the command line where shell history and `ps` would keep it.
 */
export async function importCommand(ctx: CommandContext, opts: ImportOptions): Promise<void> {
  const path = refuseExistingWallet(ctx);
  const scryptN = scryptOption(opts.scryptN);
  const origin = keyOrigin(ctx, opts.coinType);
  const secret = parseImportedSecret(
    await ctx.prompter.secret("Recovery phrase or private key: ", "the recovery phrase or private key"),
  );
  const password = await ctx.prompter.newPassword();
  const wallet =
    secret.kind === "mnemonic"
      ? await createMnemonicWallet(secret.mnemonic, password, {
          scryptN,
          network: origin.network,
          basePath: origin.basePath,
        })
      : await createPrivateKeyWallet(secret.privateKey, password, { scryptN, network: origin.network });
  if (secret.kind === "private-key") secret.privateKey.fill(0);
  writeNewWalletFile(path, wallet);
  const address = walletAddress(wallet);
  const derivation = secret.kind === "mnemonic" ? accountPath(0, origin.basePath) : null;
  ctx.out.result(
    {
      wallet_path: path,
      address,
      checksum_address: toChecksumAddress(address),
      source: secret.kind,
      path: derivation,
      network: origin.network,
      coin_type: secret.kind === "mnemonic" ? origin.coinType : null,
    },
    [
      `Wallet imported from a ${secret.kind === "mnemonic" ? "recovery phrase" : "private key"}: ${path}`,
      `Address${derivation ? ` (account 0, ${derivation})` : ""}: ${toChecksumAddress(address)}`,
      ...(secret.kind === "mnemonic"
        ? keyOriginNotes(origin)
        : [`Network ${origin.network}: a private key is the same key on every network. ${REPLAY_RISK}`]),
    ],
  );
}
