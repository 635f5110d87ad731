import type { CommandContext } from "../cli/context.js";
import { BadOptionError } from "../errors.js";
import { MAX_ACCOUNT_INDEX } from "../keys/derivation.js";
import { addressInfo, indexOption, loadWallet, ownAddresses, positiveIntOption } from "./shared.js";

export interface AddressOptions {
  index?: string;
  count?: string;
}

/** `address [--index i] [--count n]`: account addresses (EIP-55 display; lowercase in JSON too). */
export async function addressCommand(ctx: CommandContext, opts: AddressOptions): Promise<void> {
  const first = indexOption(opts.index);
  const count = positiveIntOption(opts.count, "--count", 1, 1000);
  if (count < 1) throw new BadOptionError("--count must be at least 1");
  if (first + count - 1 > MAX_ACCOUNT_INDEX)
    throw new BadOptionError("--index + --count goes past the last index");
  const wallet = loadWallet(ctx);
  const indexes = Array.from({ length: count }, (_, k) => first + k);
  const addresses = await ownAddresses(ctx, wallet, indexes);
  const infos = indexes.map((i, k) => addressInfo(wallet, i, addresses[k]!));
  if (opts.count === undefined) {
    const a = infos[0]!;
    ctx.out.result(a, a.checksum_address);
  } else {
    ctx.out.result(
      { addresses: infos },
      infos.map((a) => `${String(a.index).padStart(4)}  ${a.checksum_address}  ${a.path ?? ""}`.trimEnd()),
    );
  }
}
