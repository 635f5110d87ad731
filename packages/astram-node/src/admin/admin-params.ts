import { isIP } from "node:net";
import { formatEndpoint, normalizeIp, parseEndpoint } from "../p2p/addresses.js";
import { invalidParams } from "../rpc/errors.js";

/** Validators for the admin methods' parameters: each returns the typed value or throws -32602 with the reason. */

/** The longest ban: ten years (a longer one is a typo; `clearbans`/`unban` lift any). */
export const MAX_BAN_SECONDS = 10 * 365 * 24 * 3600;

/**
 * Parameters by name ({ "ip": …, "seconds": … }) or by position (["1.2.3.4", 3600]) in the order of
 * `names`; the first `required` must be present, unknown names and extra positions are refused.
 */
export function namedParams(
  params: unknown,
  names: readonly string[],
  required: number,
): Record<string, unknown> {
  const want = names.length === 0 ? "no parameters" : `parameters ${names.join(", ")}`;
  if (params === undefined) params = [];
  const out: Record<string, unknown> = {};
  if (Array.isArray(params)) {
    if (params.length > names.length) throw invalidParams(`expected ${want}, got ${params.length} values`);
    for (const [i, v] of params.entries()) out[names[i]!] = v;
  } else if (typeof params === "object" && params !== null) {
    for (const [k, v] of Object.entries(params)) {
      if (!names.includes(k)) throw invalidParams(`unknown parameter "${k}" (expected ${want})`);
      out[k] = v;
    }
  } else {
    throw invalidParams("params must be an array or an object");
  }
  for (const n of names.slice(0, required))
    if (out[n] === undefined || out[n] === null) throw invalidParams(`missing parameter "${n}"`);
  return out;
}

/** An IPv4 or IPv6 address (IPv4-mapped IPv6 becomes IPv4). */
export function ipParam(v: unknown, name: string): string {
  if (typeof v !== "string" || isIP(normalizeIp(v.trim())) === 0)
    throw invalidParams(`${name}: expected an IPv4 or IPv6 address, got ${JSON.stringify(v)}`);
  return normalizeIp(v.trim());
}

/** "host:port" or "[v6]:port", returned in canonical form. */
export function endpointParam(v: unknown, name: string): string {
  if (typeof v !== "string") throw invalidParams(`${name}: expected "host:port"`);
  try {
    return formatEndpoint(parseEndpoint(v.trim()));
  } catch (e) {
    throw invalidParams(`${name}: ${(e as Error).message}`);
  }
}

/** A whole number of seconds, 1 to MAX_BAN_SECONDS. */
export function secondsParam(v: unknown, name: string): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > MAX_BAN_SECONDS)
    throw invalidParams(
      `${name}: expected whole seconds from 1 to ${MAX_BAN_SECONDS}, got ${JSON.stringify(v)}`,
    );
  return v;
}

/** A non-empty string of at most `max` characters, trimmed. */
export function textParam(v: unknown, name: string, max: number): string {
  if (typeof v !== "string" || v.trim() === "" || v.length > max)
    throw invalidParams(`${name}: expected a non-empty string of at most ${max} characters`);
  return v.trim();
}
