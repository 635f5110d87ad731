import { formatAsrm, toChecksumAddress } from "astram-core";
import type { CommandContext } from "../cli/context.js";
import type { HistoryEntry } from "../node/node-client.js";
import { journalPath, readJournal } from "../send/pending-journal.js";
import { parseRecipient } from "../send/user-input.js";
import { indexOption, loadWallet, ownAddresses, positiveIntOption } from "./shared.js";

export interface HistoryOptions {
  index?: string;
  limit?: string;
  offset?: string;
}

function signed(v: bigint): string {
  return v >= 0n ? `+${formatAsrm(v)}` : formatAsrm(v);
}

function when(ts: number | undefined): string {
  return ts === undefined ? "" : new Date(ts * 1000).toISOString().replace(".000Z", "Z");
}

function entryJson(e: HistoryEntry) {
  const net = e.received !== undefined && e.sent !== undefined ? e.received - e.sent : undefined;
  return {
    txid: e.txid,
    status: e.height === undefined ? "pending" : "confirmed",
    height: e.height ?? null,
    timestamp: e.timestamp ?? null,
    received: e.received === undefined ? null : formatAsrm(e.received),
    sent: e.sent === undefined ? null : formatAsrm(e.sent),
    net: net === undefined ? null : (net < 0n ? "-" : "") + formatAsrm(net < 0n ? -net : net),
    net_ram: net === undefined ? null : net.toString(),
    coinbase: e.coinbase ?? null,
  };
}

/**
 * `history [ADDRESS]`: the address's transactions, newest first, from the node's
 * /address/{a}/history. Without that route (older nodes) it prints the /address/{a}/info summary.
 */
export async function historyCommand(
  ctx: CommandContext,
  address: string | undefined,
  opts: HistoryOptions,
): Promise<void> {
  const limit = positiveIntOption(opts.limit, "--limit", 20, 1000);
  const offset = positiveIntOption(opts.offset, "--offset", 0, 1_000_000_000);
  let target: string;
  if (address !== undefined) target = parseRecipient(address);
  else [target] = (await ownAddresses(ctx, loadWallet(ctx), [indexOption(opts.index)])) as [string];
  const node = ctx.node();
  const entries = await node.history(target, limit, offset);
  // Sends of this wallet the node does not list (yet): from the local journal.
  const listed = new Set(entries?.map((e) => e.txid) ?? []);
  const local =
    address === undefined && offset === 0
      ? readJournal(journalPath(ctx.settings.walletPath)).filter(
          (p) => p.from === target && !listed.has(p.txid),
        )
      : [];
  const localJson = local.map((p) => ({
    txid: p.txid,
    status: "sent, not yet listed by the node",
    to: p.to,
    amount: formatAsrm(BigInt(p.amount)),
    fee: formatAsrm(BigInt(p.fee)),
    timestamp: p.sent_at,
  }));
  if (entries === undefined) {
    const info = await node.info(target);
    ctx.out.result({ address: target, history_available: false, info, local_pending: localJson }, [
      `This node does not serve per-transaction history (GET /address/{a}/history); its summary for ${toChecksumAddress(target)}:`,
      JSON.stringify(info, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2),
      ...localJson.map((p) => `pending  ${p.txid}  -${p.amount} ASRM to ${p.to}`),
    ]);
    return;
  }
  const rows = entries.map((e) => {
    const j = entryJson(e);
    const height = e.height === undefined ? "pending" : `#${e.height}`;
    const amount =
      e.received !== undefined && e.sent !== undefined ? `${signed(e.received - e.sent)} ASRM` : "";
    return `${height.padEnd(9)} ${when(e.timestamp).padEnd(20)} ${amount.padStart(28)}  ${j.txid}${e.coinbase ? "  (mined)" : ""}`;
  });
  const human =
    rows.length === 0 && local.length === 0
      ? [`No transactions for ${toChecksumAddress(target)}${offset > 0 ? ` after the first ${offset}` : ""}.`]
      : [
          ...localJson.map(
            (p) =>
              `${"pending".padEnd(9)} ${when(p.timestamp).padEnd(20)} ${`-${p.amount} ASRM`.padStart(28)}  ${p.txid}  (sent by this wallet)`,
          ),
          ...rows,
        ];
  ctx.out.result(
    { address: target, limit, offset, transactions: entries.map(entryJson), local_pending: localJson },
    human,
  );
}
