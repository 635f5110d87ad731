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
import { selectByAncestorScore } from "./ancestor-score.js";
import { TxGraph } from "./tx-graph.js";

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
  /** Per-gas prices the Ethereum signature authorises (what a replacement must bump by 10%). */
  readonly ethMaxFeePerGas?: bigint;
  readonly ethMaxPriorityFeePerGas?: bigint;
}

/** How much higher a replacement's per-gas prices must be, in percent (geth's price bump). */
export const REPLACEMENT_BUMP_PERCENT = 10n;

export interface MempoolLimits {
  maxCount: number;
  maxBytes: number;
  /** Seconds a transaction may wait before it is dropped. */
  maxAgeSeconds: number;
  /** Pending ancestors of a transaction, itself included. */
  maxAncestors: number;
  /** Bytes of a transaction and its pending ancestors. */
  maxAncestorBytes: number;
  /** Pending descendants of a transaction, itself included. */
  maxDescendants: number;
  /** Bytes of a transaction and its pending descendants. */
  maxDescendantBytes: number;
  /**
   * How far past this node's clock a transaction may be dated: the next block is dated about now
   * (max(now, MTP + 1)) and may not hold a later transaction, so anything further ahead could sit
   * here unmined for up to the consensus bound of 2 hours. The slack absorbs clock skew between
   * wallets and nodes.
   */
  maxFutureSeconds: number;
}

/**
 * Limits of the facts (§4.8): 10,000 transactions, 300 MB, one day; package limits as Bitcoin
 * Core's (25 transactions and 101 kB each way), which keep every graph walk short and template
 * selection O(n log n); one minute of clock skew.
 */
export const DEFAULT_MEMPOOL_LIMITS: MempoolLimits = {
  maxCount: 10_000,
  maxBytes: 300_000_000,
  maxAgeSeconds: 86_400,
  maxAncestors: 25,
  maxAncestorBytes: 101_000,
  maxDescendants: 25,
  maxDescendantBytes: 101_000,
  maxFutureSeconds: 60,
};

/** A transaction with all its pending descendants: what eviction removes together. */
interface DescendantPackage {
  readonly count: number;
  readonly bytes: number;
  readonly fees: bigint;
}

/**
 * Pending transactions. `add` is the single admission path for HTTP, P2P and JSON-RPC: full
 * context-free checks, inputs against the chain plus pending outputs, no double spend against pending
 * transactions, the fee rule, the package limits and the bounds. Pending transactions form a graph
 * (a child spends a parent's output, or uses the next Ethereum nonce of the same sender); a
 * transaction never stays without its pending parents: removing one removes its descendants, except
 * when a block confirms it.
 */
export class Mempool {
  private readonly entries = new Map<string, MempoolEntry>();
  /** outpoint key -> txid of the pending transaction spending it */
  private readonly spentBy = new Map<string, string>();
  private readonly byEthHash = new Map<string, string>();
  /** `${sender}:${nonce}` -> txid of the pending Ethereum-signed transaction using that nonce */
  private readonly byEthNonce = new Map<string, string>();
  private readonly ethPending = new Map<string, number>();
  private readonly graph = new TxGraph();
  private readonly descendantPackages = new Map<string, DescendantPackage>();
  private readonly replacedListeners: ((removed: readonly MempoolEntry[], by: MempoolEntry) => void)[] = [];
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

  get limits(): MempoolLimits {
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
  /** The pending transaction spending this outpoint, if any. */
  spenderOf(o: OutPoint): string | undefined {
    return this.spentBy.get(outPointKey(o));
  }
  /** Pending Ethereum-signed transactions from `address`. */
  pendingEthCount(address: string): number {
    return this.ethPending.get(address) ?? 0;
  }
  /** The pending Ethereum-signed transaction of `sender` using `nonce`. */
  getByEthNonce(sender: string, nonce: bigint): MempoolEntry | undefined {
    const txid = this.byEthNonce.get(`${sender}:${nonce}`);
    return txid ? this.entries.get(txid) : undefined;
  }
  /**
   * Calls `fn` after a replacement with what left the mempool: the replaced transaction first, then
   * its descendants (later nonces of the sender, spenders of its outputs), parents first.
   */
  onReplaced(fn: (removed: readonly MempoolEntry[], by: MempoolEntry) => void): void {
    this.replacedListeners.push(fn);
  }
  /** Pending transactions `txid` depends on (itself excluded). */
  ancestorsOf(txid: string): string[] {
    return [...this.graph.ancestors(txid)];
  }
  /** Pending transactions that depend on `txid` (itself excluded). */
  descendantsOf(txid: string): string[] {
    return [...this.graph.descendants(txid)];
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
    const now = this.now();
    const checked =
      opts.checked ??
      checkTransaction(tx, { now, chainId: this.opts.chainId, signatureCache: this.opts.signatureCache });
    const eth = checked.eth;
    const replaced = eth ? this.getByEthNonce(eth.sender, eth.nonce) : undefined;
    if (!replaced || !eth) return this.admit(tx, checked, now);
    if (replaced.ethRawHash === eth.hash)
      throw new VerifyError("txn-already-known", `already known: ${eth.hash} is pending`, REJECT);
    const bumped = (old: bigint | undefined, next: bigint) =>
      old === undefined || next * 100n >= old * (100n + REPLACEMENT_BUMP_PERCENT);
    if (
      !bumped(replaced.ethMaxFeePerGas, eth.maxFeePerGas) ||
      !bumped(replaced.ethMaxPriorityFeePerGas, eth.maxPriorityFeePerGas)
    )
      throw new VerifyError(
        "replacement-underpriced",
        `replacement transaction underpriced: nonce ${eth.nonce} of ${eth.sender} is pending at ` +
          `${replaced.ethMaxFeePerGas} wei per gas; a replacement pays at least ${REPLACEMENT_BUMP_PERCENT}% more`,
        REJECT,
      );
    // Out with the old one and its descendants, then the ordinary checks; put them back on refusal.
    const removed = this.remove(replaced.tx.txid);
    let entry: MempoolEntry;
    try {
      entry = this.admit(tx, checked, now);
    } catch (e) {
      for (const r of removed) this.insert(r, this.pendingParents(r));
      throw e;
    }
    for (const fn of this.replacedListeners) fn(removed, entry);
    return entry;
  }

  /** Admission of a transaction whose nonce no pending transaction uses. */
  private admit(tx: Transaction, checked: CheckedTransaction, now: number): MempoolEntry {
    const limits = this.limits;
    if (checked.tx.inputs.length === 0)
      throw new VerifyError("coinbase-in-mempool", "a coinbase cannot be relayed");
    if (tx.timestamp > now + limits.maxFutureSeconds) {
      throw new VerifyError(
        "tx-premature",
        `transaction is dated ${tx.timestamp - now} s past this node's clock; the next block cannot ` +
          `include it (at most ${limits.maxFutureSeconds} s are allowed for clock skew)`,
        REJECT,
      );
    }
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
      addedAt: now,
      ...(connected.ethSender ? { ethSender: connected.ethSender } : {}),
      ...(checked.eth
        ? {
            ethRawHash: checked.eth.hash,
            ethNonce: checked.eth.nonce,
            ethMaxFeePerGas: checked.eth.maxFeePerGas,
            ethMaxPriorityFeePerGas: checked.eth.maxPriorityFeePerGas,
          }
        : {}),
    };
    const parents = this.pendingParents(entry);
    const ancestors = new Set(parents);
    for (const p of parents) for (const a of this.graph.ancestors(p)) ancestors.add(a);
    this.checkPackageLimits(entry, ancestors);
    for (const victim of this.planEviction(entry, ancestors)) this.remove(victim);
    this.insert(entry, parents);
    return entry;
  }

  /** Pending transactions `entry` depends on: those whose outputs it spends and its previous nonce. */
  private pendingParents(entry: MempoolEntry): Set<string> {
    const parents = new Set<string>();
    for (const i of entry.tx.inputs) if (this.entries.has(i.txid)) parents.add(i.txid);
    if (entry.ethSender && entry.ethNonce !== undefined) {
      const previous = this.byEthNonce.get(`${entry.ethSender}:${entry.ethNonce - 1n}`);
      if (previous) parents.add(previous);
    }
    return parents;
  }

  /** Pending transactions that depend on `entry` already (after a reorg puts a parent back). */
  private pendingChildren(entry: MempoolEntry): Set<string> {
    const children = new Set<string>();
    for (let vout = 0; vout < entry.tx.outputs.length; vout++) {
      const child = this.spentBy.get(`${entry.tx.txid}:${vout}`);
      if (child) children.add(child);
    }
    if (entry.ethSender && entry.ethNonce !== undefined) {
      const next = this.byEthNonce.get(`${entry.ethSender}:${entry.ethNonce + 1n}`);
      if (next) children.add(next);
    }
    return children;
  }

  /**
   * The ancestor and descendant limits: the new transaction with its pending ancestors, and each
   * of those ancestors with its descendants plus the new one (and any descendants it already has).
   */
  private checkPackageLimits(entry: MempoolEntry, ancestors: ReadonlySet<string>): void {
    const l = this.limits;
    const refuse = (what: string): never => {
      throw new VerifyError("too-long-mempool-chain", what, REJECT);
    };
    let ancestorBytes = entry.size;
    for (const a of ancestors) ancestorBytes += this.entries.get(a)!.size;
    if (ancestors.size + 1 > l.maxAncestors)
      refuse(`${ancestors.size} pending ancestors; at most ${l.maxAncestors - 1} are allowed`);
    if (ancestorBytes > l.maxAncestorBytes)
      refuse(`with its pending ancestors it is ${ancestorBytes} bytes; the limit is ${l.maxAncestorBytes}`);
    const own = this.ownDescendants(entry);
    if (own.count > l.maxDescendants || own.bytes > l.maxDescendantBytes)
      refuse(`it would have ${own.count - 1} pending descendants of ${own.bytes} bytes`);
    for (const a of ancestors) {
      const d = this.descendantPackages.get(a)!;
      if (d.count + own.count > l.maxDescendants)
        refuse(`pending ancestor ${a} would have more than ${l.maxDescendants - 1} descendants`);
      if (d.bytes + own.bytes > l.maxDescendantBytes)
        refuse(`pending ancestor ${a} with its descendants would exceed ${l.maxDescendantBytes} bytes`);
    }
  }

  /** `entry` with the pending descendants it would have once admitted. */
  private ownDescendants(entry: MempoolEntry): DescendantPackage {
    let count = 1;
    let bytes = entry.size;
    let fees = entry.fee;
    const below = new Set<string>();
    for (const c of this.pendingChildren(entry)) {
      below.add(c);
      for (const d of this.graph.descendants(c)) below.add(d);
    }
    for (const id of below) {
      const e = this.entries.get(id)!;
      count++;
      bytes += e.size;
      fees += e.fee;
    }
    return { count, bytes, fees };
  }

  private insert(e: MempoolEntry, parents: Iterable<string>): void {
    const id = e.tx.txid;
    const children = this.pendingChildren(e);
    this.entries.set(id, e);
    this.bytes += e.size;
    for (const i of e.tx.inputs) this.spentBy.set(outPointKey(i), id);
    this.byEthHash.set(e.tx.ethHash, id);
    if (e.ethRawHash) this.byEthHash.set(e.ethRawHash, id);
    if (e.ethSender && e.ethNonce !== undefined) {
      this.byEthNonce.set(`${e.ethSender}:${e.ethNonce}`, id);
      this.ethPending.set(e.ethSender, this.pendingEthCount(e.ethSender) + 1);
    }
    this.graph.add(id, parents, children);
    this.measureDescendants([id, ...this.graph.ancestors(id)]);
  }

  /** Recomputes the descendant packages of `ids` (walks bounded by the package limits). */
  private measureDescendants(ids: Iterable<string>): void {
    for (const id of ids) {
      const e = this.entries.get(id);
      if (!e) continue;
      let count = 1;
      let bytes = e.size;
      let fees = e.fee;
      for (const d of this.graph.descendants(id)) {
        const de = this.entries.get(d)!;
        count++;
        bytes += de.size;
        fees += de.fee;
      }
      this.descendantPackages.set(id, { count, bytes, fees });
    }
  }

  /** Deletes exactly `ids` (the caller decides about descendants) and re-measures their ancestors. */
  private deleteEntries(ids: readonly string[]): MempoolEntry[] {
    const touched = new Set<string>();
    for (const id of ids) for (const a of this.graph.ancestors(id)) touched.add(a);
    const removed: MempoolEntry[] = [];
    for (const id of ids) {
      const e = this.entries.get(id);
      if (!e) continue;
      this.entries.delete(id);
      this.bytes -= e.size;
      for (const i of e.tx.inputs) this.spentBy.delete(outPointKey(i));
      this.byEthHash.delete(e.tx.ethHash);
      if (e.ethRawHash) this.byEthHash.delete(e.ethRawHash);
      if (e.ethSender && e.ethNonce !== undefined) {
        this.byEthNonce.delete(`${e.ethSender}:${e.ethNonce}`);
        const left = this.pendingEthCount(e.ethSender) - 1;
        if (left > 0) this.ethPending.set(e.ethSender, left);
        else this.ethPending.delete(e.ethSender);
      }
      this.graph.delete(id);
      this.descendantPackages.delete(id);
      removed.push(e);
    }
    this.measureDescendants(touched);
    return removed;
  }

  /** Removes a transaction and every pending transaction that depends on it, parents first. */
  remove(txid: string): MempoolEntry[] {
    if (!this.entries.has(txid)) return [];
    const below = this.graph.descendants(txid);
    const order = [txid, ...[...below].sort((a, b) => this.depth(a) - this.depth(b))];
    return this.deleteEntries(order);
  }

  private depth(txid: string): number {
    return this.graph.ancestors(txid).size;
  }

  /**
   * What must go for `entry` to fit, lowest eviction score first: a transaction leaves with its
   * descendants, scored by the better of its own fee rate and its descendant package's (a parent
   * whose child pays for it is worth the child's rate). Ancestors of `entry` are never chosen, so it
   * is never admitted without its parents. Throws (changing nothing) when the room would cost
   * transactions paying at least `entry`'s fee rate.
   */
  private planEviction(entry: MempoolEntry, ancestors: ReadonlySet<string>): string[] {
    const { maxCount, maxBytes } = this.limits;
    if (entry.size > maxBytes)
      throw new VerifyError("mempool-full", "transaction is larger than the whole mempool", REJECT);
    let count = this.entries.size + 1;
    let bytes = this.bytes + entry.size;
    const victims: string[] = [];
    const leaving = new Set<string>();
    while (count > maxCount || bytes > maxBytes) {
      let lowest: { id: string; score: bigint } | undefined;
      for (const [id, e] of this.entries) {
        if (leaving.has(id) || ancestors.has(id)) continue;
        const score = this.evictionScore(id, e);
        if (!lowest || score < lowest.score) lowest = { id, score };
      }
      if (!lowest || lowest.score >= entry.feeRate) {
        throw new VerifyError(
          "mempool-full",
          "mempool is full and this transaction's fee rate is not higher than the lowest",
          REJECT,
        );
      }
      victims.push(lowest.id);
      for (const id of [lowest.id, ...this.graph.descendants(lowest.id)]) {
        if (leaving.has(id)) continue;
        leaving.add(id);
        count--;
        bytes -= this.entries.get(id)!.size;
      }
    }
    return victims;
  }

  private evictionScore(id: string, e: MempoolEntry): bigint {
    const d = this.descendantPackages.get(id)!;
    const packageRate = (d.fees * 1000n) / BigInt(d.bytes);
    return packageRate > e.feeRate ? packageRate : e.feeRate;
  }

  /**
   * After a block connects: its transactions leave (their pending children stay: they now spend
   * confirmed outputs), and so does everything that now conflicts with it.
   */
  removeForBlock(txs: readonly Transaction[]): void {
    for (const tx of txs) {
      this.deleteEntries([tx.txid]);
      for (const i of tx.inputs) {
        const other = this.spentBy.get(outPointKey(i));
        if (other) this.remove(other);
      }
    }
    this.revalidateEth();
  }

  /** Re-checks pending Ethereum-signed transactions whose nonce the chain may have consumed. */
  private revalidateEth(): void {
    if (this.ethPending.size === 0) return;
    const bySender = new Map<string, MempoolEntry[]>();
    for (const e of this.entries.values()) {
      if (!e.ethSender) continue;
      const list = bySender.get(e.ethSender);
      if (list) list.push(e);
      else bySender.set(e.ethSender, [e]);
    }
    for (const [sender, pending] of bySender) {
      pending.sort((a, b) => Number(ethNonceOf(a) - ethNonceOf(b)));
      const expected = this.chain.ethNonce(sender);
      const wrong = pending.findIndex((e, i) => ethNonceOf(e) !== BigInt(expected + i));
      if (wrong >= 0) for (const e of pending.slice(wrong)) this.remove(e.tx.txid);
    }
  }

  /** Drops transactions older than maxAgeSeconds (with their descendants). Returns how many went. */
  expire(): number {
    const cutoff = this.now() - this.limits.maxAgeSeconds;
    let n = 0;
    for (const e of [...this.entries.values()])
      if (e.addedAt < cutoff && this.entries.has(e.tx.txid)) n += this.remove(e.tx.txid).length;
    return n;
  }

  /**
   * Puts back transactions of disconnected blocks (after a reorg), parents first whatever the order
   * given; ones now invalid are dropped, and so are pending transactions that spent their outputs.
   */
  readmit(txs: readonly Transaction[]): number {
    let waiting = parentsFirst(txs.filter((tx) => tx.inputs.length > 0 && !this.entries.has(tx.txid)));
    let n = 0;
    // Later passes only retry Ethereum nonces that arrived out of order; a nonce chain is bounded.
    for (let pass = 0; pass < this.limits.maxAncestors && waiting.length > 0; pass++) {
      const failed: Transaction[] = [];
      for (const tx of waiting) {
        try {
          this.add(tx);
          n++;
        } catch (e) {
          if (!(e instanceof VerifyError)) throw e;
          failed.push(tx);
        }
      }
      if (failed.length === waiting.length) break;
      waiting = failed;
    }
    for (const tx of waiting) {
      for (let vout = 0; vout < tx.outputs.length; vout++) {
        const orphan = this.spentBy.get(`${tx.txid}:${vout}`);
        if (orphan) this.remove(orphan);
      }
    }
    this.revalidateEth();
    return n;
  }

  /**
   * Transactions for a block template by ancestor fee rate (selectByAncestorScore): parents before
   * children, Ethereum nonces in order, within `maxBytes`. Transactions dated after `blockTimestamp`
   * (and their descendants) wait for a later block.
   */
  selectForBlock(maxBytes: number, blockTimestamp = Number.POSITIVE_INFINITY): MempoolEntry[] {
    return selectByAncestorScore(
      this.entries.values(),
      this.graph,
      maxBytes,
      (e) => e.tx.timestamp > blockTimestamp,
    );
  }
}

function ethNonceOf(e: MempoolEntry): bigint {
  return e.ethNonce ?? 0n;
}

/** Orders transactions so that each comes after those of the list it spends (Kahn's algorithm, stable). */
function parentsFirst(txs: readonly Transaction[]): Transaction[] {
  const inList = new Map(txs.map((tx) => [tx.txid, tx]));
  const waitingOn = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const tx of txs) {
    const parents = new Set(tx.inputs.map((i) => i.txid).filter((id) => inList.has(id) && id !== tx.txid));
    waitingOn.set(tx.txid, parents.size);
    for (const p of parents) {
      const list = dependents.get(p);
      if (list) list.push(tx.txid);
      else dependents.set(p, [tx.txid]);
    }
  }
  const ready = txs.filter((tx) => waitingOn.get(tx.txid) === 0);
  const out: Transaction[] = [];
  for (let i = 0; i < ready.length; i++) {
    const tx = ready[i]!;
    out.push(tx);
    for (const d of dependents.get(tx.txid) ?? []) {
      const left = waitingOn.get(d)! - 1;
      waitingOn.set(d, left);
      if (left === 0) ready.push(inList.get(d)!);
    }
  }
  return out;
}
