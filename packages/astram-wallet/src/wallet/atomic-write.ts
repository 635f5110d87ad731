import { randomBytes } from "node:crypto";
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  renameSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { dirname, join } from "node:path";

/**
 * File writes that are atomic (a crash leaves the old file or the new one, never half of one) and
 * private (mode 0600 from the first byte; directories created 0700).
 */

function writeTemp(path: string, text: string): string {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${randomBytes(6).toString("hex")}.tmp`);
  const fd = openSync(tmp, "wx", 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return tmp;
}

/** Writes a new file; fails with EEXIST (and changes nothing) if `path` already exists. */
export function writeNewFileAtomic(path: string, text: string): void {
  const tmp = writeTemp(path, text);
  try {
    linkSync(tmp, path);
  } finally {
    unlinkSync(tmp);
  }
}

/** Replaces (or creates) a file atomically. */
export function replaceFileAtomic(path: string, text: string): void {
  const tmp = writeTemp(path, text);
  try {
    renameSync(tmp, path);
  } catch (e) {
    unlinkSync(tmp);
    throw e;
  }
}
