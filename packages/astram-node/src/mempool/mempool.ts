import {
  type CheckedTransaction,
  checkTransaction,
  checkTransactionInputs,
  type OutPoint,
  outPointKey,
  REJECT,
  type SignatureCache,
  type Transaction,
  type UtxoView,
  VerifyError,
} from "astram-core";

export interface MempoolEntry {
  readonly tx: Transaction;
  readonly size: number;
  readonly fee: bigint;
  /** Fee per byte scaled by 1000 (integer arithmetic). */
  readonly feeRate: bigint;
  readonly addedAt: number;
  /** Ethereum sender whose nonce this transaction uses, if Ethereum-signed. */
  readonly ethSender?: string;
  /** keccak256 of the embedded raw Ethereum transaction, if any. */
  readonly ethRawHash?: string;
  readonly ethNonce?: bigint;
}

export interface MempoolLimits {
  maxCount: number;
  maxBytes: number;
  /** Seconds a transaction may wait before it is dropped. */
  maxAgeSeconds: number;
}

/** Limits of the facts (§4.8): 10,000 transactions, 300 MB, one day. */
export const DEFAULT_MEMPOOL_LIMITS: MempoolLimits = {
  maxCount: 10_000,
  maxBytes: 300_000_000,
  maxAgeSeconds: 86_400,
};

/**
 * Pending transactions. `add` is the single admission path for HTTP, P2P and JSON-RPC: full
 * context-free checks, inputs against the chain plus pending outputs, no double spend against pending
 * transactions, the fee rule, and the bounds. When full, the lowest fee rate goes first.
 */
export class Mempool {
  private readonly entries = new Map<string, MempoolEntry>();
  /** outpoint key -> txid of the pending transaction spending it */
  private readonly spentBy = new Map<string, string>();
  private readonly byEthHash = new Map<string, string>();
  private bytes = 0;

  constructor(
    private readonly chain: UtxoView,
    private readonly opts: {
      chainId: number;
      now?: () => number;
      limits?: Partial<MempoolLimits>;
      /** Signatures verified here are remembered, so the block that carries them skips the check. */
      signatureCache?: SignatureCache;
    },
  ) {}

  private get limits(): MempoolLimits {
    return { ...DEFAULT_MEMPOOL_LIMITS, ...this.opts.limits };
  }
  private now(): number {
    return this.opts.now?.() ?? Math.floor(Date.now() / 1000);
  }

  get size(): number {
    return this.entries.size;
  }
  get totalBytes(): number {
    return this.bytes;
  }
  has(txid: string): boolean {
    return this.entries.has(txid);
  }
  get(txid: string): MempoolEntry | undefined {
    return this.entries.get(txid);
  }
  /** Lookup by our eth_hash or by keccak of the raw Ethereum transaction. */
  getByEthHash(hash: string): MempoolEntry | undefined {
    const txid = this.byEthHash.get(hash.toLowerCase());
    return txid ? this.entries.get(txid) : undefined;
  }
  all(): MempoolEntry[] {
    return [...this.entries.values()];
  }
  totalFees(): bigint {
    let s = 0n;
    for (const e of this.entries.values()) s += e.fee;
    return s;
  }
  /** Whether a pending transaction spends this outpoint. */
  isSpent(o: OutPoint): boolean {
    return this.spentBy.has(outPointKey(o));
  }
  /** Pending Ethereum-signed transactions from `address`. */
  pendingEthCount(address: string): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.ethSender === address) n++;
    return n;
  }

  /** The chain view with pending transactions applied (what a new transaction is checked against). */
  view(): UtxoView {
    return {
      getUtxo: (o) => {
        if (this.spentBy.has(outPointKey(o))) return undefined;
        const u = this.chain.getUtxo(o);
        if (u) return u;
        const parent = this.entries.get(o.txid);
        const out = parent?.tx.outputs[o.vout];
        return out ? { txid: o.txid, vout: o.vout, to: out.to, amount: out.amount } : undefined;
      },
      hasTransaction: (txid) => this.entries.has(txid) || this.chain.hasTransaction(txid),
      ethNonce: (address) => this.chain.ethNonce(address) + this.pendingEthCount(address),
    };
  }

  /**
   * Admits a transaction or throws VerifyError (the mempool is unchanged). Returns the new entry.
   */
  add(tx: Transaction, opts: { checked?: CheckedTransaction } = {}): MempoolEntry {
    if (this.entries.has(tx.txid))
      throw new VerifyError("txn-already-in-mempool", `transaction ${tx.txid} is already pending`, REJECT);
    const checked =
      opts.checked ??
      checkTransaction(tx, {
        now: this.now(),
        chainId: this.opts.chainId,
        signatureCache: this.opts.signatureCache,
      });
    if (checked.tx.inputs.length === 0)
      throw new VerifyError("coinbase-in-mempool", "a coinbase cannot be relayed");
    for (const input of tx.inputs) {
      const other = this.spentBy.get(outPointKey(input));
      if (other) {
        throw new VerifyError(
          "txn-mempool-conflict",
          `input ${input.txid}:${input.vout} is already spent by pending transaction ${other}`,
          REJECT,
        );
      }
    }
    const connected = checkTransactionInputs(checked, this.view());
    const entry: MempoolEntry = {
      tx,
      size: checked.size,
      fee: connected.fee,
      feeRate: (connected.fee * 1000n) / BigInt(checked.size),
      addedAt: this.now(),
      ...(connected.ethSender ? { ethSender: connected.ethSender } : {}),
      ...(checked.eth ? { ethRawHash: checked.eth.hash, ethNonce: checked.eth.nonce } : {}),
    };
    this.makeRoomFor(entry);
    this.insert(entry);
    return entry;
  }

  private insert(e: MempoolEntry): void {
    this.entries.set(e.tx.txid, e);
    this.bytes += e.size;
    for (const i of e.tx.inputs) this.spentBy.set(outPointKey(i), e.tx.txid);
    this.byEthHash.set(e.tx.ethHash, e.tx.txid);
    if (e.ethRawHash) this.byEthHash.set(e.ethRawHash, e.tx.txid);
  }

  /** Removes a transaction and every pending transaction that depends on it. Returns what was removed. */
  remove(txid: string): MempoolEntry[] {
    const removed: MempoolEntry[] = [];
    const stack = [txid];
    while (stack.length > 0) {
      const id = stack.pop()!;
      const e = this.entries.get(id);
      if (!e) continue;
      this.entries.delete(id);
      this.bytes -= e.size;
      for (const i of e.tx.inputs) this.spentBy.delete(outPointKey(i));
      this.byEthHash.delete(e.tx.ethHash);
      if (e.ethRawHash) this.byEthHash.delete(e.ethRawHash);
      removed.push(e);
      for (let vout = 0; vout < e.tx.outputs.length; vout++) {
        const child = this.spentBy.get(`${id}:${vout}`);
        if (child) stack.push(child);
      }
    }
    return removed;
  }

  /** Evicts the lowest fee rates until `entry` fits; refuses `entry` if it pays less than they do. */
  private makeRoomFor(entry: MempoolEntry): void {
    const { maxCount, maxBytes } = this.limits;
    if (entry.size > maxBytes)
      throw new VerifyError("mempool-full", "transaction is larger than the whole mempool", REJECT);
    while (this.entries.size + 1 > maxCount || this.bytes + entry.size > maxBytes) {
      let lowest: MempoolEntry | undefined;
      for (const e of this.entries.values()) if (!lowest || e.feeRate < lowest.feeRate) lowest = e;
      if (!lowest || lowest.feeRate >= entry.feeRate) {
        throw new VerifyError(
          "mempool-full",
          "mempool is full and this transaction's fee rate is not higher than the lowest",
          REJECT,
        );
      }
      this.remove(lowest.tx.txid);
    }
  }

  /** After a block connects: drop its transactions and everything that now conflicts with it. */
  removeForBlock(txs: readonly Transaction[]): void {
    for (const tx of txs) {
      this.remove(tx.txid);
      for (const i of tx.inputs) {
        const other = this.spentBy.get(outPointKey(i));
        if (other) this.remove(other);
      }
    }
    this.revalidateEth();
  }

  /** Re-checks pending Ethereum-signed transactions whose nonce the chain may have consumed. */
  private revalidateEth(): void {
    const pending = [...this.entries.values()].filter((e) => e.ethSender);
    if (pending.length === 0) return;
    const bySender = new Map<string, MempoolEntry[]>();
    for (const e of pending) bySender.set(e.ethSender!, [...(bySender.get(e.ethSender!) ?? []), e]);
    for (const [sender, list] of bySender) {
      const expected = this.chain.ethNonce(sender);
      list.sort((a, b) => Number(ethNonceOf(a) - ethNonceOf(b)));
      list.forEach((e, i) => {
        if (ethNonceOf(e) !== BigInt(expected + i)) this.remove(e.tx.txid);
      });
    }
  }

  /** Drops transactions older than maxAgeSeconds. Returns how many went. */
  expire(): number {
    const cutoff = this.now() - this.limits.maxAgeSeconds;
    let n = 0;
    for (const e of [...this.entries.values()])
      if (e.addedAt < cutoff && this.entries.has(e.tx.txid)) n += this.remove(e.tx.txid).length;
    return n;
  }

  /** Puts back transactions of disconnected blocks (after a reorg); ones now invalid are dropped. */
  readmit(txs: readonly Transaction[]): number {
    let n = 0;
    for (const tx of txs) {
      if (tx.inputs.length === 0 || this.entries.has(tx.txid)) continue;
      try {
        this.add(tx);
        n++;
      } catch (e) {
        if (!(e instanceof VerifyError)) throw e;
      }
    }
    return n;
  }

  /**
   * Transactions for a block template: highest fee rate first, parents before children, Ethereum
   * nonces in order, within `maxBytes`.
   */
  selectForBlock(maxBytes: number): MempoolEntry[] {
    const sorted = [...this.entries.values()].sort((a, b) =>
      b.feeRate > a.feeRate ? 1 : b.feeRate < a.feeRate ? -1 : a.addedAt - b.addedAt,
    );
    const chosen: MempoolEntry[] = [];
    const included = new Set<string>();
    const ethNext = new Map<string, bigint>();
    let bytes = 0;
    let progress = true;
    while (progress) {
      progress = false;
      for (const e of sorted) {
        if (included.has(e.tx.txid) || bytes + e.size > maxBytes) continue;
        const parentsReady = e.tx.inputs.every((i) => !this.entries.has(i.txid) || included.has(i.txid));
        if (!parentsReady) continue;
        if (e.ethSender) {
          const next = ethNext.get(e.ethSender) ?? BigInt(this.chain.ethNonce(e.ethSender));
          if (ethNonceOf(e) !== next) continue;
          ethNext.set(e.ethSender, next + 1n);
        }
        chosen.push(e);
        included.add(e.tx.txid);
        bytes += e.size;
        progress = true;
      }
    }
    return chosen;
  }
}

function ethNonceOf(e: MempoolEntry): bigint {
  return e.ethNonce ?? 0n;
}
