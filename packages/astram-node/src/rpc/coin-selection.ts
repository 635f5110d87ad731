import { MIN_OUTPUT_VALUE, type Utxo } from "astram-core";
import type { AstramNode } from "../node.js";

/** What the sender can spend now: confirmed outputs not spent by pending transactions, plus pending change. */
export function spendableOutputs(node: AstramNode, address: string): Utxo[] {
  const out: Utxo[] = [];
  const page = 5000;
  let after: Utxo | undefined;
  for (;;) {
    const batch = node.store.addressUtxos(address, { limit: page, ...(after ? { after } : {}) });
    for (const u of batch) if (!node.mempool.isSpent(u)) out.push(u);
    if (batch.length < page) break;
    after = batch[batch.length - 1];
  }
  for (const e of node.mempool.all()) {
    e.tx.outputs.forEach((o, vout) => {
      const u = { txid: e.tx.txid, vout, to: o.to, amount: o.amount };
      if (o.to === address && !node.mempool.isSpent(u)) out.push(u);
    });
  }
  return out;
}

export type Selection =
  | { readonly ok: true; readonly inputs: readonly Utxo[] }
  | { readonly ok: false; readonly available: bigint };

/**
 * Largest-first selection covering `target` (value + fee) with as few inputs as possible, so the
 * fixed fee an Ethereum transfer authorises stays above the size-based minimum. A change below the
 * 1 Twei dust limit cannot be burnt (the fee is fixed), so one more input is added to lift it.
 */
export function selectInputs(candidates: readonly Utxo[], target: bigint, maxInputs: number): Selection {
  const sorted = [...candidates].sort((a, b) => (b.amount > a.amount ? 1 : b.amount < a.amount ? -1 : 0));
  const chosen: Utxo[] = [];
  let sum = 0n;
  for (const u of sorted) {
    if (chosen.length >= maxInputs) break;
    chosen.push(u);
    sum += u.amount;
    if (sum < target) continue;
    const change = sum - target;
    if (change === 0n || change >= MIN_OUTPUT_VALUE) return { ok: true, inputs: chosen };
  }
  return { ok: false, available: sorted.reduce((s, u) => s + u.amount, 0n) };
}
