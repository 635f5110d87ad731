import { randomBytes } from "node:crypto";
import { readFileSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { replaceFileAtomic } from "../util/atomic-file.js";
import type { Credentials } from "./credentials.js";

/** The user name in the cookie file (as bitcoind's `__cookie__`). */
export const COOKIE_USER = "__cookie__";

export const cookiePath = (dataDir: string): string => join(dataDir, ".cookie");

/** No readable cookie file: the node is not running, runs elsewhere, or uses ADMIN_PASSWORD. */
export class NoCookieError extends Error {
  override readonly name = "NoCookieError";
  readonly code = "NO_COOKIE";
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`no admin cookie at ${path} (${reason})`);
  }
}

/**
 * Writes `<dataDir>/.cookie` = `__cookie__:<64 hex>` with mode 0600 (atomically: a reader sees the
 * old cookie or the new one), and returns the credentials it holds. A new secret every start.
 */
export function writeCookie(dataDir: string): Credentials {
  const c = { user: COOKIE_USER, password: randomBytes(32).toString("hex") };
  replaceFileAtomic(cookiePath(dataDir), `${c.user}:${c.password}`, 0o600);
  return c;
}

/** Removes the cookie file; a missing one is fine. */
export function removeCookie(dataDir: string): void {
  try {
    unlinkSync(cookiePath(dataDir));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
}

/** Reads the cookie a running node wrote; NoCookieError when there is none or it is malformed. */
export function readCookie(dataDir: string): Credentials {
  const path = cookiePath(dataDir);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new NoCookieError(
      path,
      code === "ENOENT" ? "is the node running with this --datadir/--network?" : String(code),
    );
  }
  const m = /^([^:\s]+):([0-9a-f]{64})\s*$/.exec(text);
  if (!m) throw new NoCookieError(path, "the file is not user:64-hex");
  return { user: m[1]!, password: m[2]! };
}
