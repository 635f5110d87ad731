import { MIN_OUTPUT_VALUE, type Utxo } from "astram-core";
import type { AstramNode } from "../node.js";

/** What the sender can spend now: confirmed outputs not spent by pending transactions, plus pending change. */
export function spendableOutputs(
  node: AstramNode,
  address: string,
  /** Pending transactions to treat as gone (the one a replacement replaces, with its descendants). */
  replaced: ReadonlySet<string> = new Set(),
): Utxo[] {
  const out: Utxo[] = [];
  const page = 5000;
  let after: Utxo | undefined;
  for (;;) {
    const batch = node.store.addressUtxos(address, { limit: page, ...(after ? { after } : {}) });
    for (const u of batch) if (isFree(node, u, replaced)) out.push(u);
    if (batch.length < page) break;
    after = batch[batch.length - 1];
  }
  for (const e of node.mempool.all()) {
    if (replaced.has(e.tx.txid)) continue;
    e.tx.outputs.forEach((o, vout) => {
      const u = { txid: e.tx.txid, vout, to: o.to, amount: o.amount };
      if (o.to === address && isFree(node, u, replaced)) out.push(u);
    });
  }
  return out;
}

function isFree(node: AstramNode, u: Utxo, replaced: ReadonlySet<string>): boolean {
  const spender = node.mempool.spenderOf(u);
  return spender === undefined || replaced.has(spender);
}

export type Selection =
  | { readonly ok: true; readonly inputs: readonly Utxo[] }
  | { readonly ok: false; readonly available: bigint };

/**
 * Largest-first selection covering `target` (value + fee) with as few inputs as possible, so the
 * fixed fee an Ethereum transfer authorises stays above the size-based minimum. A change below the
 * 1 Twei dust limit cannot be burnt (the fee is fixed), so one more input is added to lift it.
 * `needsChange`: a zero-value transfer has no payment output, so its change is its only output.
 */
export function selectInputs(
  candidates: readonly Utxo[],
  target: bigint,
  maxInputs: number,
  needsChange = false,
): Selection {
  const sorted = [...candidates].sort((a, b) => (b.amount > a.amount ? 1 : b.amount < a.amount ? -1 : 0));
  const chosen: Utxo[] = [];
  let sum = 0n;
  for (const u of sorted) {
    if (chosen.length >= maxInputs) break;
    chosen.push(u);
    sum += u.amount;
    if (sum < target) continue;
    const change = sum - target;
    if ((change === 0n && !needsChange) || change >= MIN_OUTPUT_VALUE) return { ok: true, inputs: chosen };
  }
  return { ok: false, available: sorted.reduce((s, u) => s + u.amount, 0n) };
}
