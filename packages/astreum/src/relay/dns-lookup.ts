// Name resolution for seeds and connectTo: DNS lookups with a deadline, so an unreachable resolver
// cannot hold up start() or a bootstrap round.
import { lookup } from "node:dns/promises";
import type { Logger } from "../logger.js";
import { isIpLiteral, normalizeHost } from "./address.js";

/** The address of `host` (an IP literal is returned normalized); null, logged, when it cannot resolve. */
export async function resolveHost(host: string, useIpv6: boolean, log: Logger): Promise<string | null> {
  if (isIpLiteral(host)) return normalizeHost(host);
  try {
    const r = await lookupWithTimeout(host, useIpv6 ? 0 : 4, 5000);
    return normalizeHost(r.address);
  } catch (err) {
    log.warn(`cannot resolve ${host}: ${(err as Error).message}`);
    return null;
  }
}

/** `lookup(host, { family })`, rejected after `ms` milliseconds. */
export function lookupWithTimeout(host: string, family: 0 | 4, ms: number): Promise<{ address: string }> {
  return withTimeout(lookup(host, { family }), ms);
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    t.unref();
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
