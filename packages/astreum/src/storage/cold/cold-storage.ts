// The cold tier: atoms in files under `cold_storage_path`, in the level layout of layout.ts
// (facts §2.3), bounded by `cold_storage_limit` bytes on disk (0 = unlimited).
//
// Crash safety. Every file is written under a .tmp name and renamed into place when complete, so a
// kill at any moment leaves either the old state or the new one plus stray .tmp files. A collation
// writes and syncs the new level file pair (data renamed first, then index) before it deletes the
// level-0 files it collated; a merge writes the new pair before it deletes the old level. At start,
// .tmp files, half pairs (data without index or index without data) and level-0 files whose content
// does not hash to their name are deleted; every read checks that the bytes hash to the id asked
// for, so a torn or corrupt file can never be returned. Level-0 files are synced before their
// rename only with `fsync: true` (a kill -9 cannot tear them either way; a power cut can, and the
// hash check then drops them); level files are always synced.
//
// Concurrency. Level-0 writes run in parallel; a collation or merge waits for them and holds new
// writes back until it is done. Reads never wait: a read that raced a collation or merge (the file
// it looked at was just moved) looks again.
import { mkdir, open, readdir, readFile, rename, rm, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Logger, silentLogger } from "../../logger.js";
import { deserializeExpr } from "../../machine/atom.js";
import type { Expr } from "../../machine/expr.js";
import { idFromKey, idKey, idsEqual } from "../atom-id.js";
import {
  COLD_STORAGE_SCALES,
  type ColdStorageScale,
  isTempName,
  level0FileName,
  level0TempName,
  levelDir,
  parseLevel0FileName,
} from "./layout.js";
import { type LevelFile, loadLevelFiles, mergeItems, readAt, writeLevelFile } from "./level-files.js";

export interface ColdStorageOptions {
  /** The cold storage directory (created with its level_0/ at open). */
  path: string;
  /** Base unit of the level thresholds (default "MB"). */
  scale?: ColdStorageScale;
  /** Bytes on disk past which new atoms are skipped; 0 = unlimited (default 10 GiB). */
  limit?: number;
  /** Sync each level-0 atom file before renaming it into place (default false). */
  fsync?: boolean;
  logger?: Logger;
}

export interface ColdStorageStats {
  writes: number;
  /** Atoms not written because the limit would have been passed. */
  skippedLimit: number;
  /** Writes that failed (I/O errors; logged). */
  writeErrors: number;
  collations: number;
  merges: number;
  /** Torn or corrupt files deleted (at start, during collation or on read). */
  tornRemoved: number;
  /** Reads whose bytes did not hash to the id asked for. */
  corruptReads: number;
}

/** Level-0 atoms kept in memory for the next collation (at MB scale all of level 0 fits). */
const LEVEL0_CACHE_BYTES = 64 << 20;
/** Level-0 files read at once during start and collation. */
const READ_CONCURRENCY = 64;

export class ColdStorage {
  readonly path: string;
  readonly baseSize: number;
  readonly limit: number;
  readonly fsync: boolean;
  readonly stats: ColdStorageStats = {
    writes: 0,
    skippedLimit: 0,
    writeErrors: 0,
    collations: 0,
    merges: 0,
    tornRemoved: 0,
    corruptReads: 0,
  };
  private readonly log: Logger;
  private readonly level0 = new Map<string, number>();
  /** Bytes of recently written level-0 atoms, so a collation need not read them back (bounded). */
  private readonly level0Cache = new Map<string, Uint8Array>();
  private level0CacheBytes = 0;
  private level0Bytes = 0;
  /** levels[n] = the files of level n (n ≥ 1), ascending file number; levels[0] is unused. */
  private levels: LevelFile[][] = [[]];
  private total = 0;
  private reserved = 0;
  private generation = 0;
  private compaction: Promise<void> | null = null;
  private readonly inflight = new Map<string, Promise<boolean>>();
  private opened = false;

  constructor(options: ColdStorageOptions) {
    this.path = options.path;
    this.baseSize = COLD_STORAGE_SCALES[options.scale ?? "MB"];
    this.limit = options.limit ?? 10_737_418_240;
    this.fsync = options.fsync ?? false;
    this.log = options.logger ?? silentLogger;
  }

  /** Bytes of all cold files (level-0 atoms, level indexes and data). */
  get bytes(): number {
    return this.total;
  }

  /** Bytes in level 0 (the reference's cold_storage_level_0_size). */
  get level0Size(): number {
    return this.level0Bytes;
  }

  get isOpen(): boolean {
    return this.opened;
  }

  /** Creates the directories, cleans what a crash left behind and loads the level indexes. */
  async open(): Promise<void> {
    if (this.opened) return;
    const dir0 = levelDir(this.path, 0);
    await mkdir(dir0, { recursive: true });
    this.level0.clear();
    this.level0Bytes = 0;
    this.total = 0;
    const keys: string[] = [];
    for (const ent of await readdir(dir0, { withFileTypes: true })) {
      if (!ent.isFile()) continue;
      if (isTempName(ent.name)) {
        await this.removeTorn(join(dir0, ent.name), "unfinished write");
        continue;
      }
      const key = parseLevel0FileName(ent.name);
      if (key !== null) keys.push(key);
    }
    const contents = await mapLimit(keys, READ_CONCURRENCY, (key) =>
      readFile(join(dir0, level0FileName(key))).catch(() => null),
    );
    for (const [i, key] of keys.entries()) {
      const bytes = contents[i]!;
      if (bytes === null) continue;
      if (verify(idFromKey(key), bytes) === null) {
        await this.removeTorn(join(dir0, level0FileName(key)), "content does not hash to its name");
        continue;
      }
      this.level0.set(key, bytes.length);
      this.level0Bytes += bytes.length;
    }
    this.total = this.level0Bytes;
    this.levels = [[]];
    for (let n = 1; ; n++) {
      const dir = levelDir(this.path, n);
      let names: string[];
      try {
        names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
      } catch {
        break;
      }
      const files = await loadLevelFiles(n, dir, names, (file, why) => this.removeTorn(file, why), this.log);
      for (const f of files) this.total += f.dataBytes + f.indexBytes;
      this.levels[n] = files;
    }
    this.opened = true;
    this.log.info(
      `cold storage open at ${this.path}: ${this.level0.size} level-0 atoms, ${this.levels.length - 1} level(s), ${this.total} bytes`,
    );
  }

  /** Waits for writes, collations and merges in progress, then closes the files. */
  async close(): Promise<void> {
    if (!this.opened) return;
    await this.flush();
    this.opened = false;
    for (const files of this.levels) for (const f of files) await f.data.close().catch(() => {});
    this.levels = [[]];
  }

  /** Resolves when no write, collation or merge is in progress. */
  async flush(): Promise<void> {
    while (this.inflight.size > 0 || this.compaction !== null) {
      await Promise.allSettled([...this.inflight.values()]);
      if (this.compaction !== null) await this.compaction;
    }
  }

  has(id: Uint8Array): boolean {
    if (this.level0.has(idKey(id))) return true;
    for (let n = 1; n < this.levels.length; n++)
      for (const f of this.levels[n]!) if (f.table.find(id) >= 0) return true;
    return false;
  }

  /** The atom with this id, checked against its id; null when absent or unreadable. */
  async get(id: Uint8Array): Promise<Expr | null> {
    if (!this.opened) return null;
    const key = idKey(id);
    for (let attempt = 0; attempt < 4; attempt++) {
      const generation = this.generation;
      const found = await this.lookup(id, key);
      if (found !== null || generation === this.generation) return found;
    }
    return null;
  }

  /**
   * Writes one atom (true when it is stored afterwards, including when it already was). False when
   * the limit would be passed or the write failed.
   */
  async put(expr: Expr): Promise<boolean> {
    if (!this.opened) return false;
    const id = expr.hash();
    const key = idKey(id);
    for (;;) {
      const pending = this.inflight.get(key);
      if (pending !== undefined) return pending;
      if (this.compaction === null) break;
      await this.compaction;
      if (!this.opened) return false;
    }
    if (this.has(id)) return true;
    const bytes = expr.serialize();
    if (this.limit > 0 && this.total + this.reserved + bytes.length > this.limit) {
      this.stats.skippedLimit++;
      return false;
    }
    this.reserved += bytes.length;
    const write = this.writeLevel0(key, bytes).finally(() => {
      this.reserved -= bytes.length;
      this.inflight.delete(key);
      this.maybeCompact();
    });
    this.inflight.set(key, write);
    return write;
  }

  private async writeLevel0(key: string, bytes: Uint8Array): Promise<boolean> {
    const dir0 = levelDir(this.path, 0);
    const tmp = join(dir0, level0TempName(key));
    try {
      if (this.fsync) {
        const fh = await open(tmp, "wx");
        try {
          await fh.writeFile(bytes);
          await fh.sync();
        } finally {
          await fh.close();
        }
      } else await writeFile(tmp, bytes, { flag: "wx" });
      await rename(tmp, join(dir0, level0FileName(key)));
    } catch (err) {
      this.stats.writeErrors++;
      this.log.error(`cold storage write of ${key} failed: ${(err as Error).message}`);
      await rm(tmp, { force: true }).catch(() => {});
      return false;
    }
    this.level0.set(key, bytes.length);
    this.level0Bytes += bytes.length;
    this.total += bytes.length;
    this.stats.writes++;
    if (this.level0CacheBytes + bytes.length <= LEVEL0_CACHE_BYTES) {
      this.level0Cache.set(key, bytes);
      this.level0CacheBytes += bytes.length;
    }
    return true;
  }

  private maybeCompact(): void {
    if (!this.opened || this.compaction !== null || this.level0Bytes <= this.baseSize) return;
    this.compaction = this.compact()
      .catch((err: unknown) => {
        this.log.error(`cold storage compaction failed: ${(err as Error).message}`);
      })
      .finally(() => {
        this.compaction = null;
      });
  }

  /** Collates level 0 into level 1, then merges every level that outgrew base × 10^n. */
  private async compact(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight.values()]);
    await this.collate();
    for (let n = 1; n < this.levels.length; n++) {
      const bytes = this.levels[n]!.reduce((s, f) => s + f.dataBytes + f.indexBytes, 0);
      if (bytes > this.baseSize * 10 ** n) await this.merge(n);
    }
  }

  private async collate(): Promise<void> {
    const dir0 = levelDir(this.path, 0);
    const keys = [...this.level0.keys()].sort();
    const read = await mapLimit(keys, READ_CONCURRENCY, async (key) => {
      const cached = this.level0Cache.get(key);
      if (cached !== undefined) return cached;
      try {
        return await readFile(join(dir0, level0FileName(key)));
      } catch {
        return null;
      }
    });
    const good: { key: string; bytes: Uint8Array }[] = [];
    for (const [i, key] of keys.entries()) {
      const bytes = read[i]!;
      if (bytes === null) {
        this.forgetLevel0(key);
        continue;
      }
      if (verify(idFromKey(key), bytes) === null) {
        this.forgetLevel0(key);
        await this.removeTorn(join(dir0, level0FileName(key)), "content does not hash to its name");
        continue;
      }
      good.push({ key, bytes });
    }
    if (good.length > 0) {
      const num = this.nextNumber(1);
      const written = await writeLevelFile(
        this.path,
        1,
        num,
        (async function* () {
          for (const g of good) yield { id: idFromKey(g.key), bytes: g.bytes };
        })(),
      );
      this.addLevelFile(written);
    }
    this.generation++;
    const collated = keys.filter((key) => this.level0.has(key));
    for (const key of collated) this.forgetLevel0(key);
    await mapLimit(collated, READ_CONCURRENCY, (key) =>
      unlink(join(dir0, level0FileName(key))).catch(() => {}),
    );
    this.stats.collations++;
  }

  private async merge(n: number): Promise<void> {
    const files = this.levels[n]!;
    if (files.length === 0) return;
    const items = await mergeItems(files);
    const written = await writeLevelFile(this.path, n + 1, this.nextNumber(n + 1), items);
    this.addLevelFile(written);
    this.levels[n] = [];
    this.generation++;
    for (const f of files) {
      this.total -= f.dataBytes + f.indexBytes;
      await f.data.close().catch(() => {});
    }
    const dir = levelDir(this.path, n);
    for (const ent of await readdir(dir, { withFileTypes: true }))
      if (ent.isFile()) await unlink(join(dir, ent.name)).catch(() => {});
    this.stats.merges++;
  }

  private addLevelFile(f: LevelFile): void {
    while (this.levels.length <= f.level) this.levels.push([]);
    this.levels[f.level]!.push(f);
    this.total += f.dataBytes + f.indexBytes;
  }

  private nextNumber(level: number): number {
    const files = this.levels[level] ?? [];
    return files.length === 0 ? 0 : Math.max(...files.map((f) => f.num)) + 1;
  }

  private forgetLevel0(key: string): void {
    const cached = this.level0Cache.get(key);
    if (cached !== undefined) {
      this.level0Cache.delete(key);
      this.level0CacheBytes -= cached.length;
    }
    const size = this.level0.get(key);
    if (size === undefined) return;
    this.level0.delete(key);
    this.level0Bytes -= size;
    this.total -= size;
  }

  private async lookup(id: Uint8Array, key: string): Promise<Expr | null> {
    if (this.level0.has(key)) {
      const file = join(levelDir(this.path, 0), level0FileName(key));
      let bytes: Buffer | null = null;
      try {
        bytes = await readFile(file);
      } catch {
        // moved by a collation in progress: the caller looks again
      }
      if (bytes !== null) {
        const e = verify(id, bytes);
        if (e !== null) return e;
        this.stats.corruptReads++;
        if (!this.inflight.has(key) && this.compaction === null) {
          this.forgetLevel0(key);
          await this.removeTorn(file, "content does not hash to its name");
        }
      }
    }
    for (let n = 1; n < this.levels.length; n++) {
      const files = this.levels[n]!;
      for (let j = files.length - 1; j >= 0; j--) {
        const f = files[j]!;
        const i = f.table.find(id);
        if (i < 0) continue;
        const bytes = await readAt(f.data, f.table.positions[i]!, f.table.sizes[i]!);
        if (bytes === null) continue;
        const e = verify(id, bytes);
        if (e !== null) return e;
        this.stats.corruptReads++;
      }
    }
    return null;
  }

  private async removeTorn(file: string, why: string): Promise<void> {
    this.stats.tornRemoved++;
    this.log.warn(`cold storage: removing ${file} (${why})`);
    await rm(file, { force: true }).catch(() => {});
  }
}

/** The atom these bytes decode to, if its id is `id`. */
function verify(id: Uint8Array, bytes: Uint8Array): Expr | null {
  try {
    const e = deserializeExpr(bytes);
    return idsEqual(e.hash(), id) ? e : null;
  } catch {
    return null;
  }
}

/** `fn` over `items` with at most `limit` calls in flight; results in input order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}
