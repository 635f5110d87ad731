import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** packages/fuzz/, from src/engine or dist/engine alike. */
export const PACKAGE_DIR = fileURLToPath(new URL("../../", import.meta.url));
export const CORPUS_DIR = join(PACKAGE_DIR, "corpus");
export const CRASHES_DIR = join(PACKAGE_DIR, "crashes");

/** Recorded valid inputs are named seed-*.bin; inputs the fuzzer saved are cov-*.bin. */
export const SEED_PREFIX = "seed-";

export interface CorpusFile {
  readonly file: string;
  readonly bytes: Uint8Array;
}

export function corpusDir(target: string): string {
  return join(CORPUS_DIR, target);
}

/** The committed corpus of a target, in file-name order (empty when there is none). */
export function loadCorpus(target: string): CorpusFile[] {
  const dir = corpusDir(target);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".bin"))
    .sort()
    .map((f) => ({ file: join(dir, f), bytes: new Uint8Array(readFileSync(join(dir, f))) }));
}

/** Content-addressed name, so saving the same input twice writes one file. */
export function inputFileName(prefix: string, bytes: Uint8Array): string {
  return `${prefix}${createHash("sha256").update(bytes).digest("hex").slice(0, 16)}.bin`;
}

/** Writes `bytes` into `dir` under its content name; returns the path. */
export function saveInput(dir: string, prefix: string, bytes: Uint8Array): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, inputFileName(prefix, bytes));
  if (!existsSync(path)) writeFileSync(path, bytes);
  return path;
}
