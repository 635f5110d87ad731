// The IPv4 address this node puts in provider contacts (the format has 4 bytes for it):
// advertiseAddress, else the bound address, else the local address routed toward the first seed
// that resolves, else 127.0.0.1. A node bound to one IPv6 address has none.
import { isIPv4, isIPv6 } from "node:net";
import type { Logger } from "../logger.js";
import { isIpLiteral, parseSeed } from "./address.js";
import { lookupWithTimeout } from "./dns-lookup.js";
import { localAddressToward } from "./udp-sockets.js";

export interface OwnAddressSources {
  /** The configured contact address (`advertiseAddress`). */
  advertiseAddress: string | undefined;
  /** The address the sockets are bound to (`bindAddress`). */
  bindAddress: string | undefined;
  /** default_seed (when set) followed by additional_seeds. */
  seeds: readonly string[];
  log: Logger;
}

/** The IPv4 address for provider contacts: configured, bound, or the route to the first seed. */
export async function discoverOwnIPv4(sources: OwnAddressSources): Promise<string | null> {
  const configured = sources.advertiseAddress;
  if (configured !== undefined) {
    if (isIPv4(configured)) return configured;
    sources.log.warn(`advertiseAddress ${configured} is not IPv4; provider contacts need one`);
    return null;
  }
  const bound = sources.bindAddress;
  if (bound !== undefined && isIPv4(bound) && bound !== "0.0.0.0") return bound;
  if (bound !== undefined && isIPv6(bound) && bound !== "::") return null; // IPv6 only: no IPv4 contact
  for (const text of sources.seeds) {
    try {
      const a = parseSeed(text);
      const host = isIpLiteral(a.host) ? a.host : (await lookupWithTimeout(a.host, 4, 2000)).address;
      if (!isIPv4(host)) continue;
      const local = await localAddressToward(host, a.port);
      if (local !== null) return local;
    } catch {
      // try the next seed
    }
  }
  return "127.0.0.1";
}
