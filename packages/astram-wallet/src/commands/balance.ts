import { formatAsrm, toChecksumAddress } from "astram-core";
import type { CommandContext } from "../cli/context.js";
import { parseRecipient } from "../send/user-input.js";
import { indexOption, loadWallet, ownAddresses } from "./shared.js";

export interface BalanceOptions {
  index?: string;
}

/** `balance [ADDRESS] [--index i]`: the confirmed balance from the node. */
export async function balanceCommand(
  ctx: CommandContext,
  address: string | undefined,
  opts: BalanceOptions,
): Promise<void> {
  let target: string;
  if (address !== undefined) target = parseRecipient(address);
  else {
    const wallet = loadWallet(ctx);
    [target] = (await ownAddresses(ctx, wallet, [indexOption(opts.index)])) as [string];
  }
  const balance = await ctx.node().balance(target);
  ctx.out.result(
    { address: target, balance: formatAsrm(balance), balance_ram: balance.toString() },
    `${formatAsrm(balance)} ASRM  (${toChecksumAddress(target)})`,
  );
}
