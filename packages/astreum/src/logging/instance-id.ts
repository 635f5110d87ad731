// The log instance id (facts §6): the first 16 hex characters of BLAKE3 over the UTF-8 of the
// caller's absolute, resolved file path, so nodes started from different entry scripts log to
// different directories. In Node.js the caller is the entry script (process.argv[1]); without one
// (a REPL, `node -e`) the current working directory stands in.
import { realpathSync } from "node:fs";
import { resolve } from "node:path";
import { blake3 } from "../machine/blake3.js";
import { toHex } from "../machine/integer.js";

/** The instance id for a file path (used as given: resolve it first). */
export function instanceIdFor(path: string): string {
  return toHex(blake3(new TextEncoder().encode(path))).slice(0, 16);
}

/** The entry script's absolute, resolved path, or the working directory when there is none. */
export function entryScriptPath(argv1: string | undefined = process.argv[1]): string {
  if (argv1 === undefined || argv1 === "") return process.cwd();
  const abs = resolve(argv1);
  try {
    return realpathSync(abs);
  } catch {
    return abs;
  }
}

/** The instance id of this process's entry script. */
export function instanceId(): string {
  return instanceIdFor(entryScriptPath());
}
