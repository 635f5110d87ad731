// The cold tier (facts §2.3): the level layout and its byte formats, collation and merges at the
// reference's thresholds (tests.storage.cold), cold_storage_limit, restart with the data intact,
// recovery from torn writes, a kill -9 in the middle of writing, and concurrent use.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  AtomStore,
  BytesExpr,
  ColdStorage,
  deserializeExpr,
  type Expr,
  exprEquals,
  INDEX_ENTRY_BYTES,
  INDEX_HEADER_BYTES,
  parse,
  printExpr,
  serializeExpr,
  tokenize,
} from "astreum";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { hex } from "./helpers.js";
import { removeTempDirs, tempDir } from "./relay-helpers.js";

afterAll(removeTempDirs);

const opened: (AtomStore | ColdStorage)[] = [];
async function coldStore(
  path: string,
  options: ConstructorParameters<typeof AtomStore>[0] = {},
): Promise<AtomStore> {
  const s = new AtomStore({
    cold_storage_path: path,
    cold_storage_scale: "KB",
    hot_storage_limit: 0,
    ...options,
  });
  await s.start();
  opened.push(s);
  return s;
}
afterEach(async () => {
  for (const s of opened.splice(0)) await (s instanceof AtomStore ? s.stop() : s.close());
});

/** A small deterministic RNG (mulberry32) so the sampled ids are the same every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const atom64 = (r: () => number): BytesExpr =>
  new BytesExpr(Uint8Array.from({ length: 64 }, () => Math.floor(r() * 256)));
const files = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).sort() : []);

describe("tests.storage.cold (reference)", () => {
  it("64-byte atoms at KB scale reach level_2 within 64 inserts; level_1 is then empty; samples read back", async () => {
    const dir = tempDir("cold");
    const store = await coldStore(dir);
    const r = rng(7);
    const inserted: BytesExpr[] = [];
    let n = 0;
    while (!files(join(dir, "level_2")).some((f) => f.endsWith("_index"))) {
      expect(n).toBeLessThan(64);
      const e = atom64(r);
      expect((await store.putAtom(e)).cold).toBe(true);
      await store.cold!.flush();
      inserted.push(e);
      n++;
    }
    expect(n).toBe(48); // 16 atoms of 65 bytes pass 1,000 bytes; three level-1 files pass 10,000
    expect(files(join(dir, "level_1")).filter((f) => /_(index|data)$/.test(f))).toEqual([]);
    expect(files(join(dir, "level_2"))).toEqual(["0_data", "0_index"]);
    const pick = rng(42);
    for (let i = 0; i < 5; i++) {
      const e = inserted[Math.floor(pick() * inserted.length)]!;
      const back = await store.cold!.get(e.hash());
      expect(hex(serializeExpr(back!))).toBe(hex(serializeExpr(e)));
    }
  });
});

describe("layout and byte formats", () => {
  it("level_0 holds <UPPERCASE HEX>.bin files with the atom's serialization", async () => {
    const dir = tempDir("layout0");
    const store = await coldStore(dir);
    const e = parse(tokenize("(1 2)"))[0];
    await store.putAtom(e);
    const name = `${hex(e.hash()).toUpperCase()}.bin`;
    expect(files(join(dir, "level_0"))).toEqual([name]);
    expect(hex(readFileSync(join(dir, "level_0", name)))).toBe(hex(serializeExpr(e)));
  });

  it("a collated file: 64-byte BE count, 160-byte entries sorted by id, data in index order", async () => {
    const dir = tempDir("layout1");
    const store = await coldStore(dir);
    const r = rng(1);
    const atoms = Array.from({ length: 16 }, () => atom64(r));
    for (const a of atoms) await store.putAtom(a);
    await store.cold!.flush();
    expect(files(join(dir, "level_0"))).toEqual([]);
    const index = readFileSync(join(dir, "level_1", "0_index"));
    const data = readFileSync(join(dir, "level_1", "0_data"));
    expect(index.length).toBe(INDEX_HEADER_BYTES + 16 * INDEX_ENTRY_BYTES);
    expect(index.subarray(0, 63).every((b) => b === 0)).toBe(true);
    expect(index[63]).toBe(16);
    const sorted = atoms.map((a) => hex(a.hash())).sort();
    for (let i = 0; i < 16; i++) {
      const o = INDEX_HEADER_BYTES + i * INDEX_ENTRY_BYTES;
      expect(hex(index.subarray(o, o + 32))).toBe(sorted[i]);
      expect(index.subarray(o + 32, o + 32 + 56).every((b) => b === 0)).toBe(true);
      const pos = Number(index.readBigUInt64BE(o + 32 + 56));
      const size = Number(index.readBigUInt64BE(o + 96 + 56));
      expect(pos).toBe(i * 65);
      expect(size).toBe(65);
      expect(hex(deserializeExpr(data.subarray(pos, pos + size)).hash())).toBe(sorted[i]);
    }
    expect(data.length).toBe(16 * 65);
  });
});

describe("cold_storage_limit", () => {
  it("skips writes that would pass a non-zero limit; 0 is unlimited", async () => {
    const limited = await coldStore(tempDir("limit"), { cold_storage_limit: 200 });
    const r = rng(3);
    const results = [];
    for (let i = 0; i < 5; i++) results.push((await limited.putAtom(atom64(r))).cold);
    expect(results).toEqual([true, true, true, false, false]);
    expect(limited.cold!.stats.skippedLimit).toBe(2);
    expect(limited.cold!.bytes).toBe(195);
    const unlimited = await coldStore(tempDir("nolimit"), { cold_storage_limit: 0 });
    for (let i = 0; i < 40; i++) expect((await unlimited.putAtom(atom64(r))).cold).toBe(true);
  });
});

describe("restart", () => {
  it("a new store on the same directory reads every atom, in level 0 and in levels", async () => {
    const dir = tempDir("restart");
    const first = await coldStore(dir);
    const r = rng(9);
    const atoms = Array.from({ length: 40 }, () => atom64(r));
    const list = parse(tokenize("(alpha (beta 3) 4)"))[0];
    for (const a of atoms) await first.putAtom(a);
    await first.put(list);
    await first.stop();
    expect(files(join(dir, "level_1")).length).toBeGreaterThan(0);
    expect(files(join(dir, "level_0")).length).toBeGreaterThan(0);

    const second = await coldStore(dir);
    for (const a of atoms)
      expect(hex(serializeExpr((await second.get(a.hash()))!))).toBe(hex(serializeExpr(a)));
    const { expr } = await second.getTree(list.hash());
    expect(printExpr(expr!)).toBe("(alpha (beta 3) 4)");
    const level0 = files(join(dir, "level_0")).map((f) => statSync(join(dir, "level_0", f)).size);
    expect(second.cold!.level0Size).toBe(level0.reduce((s, n) => s + n, 0));
  });
});

describe("crash safety", () => {
  it("a clean start after torn writes: temp files, bad level-0 files and half pairs are removed", async () => {
    const dir = tempDir("torn");
    const first = await coldStore(dir);
    const r = rng(11);
    const atoms = Array.from({ length: 20 }, () => atom64(r));
    for (const a of atoms) await first.putAtom(a); // 16 collated into level_1/0_*, 4 left in level 0
    await first.stop();
    const l0 = join(dir, "level_0");
    const l1 = join(dir, "level_1");
    const survivor = atoms[19]!;
    const torn = atoms[18]!;
    const tornName = `${hex(torn.hash()).toUpperCase()}.bin`;
    truncateSync(join(l0, tornName), 20); // a level-0 file cut short
    writeFileSync(join(l0, `${hex(atom64(r).hash()).toUpperCase()}.123-abc.tmp`), "partial");
    writeFileSync(join(l0, `${"AB".repeat(32)}.bin`), serializeExpr(atoms[0]!)); // content not matching its name
    writeFileSync(join(l1, "7_data"), "data renamed, index not yet");
    writeFileSync(join(l1, "8_index"), "index without data");
    writeFileSync(join(l1, "9_index"), Buffer.alloc(10));
    writeFileSync(join(l1, "9_data"), Buffer.alloc(10));
    writeFileSync(join(l1, "1_data.tmp"), "unfinished collation");

    const store = await coldStore(dir);
    expect(store.cold!.stats.tornRemoved).toBe(8); // 9_index and 9_data count one each
    expect(files(l1)).toEqual(["0_data", "0_index"]);
    expect(files(l0)).not.toContain(tornName);
    expect(files(l0).some((f) => f.endsWith(".tmp"))).toBe(false);
    expect(await store.get(torn.hash())).toBeNull();
    expect(exprEquals((await store.get(survivor.hash()))!, survivor)).toBe(true);
    expect(exprEquals((await store.get(atoms[0]!.hash()))!, atoms[0]!)).toBe(true);
    // and it keeps working: the torn atom can be written again
    expect((await store.putAtom(torn)).cold).toBe(true);
    expect(exprEquals((await store.get(torn.hash()))!, torn)).toBe(true);
  });

  it("never returns bytes that do not hash to the id asked for", async () => {
    const dir = tempDir("corrupt");
    const cold = new ColdStorage({ path: dir, scale: "KB" });
    await cold.open();
    opened.push(cold);
    const r = rng(13);
    const atoms = Array.from({ length: 16 }, () => atom64(r));
    for (const a of atoms) await cold.put(a);
    await cold.flush();
    const dataPath = join(dir, "level_1", "0_data");
    const data = readFileSync(dataPath);
    data[5] = data[5]! ^ 0xff; // inside the first atom of the file
    writeFileSync(dataPath, data);
    const sorted = [...atoms].sort((a, b) => (hex(a.hash()) < hex(b.hash()) ? -1 : 1));
    expect(await cold.get(sorted[0]!.hash())).toBeNull();
    expect(cold.stats.corruptReads).toBe(1);
    expect(exprEquals((await cold.get(sorted[1]!.hash()))!, sorted[1]!)).toBe(true);
  });

  it("kill -9 while writing: every atom reported written is readable after restart, and writes go on", async () => {
    const dir = tempDir("kill9");
    const script = fileURLToPath(new URL("./fixtures/cold-writer.mjs", import.meta.url));
    const child = spawn(process.execPath, [script, dir], { stdio: ["ignore", "pipe", "inherit"] });
    const written: string[] = [];
    let buffer = "";
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split("\n");
        buffer = lines.pop()!;
        for (const l of lines) if (l.startsWith("ok ")) written.push(l.slice(3));
        // ~1,200 atoms: many collations and several merges into level 2 and 3
        if (written.length >= 1200 && child.exitCode === null) {
          child.kill("SIGKILL");
          resolve();
        }
      });
      child.on("exit", () => resolve());
      child.on("error", reject);
    });
    await new Promise<void>((r) =>
      child.exitCode !== null || child.signalCode !== null ? r() : child.on("exit", () => r()),
    );
    expect(written.length).toBeGreaterThanOrEqual(1200);
    const store = await coldStore(dir);
    const missing: string[] = [];
    for (const id of written) {
      const e = await store.get(Uint8Array.from(Buffer.from(id, "hex")));
      if (e === null || hex(e.hash()) !== id) missing.push(id);
    }
    expect(missing).toEqual([]);
    const r = rng(17);
    for (let i = 0; i < 40; i++) expect((await store.putAtom(atom64(r))).cold).toBe(true);
    await store.cold!.flush();
  }, 60_000);
});

describe("concurrency", () => {
  it("parallel puts and reads while collations and merges run: every read is right or absent", async () => {
    const dir = tempDir("parallel");
    const store = await coldStore(dir);
    const r = rng(21);
    const atoms = Array.from({ length: 600 }, () => atom64(r));
    const wrong: string[] = [];
    const reads: Promise<void>[] = [];
    const puts = atoms.map(async (a, i) => {
      await store.putAtom(a);
      if (i % 3 === 0) {
        const other = atoms[Math.floor(i / 2)]!;
        reads.push(
          store.get(other.hash()).then((e: Expr | null) => {
            if (e !== null && hex(e.hash()) !== hex(other.hash())) wrong.push(hex(other.hash()));
          }),
        );
      }
    });
    await Promise.all(puts);
    await Promise.all(reads);
    await store.cold!.flush();
    expect(wrong).toEqual([]);
    expect(store.cold!.stats.merges).toBeGreaterThan(0);
    for (const a of atoms)
      expect(hex(serializeExpr((await store.get(a.hash()))!))).toBe(hex(serializeExpr(a)));
    const total = ["level_0", "level_1", "level_2", "level_3"]
      .flatMap((l) => files(join(dir, l)).map((f) => statSync(join(dir, l, f)).size))
      .reduce((s, n) => s + n, 0);
    expect(store.cold!.bytes).toBe(total);
  });

  it("an unwritable directory disables the cold tier with a warning", async () => {
    const dir = tempDir("blocked");
    writeFileSync(join(dir, "file"), "x");
    const warnings: string[] = [];
    const store = new AtomStore({
      cold_storage_path: join(dir, "file", "sub"),
      logger: { debug() {}, info() {}, warn: (m) => warnings.push(m), error() {} },
    });
    await store.start();
    opened.push(store);
    expect((await store.putAtom(new BytesExpr(Uint8Array.of(1)))).cold).toBe(false);
    expect(warnings.join()).toMatch(/cold storage disabled/);
  });
});
