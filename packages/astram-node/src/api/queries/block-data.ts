import {
  BincodeReader,
  type Block,
  decodeBlock,
  outPointKey,
  readBlockHeader,
  readTransaction,
  type Transaction,
  type Utxo,
} from "astram-core";
import type { ChainStore } from "../../chain/chain-store.js";

/**
 * Reads the transaction at `position` of a stored block without decoding the transactions after it.
 * Returns undefined when the block or position does not exist.
 */
export function transactionAt(
  store: ChainStore,
  blockHash: string,
  position: number,
): Transaction | undefined {
  const bytes = store.getBlockBytes(blockHash);
  if (!bytes) return undefined;
  const r = new BincodeReader(bytes);
  readBlockHeader(r);
  const count = r.u64n("transaction count");
  if (position >= count) return undefined;
  let tx: Transaction | undefined;
  for (let i = 0; i <= position; i++) tx = readTransaction(r);
  return tx;
}

/**
 * The outputs each best-chain block's transactions spent, keyed "txid:vout": the block's undo data
 * (outputs that existed before it) plus outputs created earlier in the same block.
 */
export function spentOutputsOf(store: ChainStore, block: Block): Map<string, Utxo> {
  const out = new Map<string, Utxo>();
  for (const u of store.getUndo(block.hash)?.spent ?? []) out.set(outPointKey(u), u);
  const created = new Map<string, Utxo>();
  for (const tx of block.transactions) {
    for (const i of tx.inputs) {
      const key = outPointKey(i);
      const u = created.get(key);
      if (u && !out.has(key)) out.set(key, u);
    }
    for (const [vout, o] of tx.outputs.entries()) {
      created.set(`${tx.txid}:${vout}`, { txid: tx.txid, vout, to: o.to.toLowerCase(), amount: o.amount });
    }
  }
  return out;
}

/** Per-request cache of decoded blocks and their spent outputs (a page of history touches few blocks). */
export class BlockCache {
  private readonly blocks = new Map<string, Block | undefined>();
  private readonly spent = new Map<string, Map<string, Utxo>>();
  constructor(private readonly store: ChainStore) {}

  block(hash: string): Block | undefined {
    if (!this.blocks.has(hash)) {
      const bytes = this.store.getBlockBytes(hash);
      this.blocks.set(hash, bytes ? decodeBlock(bytes) : undefined);
    }
    return this.blocks.get(hash);
  }

  spentOutputs(block: Block): Map<string, Utxo> {
    let m = this.spent.get(block.hash);
    if (!m) {
      m = spentOutputsOf(this.store, block);
      this.spent.set(block.hash, m);
    }
    return m;
  }
}
