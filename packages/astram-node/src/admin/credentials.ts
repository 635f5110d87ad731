import { createHash, timingSafeEqual } from "node:crypto";

/** A user and password for HTTP Basic authentication of the admin interface. */
export interface Credentials {
  readonly user: string;
  readonly password: string;
}

/** The user a bare ADMIN_PASSWORD (without "user:") stands for. */
export const DEFAULT_ADMIN_USER = "admin";

/**
 * Reads ADMIN_PASSWORD: "user:password" (split at the first colon), or a bare password for the user
 * `admin`. Throws TypeError on an empty user or password or a control character (they cannot be typed
 * into an Authorization header reliably).
 */
export function parseAdminPassword(raw: string): Credentials {
  const colon = raw.indexOf(":");
  const user = colon < 0 ? DEFAULT_ADMIN_USER : raw.slice(0, colon);
  const password = colon < 0 ? raw : raw.slice(colon + 1);
  if (user === "") throw new TypeError('the user before ":" is empty');
  if (password === "") throw new TypeError("the password is empty");
  if (/[\u0000-\u001f\u007f]/.test(raw)) throw new TypeError("contains a control character");
  return { user, password };
}

/** The Authorization header value for `c`. */
export function basicAuthorization(c: Credentials): string {
  return `Basic ${Buffer.from(`${c.user}:${c.password}`, "utf8").toString("base64")}`;
}

const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();

/**
 * True when an Authorization header carries one of the accepted credentials. Both sides are hashed
 * first so that timingSafeEqual compares equal lengths, and every accepted entry is compared, so the
 * time taken says nothing about which part differed.
 */
export function authorizationMatches(header: string | undefined, accepted: readonly Credentials[]): boolean {
  const m = /^Basic ([A-Za-z0-9+/=]{1,1024})$/.exec(header?.trim() ?? "");
  if (!m) return false;
  const given = digest(Buffer.from(m[1]!, "base64").toString("utf8"));
  let ok = false;
  for (const c of accepted) if (timingSafeEqual(given, digest(`${c.user}:${c.password}`))) ok = true;
  return ok;
}
