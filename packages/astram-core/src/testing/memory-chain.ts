import { checkBlock, checkHeaderContext } from "../consensus/block-checks.js";
import { scheduledDifficulty } from "../consensus/difficulty.js";
import { searchNonce } from "../consensus/mine.js";
import { MEDIAN_TIME_SPAN } from "../consensus/params.js";
import { cappedReward } from "../consensus/reward.js";
import { connectBlockTransactions, type UtxoView } from "../consensus/utxo-view.js";
import { addressFromPrivateKey } from "../crypto/keys.js";
import { genesisBlock, type NetworkParams } from "../params/networks.js";
import { assembleBlock, type Block } from "../primitives/block.js";
import {
  createCoinbase,
  signTransaction,
  type Transaction,
  type TransactionOutput,
} from "../primitives/transaction.js";
import { type OutPoint, outPointKey, type Utxo } from "../primitives/utxo.js";

/**
 * A linear chain held in memory that validates every block with the consensus functions and can
 * mine the next one. For tests and benchmarks: it is the reference the node's LMDB chainstate is
 * compared against, and a quick way to build valid (or deliberately invalid) blocks.
 */
export class MemoryChain implements UtxoView {
  readonly blocks: Block[] = [];
  private readonly utxos = new Map<string, Utxo>();
  private readonly txids = new Set<string>();
  private readonly ethNonces = new Map<string, number>();

  constructor(
    readonly params: NetworkParams,
    /** The clock validation uses (Unix seconds; the real clock by default). */
    readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    this.connect(genesisBlock(params));
  }

  get tip(): Block {
    return this.blocks[this.blocks.length - 1]!;
  }
  get height(): number {
    return this.blocks.length - 1;
  }

  getUtxo(o: OutPoint): Utxo | undefined {
    return this.utxos.get(outPointKey(o));
  }
  hasTransaction(txid: string): boolean {
    return this.txids.has(txid);
  }
  ethNonce(address: string): number {
    return this.ethNonces.get(address) ?? 0;
  }
  /** Unspent outputs owned by an address, oldest first. */
  utxosOf(address: string): Utxo[] {
    return [...this.utxos.values()].filter((u) => u.to === address);
  }
  balanceOf(address: string): bigint {
    return this.utxosOf(address).reduce((s, u) => s + u.amount, 0n);
  }

  /** The difficulty the schedule requires for the next block. */
  nextDifficulty(): number {
    return scheduledDifficulty({
      height: this.blocks.length,
      parentDifficulty: this.tip.header.difficulty,
      timestampAt: (h) => this.blocks[h]!.header.timestamp,
      targetSpacing: this.params.targetSpacing,
    });
  }

  /** Fully validates a block on top of the tip and applies it; throws VerifyError otherwise. */
  connect(block: Block): void {
    const checked = checkBlock(block, { now: this.now(), chainId: this.params.chainId });
    const height = block.header.index;
    if (this.blocks.length === 0) {
      if (block.hash !== this.params.genesisHash) throw new Error("not this network's genesis");
    } else {
      const parent = this.tip;
      checkHeaderContext(block.header, {
        parentHash: parent.hash,
        parentHeight: parent.header.index,
        parentDifficulty: parent.header.difficulty,
        ancestorTimestamps: this.blocks
          .slice(-MEDIAN_TIME_SPAN)
          .reverse()
          .map((b) => b.header.timestamp),
        scheduledDifficulty: this.nextDifficulty(),
      });
    }
    const changes = connectBlockTransactions(block, checked, height, this);
    for (const u of changes.spent) this.utxos.delete(outPointKey(u));
    for (const u of changes.created) this.utxos.set(outPointKey(u), u);
    for (const tx of block.transactions) this.txids.add(tx.txid);
    for (const s of changes.ethSenders) this.ethNonces.set(s, this.ethNonce(s) + 1);
    this.blocks.push(block);
  }

  /**
   * Builds and mines the next block (coinbase of reward + fees to `miner`), without connecting it.
   * Timestamps default to the parent's plus the target spacing, so difficulty stays on schedule.
   */
  buildBlock(opts: {
    miner: string;
    transactions?: Transaction[];
    timestamp?: number;
    fees?: bigint;
    difficulty?: number;
  }): Block {
    const txs = opts.transactions ?? [];
    const timestamp = opts.timestamp ?? this.tip.header.timestamp + this.params.targetSpacing;
    const fees = opts.fees ?? this.feesOf(txs);
    const coinbase = createCoinbase(
      [{ to: opts.miner, amount: cappedReward(this.blocks.length) + fees }],
      timestamp,
    );
    const template = assembleBlock(
      {
        index: this.blocks.length,
        previousHash: this.tip.hash,
        timestamp,
        nonce: 0n,
        difficulty: opts.difficulty ?? this.nextDifficulty(),
      },
      [coinbase, ...txs],
    );
    const found = searchNonce(template.header)!;
    return {
      header: { ...template.header, nonce: found.nonce },
      transactions: template.transactions,
      hash: found.hash,
    };
  }

  /** Builds, mines and connects the next block. */
  mine(opts: { miner: string; transactions?: Transaction[]; timestamp?: number }): Block {
    const block = this.buildBlock(opts);
    this.connect(block);
    return block;
  }

  /** Fees of transactions whose inputs are in this chain or created earlier in the list. */
  feesOf(txs: readonly Transaction[]): bigint {
    const local = new Map<string, bigint>();
    let fees = 0n;
    for (const tx of txs) {
      let inSum = 0n;
      for (const i of tx.inputs) inSum += local.get(outPointKey(i)) ?? this.getUtxo(i)?.amount ?? 0n;
      const outSum = tx.outputs.reduce((s, o) => s + o.amount, 0n);
      fees += inSum - outSum;
      for (const [vout, o] of tx.outputs.entries()) local.set(`${tx.txid}:${vout}`, o.amount);
    }
    return fees;
  }

  /** Signs a transfer spending `inputs` owned by `privateKey` to `outputs`, change back to the owner. */
  spend(
    privateKey: Uint8Array,
    inputs: readonly Utxo[],
    outputs: readonly TransactionOutput[],
    fee: bigint,
    timestamp = this.tip.header.timestamp,
  ): Transaction {
    const owner = addressFromPrivateKey(privateKey);
    const inSum = inputs.reduce((s, u) => s + u.amount, 0n);
    const outSum = outputs.reduce((s, o) => s + o.amount, 0n);
    const change = inSum - outSum - fee;
    if (change < 0n) throw new Error("inputs do not cover outputs + fee");
    const all = change > 0n ? [...outputs, { to: owner, amount: change }] : [...outputs];
    return signTransaction(
      { inputs: inputs.map((u) => ({ txid: u.txid, vout: u.vout })), outputs: all, timestamp },
      privateKey,
    );
  }
}
