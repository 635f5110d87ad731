import { readFile } from "node:fs/promises";
import type { RunRecord } from "./run-record.js";
import { assertRunRecord } from "./validate-run-record.js";

/** Reads a run record saved as JSON, so a report can be rebuilt from a past run. */
export async function readRunRecord(path: string): Promise<RunRecord> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new Error(`cannot read run record ${path}: ${(error as Error).message}`);
  }
  assertRunRecord(value, path);
  return value;
}
