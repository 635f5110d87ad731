import { readFileSync } from "node:fs";
import { type OutPoint, outPointKey, type Utxo } from "astram-core";
import { replaceFileAtomic } from "../wallet/atomic-write.js";

/**
 * A local record of the transactions this wallet sent that may not be confirmed yet, kept next to
 * the wallet file (`wallet.json` -> `wallet.pending.json`, public data only). It keeps a second
 * `send` from spending the same coins again while the first is still in the mempool, when the node
 * does not list its mempool. An entry is dropped once none of its inputs is unspent any more (it
 * was mined, or the coins went elsewhere) or after 24 hours (when nodes evict mempool transactions).
 */
export interface PendingSend {
  txid: string;
  from: string;
  to: string;
  /** ram, decimal string. */
  amount: string;
  /** ram, decimal string. */
  fee: string;
  inputs: OutPoint[];
  /** Unix seconds. */
  sent_at: number;
}

export const PENDING_TTL_SECONDS = 86_400;

export function journalPath(walletPath: string): string {
  return walletPath.endsWith(".json")
    ? `${walletPath.slice(0, -5)}.pending.json`
    : `${walletPath}.pending.json`;
}

function isPendingSend(v: unknown): v is PendingSend {
  const p = v as PendingSend;
  return (
    typeof p === "object" &&
    p !== null &&
    typeof p.txid === "string" &&
    typeof p.from === "string" &&
    typeof p.sent_at === "number" &&
    Array.isArray(p.inputs) &&
    p.inputs.every((i) => typeof i?.txid === "string" && typeof i?.vout === "number")
  );
}

/** Reads the journal; a missing or unreadable journal is empty (it is only a hint). */
export function readJournal(path: string): PendingSend[] {
  try {
    const json = JSON.parse(readFileSync(path, "utf8")) as unknown;
    return Array.isArray(json) ? json.filter(isPendingSend) : [];
  } catch {
    return [];
  }
}

export function writeJournal(path: string, entries: readonly PendingSend[]): void {
  replaceFileAtomic(path, `${JSON.stringify(entries, null, 2)}\n`);
}

/**
 * Drops entries of `from` that are settled: none of their inputs is in `unspent` any more, or they
 * are older than the TTL. Entries of other addresses are kept untouched.
 */
export function pruneJournal(
  entries: readonly PendingSend[],
  from: string,
  unspent: readonly Utxo[],
  now: number,
): PendingSend[] {
  const live = new Set(unspent.map(outPointKey));
  return entries.filter(
    (e) =>
      e.from !== from ||
      (now - e.sent_at < PENDING_TTL_SECONDS && e.inputs.some((i) => live.has(outPointKey(i)))),
  );
}

/** Outpoints spent by the journal's pending sends. */
export function journalSpends(entries: readonly PendingSend[]): Set<string> {
  const out = new Set<string>();
  for (const e of entries) for (const i of e.inputs) out.add(outPointKey(i));
  return out;
}
