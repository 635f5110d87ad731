import { bytesToHex, formatAsrm, outPointKey, toChecksumAddress, type Utxo } from "astram-core";
import type { CommandContext } from "../cli/context.js";
import {
  AbortedError,
  ConfirmationTimeoutError,
  InsufficientFundsError,
  NoMnemonicError,
} from "../errors.js";
import type { NodeClient } from "../node/node-client.js";
import { buildPayment, type Payment } from "../send/build-payment.js";
import {
  journalPath,
  journalSpends,
  pruneJournal,
  readJournal,
  writeJournal,
} from "../send/pending-journal.js";
import {
  DEFAULT_FEE_RATE,
  formatFeeRate,
  parseFeeRate,
  parseRecipient,
  parseSendAmount,
} from "../send/user-input.js";
import {
  hasMnemonic,
  knownAddress,
  rememberAddress,
  type UnlockedAccount,
  unlockAccount,
  updateWalletFile,
} from "../wallet/wallet-file.js";
import { indexOption, loadWallet, positiveIntOption } from "./shared.js";

export interface SendOptions {
  index?: string;
  feeRate?: string;
  yes?: boolean;
  dryRun?: boolean;
  wait?: boolean;
  waitTimeout?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Said on every mainnet send: this wallet signs native Astram transactions (no chain id, not an
 * Ethereum transaction), but mainnet's chain id is Ethereum's and its keys are MetaMask's.
 */
export const CHAIN_ID_1_WARNING =
  "warning: Astram mainnet's chain id is 1, Ethereum mainnet's too. This native transaction cannot be " +
  "replayed on Ethereum, but these keys are MetaMask's (m/44'/60'): a transfer they sign for chain 1 " +
  "(MetaMask, ethers, the node's JSON-RPC) is valid on both chains.";

/** Spendable coins: confirmed UTXOs minus those that pending transactions (node mempool or our journal) spend. */
async function spendableCoins(
  ctx: CommandContext,
  node: NodeClient,
  from: string,
): Promise<{ coins: Utxo[]; excluded: number }> {
  const utxos = await node.utxos(from);
  const now = Math.floor(Date.now() / 1000);
  const jPath = journalPath(ctx.settings.walletPath);
  const journal = readJournal(jPath);
  const pruned = pruneJournal(journal, from, utxos, now);
  if (pruned.length !== journal.length) writeJournal(jPath, pruned);
  const spent = journalSpends(pruned.filter((e) => e.from === from));
  const mempool = await node.pendingSpends();
  if (mempool) for (const k of mempool) spent.add(k);
  const coins: Utxo[] = utxos
    .filter((u) => u.pendingSpent !== true && !spent.has(outPointKey(u)))
    .map(({ txid, vout, to, amount }) => ({ txid, vout, to, amount }));
  return { coins, excluded: utxos.length - coins.length };
}

function describe(p: Payment, to: string, from: string, rate: bigint): string[] {
  const lines = [
    `Send ${formatAsrm(p.amount)} ASRM to ${toChecksumAddress(to)}`,
    `  fee     ${formatAsrm(p.fee)} ASRM (${p.size} bytes at ${formatFeeRate(rate)} Gwei/byte` +
      `${p.changeAddedToFee > 0n ? `, plus ${formatAsrm(p.changeAddedToFee)} ASRM of change too small to return` : ""})`,
    `  inputs  ${p.inputs.length} (${formatAsrm(p.inputTotal)} ASRM)`,
  ];
  if (p.change > 0n) lines.push(`  change  ${formatAsrm(p.change)} ASRM back to ${toChecksumAddress(from)}`);
  return lines;
}

/** `send TO AMOUNT`: build an exact-fee transaction, confirm, submit, optionally wait for a block. */
export async function sendCommand(
  ctx: CommandContext,
  toText: string,
  amountText: string,
  opts: SendOptions,
): Promise<void> {
  const to = parseRecipient(toText);
  const amount = parseSendAmount(amountText);
  const feeRate = opts.feeRate === undefined ? DEFAULT_FEE_RATE : parseFeeRate(opts.feeRate);
  const index = indexOption(opts.index);
  const waitSeconds = positiveIntOption(opts.waitTimeout, "--wait-timeout", 600, 86_400);
  const wallet = loadWallet(ctx);
  const node = ctx.node();
  // Account 0 (and accounts listed before) are known without the password: the node is asked first,
  // so an unreachable node or an empty balance is reported before any password prompt.
  let account: UnlockedAccount | undefined;
  let from = knownAddress(wallet, index);
  if (from === undefined) {
    if (!hasMnemonic(wallet)) throw new NoMnemonicError();
    account = await unlockAccount(wallet, await ctx.prompter.password(), index, ctx.settings.walletPath);
    from = account.address;
    if (rememberAddress(wallet, index, from)) updateWalletFile(ctx.settings.walletPath, wallet);
  }
  const { coins, excluded } = await spendableCoins(ctx, node, from);
  let available = 0n;
  for (const c of coins) available += c.amount;
  if (available < amount) {
    throw new InsufficientFundsError(
      available,
      amount,
      `insufficient funds: sending ${formatAsrm(amount)} ASRM plus the fee, but ${formatAsrm(available)} ASRM is spendable` +
        (excluded > 0 ? ` (${excluded} coin(s) are held by pending transactions)` : ""),
    );
  }
  account ??= await unlockAccount(wallet, await ctx.prompter.password(), index, ctx.settings.walletPath);
  let payment: Payment;
  try {
    payment = buildPayment({
      from: account.address,
      to,
      amount,
      feeRate,
      utxos: coins,
      privateKey: account.privateKey,
      timestamp: Math.floor(Date.now() / 1000),
    });
  } finally {
    account.privateKey.fill(0);
  }
  const summary = describe(payment, to, account.address, feeRate);
  if (ctx.settings.network === "mainnet") ctx.out.note(CHAIN_ID_1_WARNING);
  const data = {
    txid: payment.tx.txid,
    eth_hash: payment.tx.ethHash,
    from: account.address,
    to,
    amount: formatAsrm(payment.amount),
    amount_ram: payment.amount.toString(),
    fee: formatAsrm(payment.fee),
    fee_ram: payment.fee.toString(),
    fee_rate_gwei_per_byte: formatFeeRate(feeRate),
    size: payment.size,
    inputs: payment.inputs.map((u) => ({ txid: u.txid, vout: u.vout, amount_ram: u.amount.toString() })),
    change: formatAsrm(payment.change),
    change_ram: payment.change.toString(),
  };
  if (opts.dryRun) {
    ctx.out.result({ ...data, status: "not sent (dry run)", raw_hex: bytesToHex(payment.encoded) }, [
      ...summary,
      `  txid    ${payment.tx.txid}`,
      "Dry run: nothing was sent.",
    ]);
    return;
  }
  if (!opts.yes) {
    ctx.io.stderr.write(`${summary.join("\n")}\n`);
    if (!(await ctx.prompter.confirm("Send it?"))) throw new AbortedError("send cancelled; nothing was sent");
  }
  const submitted = await node.submitTransaction(payment.encoded);
  const jPath = journalPath(ctx.settings.walletPath);
  writeJournal(jPath, [
    ...readJournal(jPath).filter((e) => e.txid !== payment.tx.txid),
    {
      txid: payment.tx.txid,
      from: account.address,
      to,
      amount: payment.amount.toString(),
      fee: payment.fee.toString(),
      inputs: payment.inputs.map((u) => ({ txid: u.txid, vout: u.vout })),
      sent_at: Math.floor(Date.now() / 1000),
    },
  ]);
  let status = submitted.status === "duplicate" ? "already known to the node" : "submitted";
  let height: number | undefined;
  if (opts.wait) {
    ctx.out.note(`Submitted ${payment.tx.txid}; waiting for a block...`);
    const deadline = Date.now() + waitSeconds * 1000;
    for (;;) {
      const t = await node.transaction(payment.tx.txid);
      if (t?.confirmed) {
        status = "confirmed";
        height = t.height;
        break;
      }
      if (Date.now() > deadline) throw new ConfirmationTimeoutError(payment.tx.txid, waitSeconds);
      await sleep(500);
    }
  }
  ctx.out.result({ ...data, status, ...(height !== undefined ? { block_height: height } : {}) }, [
    `${status === "confirmed" ? "Confirmed" : "Sent"}: ${formatAsrm(payment.amount)} ASRM to ${toChecksumAddress(to)}` +
      (height !== undefined ? ` in block ${height}` : ""),
    `  txid     ${payment.tx.txid}`,
    `  eth hash ${payment.tx.ethHash}`,
    `  fee      ${formatAsrm(payment.fee)} ASRM (${payment.size} bytes)`,
    ...(payment.change > 0n ? [`  change   ${formatAsrm(payment.change)} ASRM`] : []),
    ...(status === "confirmed" ? [] : [`  status   ${status}`]),
  ]);
}
