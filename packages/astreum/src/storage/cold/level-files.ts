// The collated files of levels n ≥ 1 (layout.ts): a `<num>_data` / `<num>_index` pair per file,
// held open for positioned reads. A pair is written under .tmp names, both synced, renamed data
// first, then index, and the directory synced, so a crash leaves the old state, or the new pair
// plus .tmp files or a half pair, which loading deletes.
import { type FileHandle, mkdir, open, readFile, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "../../logger.js";
import { IndexTable } from "./index-file.js";
import { dataFileName, indexFileName, isTempName, levelDir, parseLevelFileName } from "./layout.js";

export interface LevelFile {
  level: number;
  num: number;
  table: IndexTable;
  data: FileHandle;
  dataBytes: number;
  indexBytes: number;
}

/** An atom going into a level file: its id and serialization. */
export interface LevelItem {
  id: Uint8Array;
  bytes: Uint8Array;
}

const WRITE_CHUNK = 1 << 20;
/** Data files up to this size are read whole when merged. */
const MERGE_READ_WHOLE = 64 << 20;

/** Writes `<num>_data` and `<num>_index` in level `level` from items in ascending id order. */
export async function writeLevelFile(
  root: string,
  level: number,
  num: number,
  items: AsyncIterable<LevelItem>,
): Promise<LevelFile> {
  const dir = levelDir(root, level);
  await mkdir(dir, { recursive: true });
  const dataPath = join(dir, dataFileName(num));
  const indexPath = join(dir, indexFileName(num));
  const dataTmp = `${dataPath}.tmp`;
  const indexTmp = `${indexPath}.tmp`;
  try {
    const entries: { id: Uint8Array; position: number; size: number }[] = [];
    let position = 0;
    const dfh = await open(dataTmp, "w");
    try {
      let chunk: Uint8Array[] = [];
      let chunkBytes = 0;
      for await (const { id, bytes } of items) {
        entries.push({ id, position, size: bytes.length });
        position += bytes.length;
        chunk.push(bytes);
        chunkBytes += bytes.length;
        if (chunkBytes >= WRITE_CHUNK) {
          await writeParts(dfh, chunk);
          chunk = [];
          chunkBytes = 0;
        }
      }
      await writeParts(dfh, chunk);
      await dfh.sync();
    } finally {
      await dfh.close();
    }
    const index = IndexTable.encode(entries);
    const ifh = await open(indexTmp, "w");
    try {
      await ifh.writeFile(index);
      await ifh.sync();
    } finally {
      await ifh.close();
    }
    await rename(dataTmp, dataPath);
    await rename(indexTmp, indexPath);
    await syncDir(dir);
    return {
      level,
      num,
      table: IndexTable.decode(index),
      data: await open(dataPath, "r"),
      dataBytes: position,
      indexBytes: index.length,
    };
  } catch (err) {
    await rm(dataTmp, { force: true }).catch(() => {});
    await rm(indexTmp, { force: true }).catch(() => {});
    throw err;
  }
}

/**
 * Opens the complete pairs among `names` (the files of level `n`, in `dir`), ascending file number.
 * .tmp files, half pairs and pairs with an unreadable index go to `removeTorn`.
 */
export async function loadLevelFiles(
  n: number,
  dir: string,
  names: string[],
  removeTorn: (file: string, why: string) => Promise<void>,
  log: Logger,
): Promise<LevelFile[]> {
  const pairs = new Map<number, { index?: string; data?: string }>();
  for (const name of names) {
    if (isTempName(name)) {
      await removeTorn(join(dir, name), "unfinished collation or merge");
      continue;
    }
    const parsed = parseLevelFileName(name);
    if (parsed === null) continue;
    const pair = pairs.get(parsed.num) ?? {};
    pair[parsed.kind] = name;
    pairs.set(parsed.num, pair);
  }
  const files: LevelFile[] = [];
  for (const num of [...pairs.keys()].sort((a, b) => a - b)) {
    const pair = pairs.get(num)!;
    if (pair.index === undefined || pair.data === undefined) {
      await removeTorn(join(dir, (pair.index ?? pair.data)!), "half of a level file pair");
      continue;
    }
    const indexPath = join(dir, pair.index);
    const dataPath = join(dir, pair.data);
    try {
      const index = await readFile(indexPath);
      const table = IndexTable.decode(index);
      const dataBytes = (await stat(dataPath)).size;
      if (table.dataEnd() > dataBytes)
        log.warn(`cold storage ${dataPath} is shorter than its index; missing atoms read as absent`);
      files.push({
        level: n,
        num,
        table,
        data: await open(dataPath, "r"),
        dataBytes,
        indexBytes: index.length,
      });
    } catch (err) {
      log.warn(`cold storage ${indexPath}: ${(err as Error).message}`);
      await removeTorn(indexPath, "unreadable index");
      await removeTorn(dataPath, "data without a readable index");
    }
  }
  return files;
}

/**
 * The atoms of `files` (one level), each id once, in ascending id order: what a merge writes.
 * Data files up to 64 MiB are read whole first; larger ones are read atom by atom. Atoms that
 * cannot be read in full are left out.
 */
export async function mergeItems(files: readonly LevelFile[]): Promise<AsyncIterable<LevelItem>> {
  const best = new Map<string, { f: LevelFile; i: number }>();
  for (const f of files)
    for (let i = 0; i < f.table.count; i++) best.set(f.table.id(i).toString("hex"), { f, i });
  const keys = [...best.keys()].sort();
  const whole = new Map<LevelFile, Buffer>();
  for (const f of files)
    if (f.dataBytes <= MERGE_READ_WHOLE) whole.set(f, await readAll(f.data, f.dataBytes));
  const items = async function* () {
    for (const key of keys) {
      const { f, i } = best.get(key)!;
      const pos = f.table.positions[i]!;
      const size = f.table.sizes[i]!;
      const all = whole.get(f);
      const bytes = all !== undefined ? all.subarray(pos, pos + size) : await readAt(f.data, pos, size);
      if (bytes !== null && bytes.length === size) yield { id: f.table.id(i), bytes };
    }
  };
  return items();
}

/** `size` bytes at `position`, or null when the file holds fewer or the read fails. */
export async function readAt(fh: FileHandle, position: number, size: number): Promise<Buffer | null> {
  try {
    const buf = Buffer.alloc(size);
    const { bytesRead } = await fh.read(buf, 0, size, position);
    return bytesRead === size ? buf : null;
  } catch {
    return null;
  }
}

async function readAll(fh: FileHandle, size: number): Promise<Buffer> {
  const buf = Buffer.alloc(size);
  let done = 0;
  while (done < size) {
    const { bytesRead } = await fh.read(buf, done, size - done, done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return buf.subarray(0, done);
}

async function writeParts(fh: FileHandle, parts: Uint8Array[]): Promise<void> {
  if (parts.length === 0) return;
  const buf = Buffer.concat(parts);
  let done = 0;
  while (done < buf.length) done += (await fh.write(buf, done, buf.length - done)).bytesWritten;
}

async function syncDir(dir: string): Promise<void> {
  try {
    const d = await open(dir, "r");
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    // not every file system can sync a directory
  }
}
