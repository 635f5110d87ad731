import { join } from "node:path";
import {
  type Block,
  bytesToHex,
  decodeBlock,
  decodeUtxo,
  encodeBlock,
  encodeUtxo,
  keccak256,
  type OutPoint,
  type Transaction,
  type Utxo,
  type UtxoView,
} from "astram-core";
import { type Database, open, type RootDatabase } from "lmdb";
import { DataDirLock } from "../util/datadir-lock.js";
import {
  addressKey,
  addrHistKey,
  addrUtxoKey,
  DB_NAMES,
  type DbName,
  hashKey,
  META_NETWORK,
  META_SCHEMA,
  META_TIP,
  outPointKey,
  prefixRange,
  SCHEMA_VERSION,
  u32be,
} from "./layout.js";
import {
  type AddressStats,
  type BlockIndexRecord,
  type BlockUndo,
  decodeAmount,
  decodeIndexRecord,
  decodeStats,
  decodeUndo,
  EMPTY_STATS,
  encodeAmount,
  encodeIndexRecord,
  encodeStats,
  encodeUndo,
} from "./records.js";

export class StoreError extends Error {
  override readonly name = "StoreError";
  constructor(
    readonly code: "SCHEMA_MISMATCH" | "NETWORK_MISMATCH" | "CORRUPT",
    message: string,
  ) {
    super(message);
  }
}

/** One history entry of an address: a best-chain transaction touching it. */
export interface HistoryEntry {
  readonly txid: string;
  readonly height: number;
  readonly position: number;
}

type Dbs = Record<DbName, Database<Buffer, Buffer>>;

/**
 * The node's on-disk chain: LMDB databases described in layout.ts. Reads are synchronous; each
 * mutation that must be atomic runs inside `transaction()`.
 */
export class ChainStore implements UtxoView {
  private readonly env: RootDatabase;
  private readonly db: Dbs;
  private readonly lock: DataDirLock;
  private closed = false;

  private constructor(env: RootDatabase, db: Dbs, lock: DataDirLock) {
    this.env = env;
    this.db = db;
    this.lock = lock;
  }

  /** Opens (creating if needed) the store under `dataDir`, locked against other processes. */
  static open(dataDir: string, networkId: string): ChainStore {
    const lock = DataDirLock.acquire(dataDir);
    try {
      const env = open({
        path: join(dataDir, "chain.lmdb"),
        compression: false,
        maxDbs: 32,
        mapSize: 2 ** 34,
      });
      const db = {} as Dbs;
      for (const name of DB_NAMES) db[name] = env.openDB({ name, keyEncoding: "binary", encoding: "binary" });
      const store = new ChainStore(env, db, lock);
      store.checkMeta(networkId);
      return store;
    } catch (e) {
      lock.release();
      throw e;
    }
  }

  private checkMeta(networkId: string): void {
    const schema = this.db.meta.get(META_SCHEMA);
    const network = this.db.meta.get(META_NETWORK);
    if (schema === undefined) {
      this.env.transactionSync(() => {
        this.db.meta.put(META_SCHEMA, u32be(SCHEMA_VERSION));
        this.db.meta.put(META_NETWORK, Buffer.from(networkId));
      });
      return;
    }
    const version = schema.readUInt32BE(0);
    if (version !== SCHEMA_VERSION) {
      throw new StoreError(
        "SCHEMA_MISMATCH",
        `chain database schema ${version} is not the supported ${SCHEMA_VERSION}`,
      );
    }
    if (network?.toString() !== networkId) {
      throw new StoreError(
        "NETWORK_MISMATCH",
        `data directory holds network "${network?.toString()}", not "${networkId}"; use another --datadir`,
      );
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.env.close();
    this.lock.release();
  }

  /** Runs fn in one LMDB write transaction: all of its writes land, or none do. */
  transaction<T>(fn: () => T): T {
    return this.env.transactionSync(fn);
  }

  // ---- block data and index ----

  putBlock(block: Block, record: BlockIndexRecord, encoded?: Uint8Array): void {
    const key = hashKey(block.hash);
    this.db.blocks.put(key, Buffer.from(encoded ?? encodeBlock(block)));
    this.db.index.put(key, encodeIndexRecord(record));
  }

  /** Deletes a stored block and its index record (a dead side branch; never a best-chain block). */
  deleteBlock(hash: string): void {
    const key = hashKey(hash);
    this.db.blocks.remove(key);
    this.db.index.remove(key);
  }

  putIndexRecord(record: BlockIndexRecord): void {
    this.db.index.put(hashKey(record.hash), encodeIndexRecord(record));
  }

  getBlock(hash: string): Block | undefined {
    const raw = this.db.blocks.get(hashKey(hash));
    return raw ? decodeBlock(raw) : undefined;
  }

  getBlockBytes(hash: string): Buffer | undefined {
    return this.db.blocks.get(hashKey(hash));
  }

  hasBlock(hash: string): boolean {
    return this.db.blocks.doesExist(hashKey(hash));
  }

  /** Every index record, for loading the in-memory block index at startup. */
  *indexRecords(): Generator<BlockIndexRecord> {
    for (const { value } of this.db.index.getRange()) yield decodeIndexRecord(value);
  }

  indexCount(): number {
    return this.db.index.getCount();
  }

  getTipHash(): string | undefined {
    const raw = this.db.meta.get(META_TIP);
    return raw ? bytesToHex(raw) : undefined;
  }

  getHashAtHeight(height: number): string | undefined {
    const raw = this.db.height.get(u32be(height));
    return raw ? bytesToHex(raw) : undefined;
  }

  // ---- UtxoView ----

  getUtxo(o: OutPoint): Utxo | undefined {
    const raw = this.db.utxo.get(outPointKey(o.txid, o.vout));
    return raw ? decodeUtxo(raw) : undefined;
  }

  hasTransaction(txid: string): boolean {
    return this.db.tx.doesExist(hashKey(txid));
  }

  ethNonce(address: string): number {
    const raw = this.db.ethnonce.get(addressKey(address));
    return raw ? raw.readUInt32BE(0) : 0;
  }

  // ---- lookups ----

  getTxLocation(txid: string): { blockHash: string; position: number } | undefined {
    const raw = this.db.tx.get(hashKey(txid));
    return raw ? { blockHash: bytesToHex(raw.subarray(0, 32)), position: raw.readUInt32BE(32) } : undefined;
  }

  /** txid for an eth hash (our eth_hash or keccak of a raw Ethereum transaction). */
  txidForEthHash(ethHash: string): string | undefined {
    const raw = this.db.ethtx.get(hashKey(ethHash));
    return raw ? bytesToHex(raw) : undefined;
  }

  getUndo(blockHash: string): BlockUndo | undefined {
    const raw = this.db.undo.get(hashKey(blockHash));
    return raw ? decodeUndo(raw) : undefined;
  }

  addressStats(address: string): AddressStats {
    const raw = this.db.addrstat.get(addressKey(address));
    return raw ? decodeStats(raw) : EMPTY_STATS;
  }

  /** Unspent outputs of an address in (txid, vout) order, paged with `after` = the last key seen. */
  addressUtxos(address: string, opts: { limit?: number; after?: OutPoint } = {}): Utxo[] {
    const prefix = addressKey(address);
    const { end } = prefixRange(prefix);
    const start = opts.after
      ? Buffer.concat([addrUtxoKey(address, opts.after.txid, opts.after.vout), Buffer.from([0])])
      : prefix;
    const out: Utxo[] = [];
    for (const { key, value } of this.db.addrutxo.getRange({ start, end, limit: opts.limit ?? 1_000_000 })) {
      out.push({
        txid: bytesToHex(key.subarray(20, 52)),
        vout: key.readUInt32BE(52),
        to: address,
        amount: decodeAmount(value),
      });
    }
    return out;
  }

  /** Best-chain history of an address, newest first, paged by offset. */
  addressHistory(address: string, opts: { limit?: number; offset?: number } = {}): HistoryEntry[] {
    const prefix = addressKey(address);
    const { end } = prefixRange(prefix);
    const out: HistoryEntry[] = [];
    for (const { key, value } of this.db.addrhist.getRange({
      start: end,
      end: prefix,
      reverse: true,
      offset: opts.offset ?? 0,
      limit: opts.limit ?? 100,
    })) {
      out.push({ txid: bytesToHex(value), height: key.readUInt32BE(20), position: key.readUInt32BE(24) });
    }
    return out;
  }

  /** Every UTXO, in key order (for verification and reindex checks; scans the set). */
  *allUtxos(): Generator<Utxo> {
    for (const { value } of this.db.utxo.getRange()) yield decodeUtxo(value);
  }

  /** Count of UTXOs in the whole set (O(1): LMDB's entry count, not a range walk like getCount). */
  utxoCount(): number {
    return (this.db.utxo.getStats() as { entryCount: number }).entryCount;
  }

  // ---- best-chain mutations (call inside transaction()) ----

  /**
   * Applies a validated block to the best chain: UTXO set, undo data, tx and eth indexes, address
   * indexes and stats, Ethereum nonces, height index and tip.
   */
  connectBlock(
    block: Block,
    height: number,
    changes: { spent: readonly Utxo[]; created: readonly Utxo[]; ethSenders: readonly string[] },
  ): void {
    const blockKey = hashKey(block.hash);
    const stats = new StatsBatch(this);
    for (const u of changes.spent) {
      this.db.utxo.remove(outPointKey(u.txid, u.vout));
      this.db.addrutxo.remove(addrUtxoKey(u.to, u.txid, u.vout));
      stats.spend(u);
    }
    for (const u of changes.created) {
      this.db.utxo.put(outPointKey(u.txid, u.vout), Buffer.from(encodeUtxo(u)));
      this.db.addrutxo.put(addrUtxoKey(u.to, u.txid, u.vout), encodeAmount(u.amount));
    }
    // Received totals and history count every output, including ones spent later in the same block.
    const spentByTx = groupSpentByTx(block, changes.spent);
    for (const [position, tx] of block.transactions.entries()) {
      const loc = Buffer.concat([blockKey, u32be(position)]);
      this.db.tx.put(hashKey(tx.txid), loc);
      this.db.ethtx.put(hashKey(tx.ethHash.slice(2)), hashKey(tx.txid));
      const rawHash = ethRawHashOf(tx);
      if (rawHash) this.db.ethtx.put(hashKey(rawHash.slice(2)), hashKey(tx.txid));
      for (const address of touchedAddresses(tx, spentByTx.get(tx.txid))) {
        this.db.addrhist.put(addrHistKey(address, height, position), hashKey(tx.txid));
        stats.touch(address, 1);
      }
      for (const o of tx.outputs) stats.receive(o.to.toLowerCase(), o.amount);
    }
    for (const u of changes.created) stats.addUtxo(u.to, 1);
    // Outputs created and spent inside this block were received and sent without staying unspent.
    for (const u of intraBlockSpends(block, changes.spent)) stats.spendIntra(u);
    for (const sender of changes.ethSenders)
      this.db.ethnonce.put(addressKey(sender), u32be(this.ethNonce(sender) + 1));
    this.db.undo.put(blockKey, encodeUndo({ spent: changes.spent, ethSenders: changes.ethSenders }));
    this.db.height.put(u32be(height), blockKey);
    this.db.meta.put(META_TIP, blockKey);
    stats.flush();
  }

  /** Reverses connectBlock for the current tip, using its undo data. */
  disconnectBlock(block: Block, height: number, parentHash: string): void {
    const blockKey = hashKey(block.hash);
    const undo = this.getUndo(block.hash);
    if (!undo) throw new StoreError("CORRUPT", `no undo data for block ${block.hash}`);
    const stats = new StatsBatch(this);
    const spentByTx = groupSpentByTx(block, undo.spent);
    for (const [position, tx] of block.transactions.entries()) {
      for (const [vout, o] of tx.outputs.entries()) {
        const to = o.to.toLowerCase();
        if (this.db.utxo.doesExist(outPointKey(tx.txid, vout))) {
          this.db.utxo.remove(outPointKey(tx.txid, vout));
          this.db.addrutxo.remove(addrUtxoKey(to, tx.txid, vout));
          stats.addUtxo(to, -1);
        }
        stats.receive(to, -o.amount);
      }
      for (const address of touchedAddresses(tx, spentByTx.get(tx.txid))) {
        this.db.addrhist.remove(addrHistKey(address, height, position));
        stats.touch(address, -1);
      }
      this.db.tx.remove(hashKey(tx.txid));
      this.db.ethtx.remove(hashKey(tx.ethHash.slice(2)));
      const rawHash = ethRawHashOf(tx);
      if (rawHash) this.db.ethtx.remove(hashKey(rawHash.slice(2)));
    }
    for (const u of intraBlockSpends(block, undo.spent)) stats.spendIntra(u, -1);
    for (const u of undo.spent) {
      this.db.utxo.put(outPointKey(u.txid, u.vout), Buffer.from(encodeUtxo(u)));
      this.db.addrutxo.put(addrUtxoKey(u.to, u.txid, u.vout), encodeAmount(u.amount));
      stats.spend(u, -1);
    }
    for (const sender of undo.ethSenders) {
      const n = this.ethNonce(sender) - 1;
      if (n > 0) this.db.ethnonce.put(addressKey(sender), u32be(n));
      else this.db.ethnonce.remove(addressKey(sender));
    }
    this.db.undo.remove(blockKey);
    this.db.height.remove(u32be(height));
    this.db.meta.put(META_TIP, hashKey(parentHash));
    stats.flush();
  }

  writeStats(address: string, stats: AddressStats): void {
    this.db.addrstat.put(addressKey(address), encodeStats(stats));
  }

  /** Empties everything derived from the best chain (for reindex); blocks and the index stay. */
  clearChainstate(): void {
    for (const name of [
      "height",
      "tx",
      "ethtx",
      "utxo",
      "undo",
      "addrutxo",
      "addrhist",
      "addrstat",
      "ethnonce",
    ] as const) {
      this.db[name].clearSync();
    }
    this.db.meta.removeSync(META_TIP);
  }

  /** Sets the tip for the genesis block (which spends nothing). */
  setTip(hash: string): void {
    this.db.meta.put(META_TIP, hashKey(hash));
  }

  /** Writes pending writes to disk (LMDB commits are already durable; this waits for async ones). */
  async flush(): Promise<void> {
    await this.env.flushed;
  }
}

/** The keccak hash of an embedded raw Ethereum transaction, if the tx carries one. */
export function ethRawHashOf(tx: Transaction): string | undefined {
  const sig = tx.inputs[0]?.signature;
  if (!sig?.startsWith("eth:0x")) return undefined;
  return ethRawHashCache.get(sig) ?? computeRawHash(sig);
}

const ethRawHashCache = new Map<string, string>();
function computeRawHash(sig: string): string {
  const h = "0x" + bytesToHex(keccak256(Buffer.from(sig.slice(6), "hex")));
  if (ethRawHashCache.size > 10_000) ethRawHashCache.clear();
  ethRawHashCache.set(sig, h);
  return h;
}

/** Outputs consumed by each transaction of a block that existed before the block. */
function groupSpentByTx(block: Block, spent: readonly Utxo[]): Map<string, Utxo[]> {
  const byKey = new Map(spent.map((u) => [`${u.txid}:${u.vout}`, u]));
  const out = new Map<string, Utxo[]>();
  const created = new Map<string, Utxo>();
  for (const tx of block.transactions) {
    const list: Utxo[] = [];
    for (const i of tx.inputs) {
      const key = `${i.txid}:${i.vout}`;
      const u = byKey.get(key) ?? created.get(key);
      if (u) list.push(u);
    }
    out.set(tx.txid, list);
    for (const [vout, o] of tx.outputs.entries()) {
      created.set(`${tx.txid}:${vout}`, { txid: tx.txid, vout, to: o.to.toLowerCase(), amount: o.amount });
    }
  }
  return out;
}

/** Outputs created and spent within the same block. */
function intraBlockSpends(block: Block, spentBefore: readonly Utxo[]): Utxo[] {
  const before = new Set(spentBefore.map((u) => `${u.txid}:${u.vout}`));
  const created = new Map<string, Utxo>();
  const out: Utxo[] = [];
  for (const tx of block.transactions) {
    for (const i of tx.inputs) {
      const key = `${i.txid}:${i.vout}`;
      if (!before.has(key)) {
        const u = created.get(key);
        if (u) out.push(u);
      }
    }
    for (const [vout, o] of tx.outputs.entries()) {
      created.set(`${tx.txid}:${vout}`, { txid: tx.txid, vout, to: o.to.toLowerCase(), amount: o.amount });
    }
  }
  return out;
}

/** Addresses a transaction touches: its outputs' owners and the owners of what it spends. */
function touchedAddresses(tx: Transaction, spent: readonly Utxo[] | undefined): Set<string> {
  const set = new Set<string>();
  for (const o of tx.outputs) set.add(o.to.toLowerCase());
  for (const u of spent ?? []) set.add(u.to);
  return set;
}

/** Accumulates per-address stat deltas for one block and writes each address once. */
class StatsBatch {
  private readonly deltas = new Map<string, { received: bigint; sent: bigint; utxo: number; tx: number }>();
  constructor(private readonly store: ChainStore) {}

  private get(address: string) {
    let d = this.deltas.get(address);
    if (!d) {
      d = { received: 0n, sent: 0n, utxo: 0, tx: 0 };
      this.deltas.set(address, d);
    }
    return d;
  }
  receive(address: string, amount: bigint): void {
    this.get(address).received += amount;
  }
  /** A pre-existing output spent (sign -1 when undoing). */
  spend(u: Utxo, sign = 1): void {
    const d = this.get(u.to);
    d.sent += BigInt(sign) * u.amount;
    d.utxo -= sign;
  }
  /** An output created and spent inside one block: sent, never counted as unspent. */
  spendIntra(u: Utxo, sign = 1): void {
    this.get(u.to).sent += BigInt(sign) * u.amount;
  }
  addUtxo(address: string, n: number): void {
    this.get(address).utxo += n;
  }
  touch(address: string, n: number): void {
    this.get(address).tx += n;
  }
  flush(): void {
    for (const [address, d] of this.deltas) {
      const s = this.store.addressStats(address);
      const next = {
        received: s.received + d.received,
        sent: s.sent + d.sent,
        utxoCount: s.utxoCount + d.utxo,
        txCount: s.txCount + d.tx,
      };
      this.store.writeStats(address, next);
    }
  }
}
