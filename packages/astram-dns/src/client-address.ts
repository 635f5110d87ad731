import { inCidr, normalizeIp } from "./ip.js";

/** Named ranges accepted by `--trust-proxy`, as in Express/fastify's proxy-addr. */
const NAMED: Record<string, ReadonlyArray<readonly [string, number]>> = {
  loopback: [
    ["127.0.0.0", 8],
    ["::1", 128],
  ],
  linklocal: [
    ["169.254.0.0", 16],
    ["fe80::", 10],
  ],
  uniquelocal: [
    ["10.0.0.0", 8],
    ["172.16.0.0", 12],
    ["192.168.0.0", 16],
    ["fc00::", 7],
  ],
};

/** A predicate "is this hop a proxy we trust?" built from `--trust-proxy` entries. */
export function proxyMatcher(specs: readonly string[]): (ip: string) => boolean {
  const ranges: [string, number][] = [];
  for (const spec of specs) {
    const named = NAMED[spec];
    if (named !== undefined) {
      ranges.push(...named.map(([net, bits]) => [net, bits] as [string, number]));
      continue;
    }
    const [ip = "", prefix] = spec.split("/");
    const net = normalizeIp(ip);
    if (net === undefined) continue;
    ranges.push([net, prefix === undefined ? (net.includes(":") ? 128 : 32) : Number(prefix)]);
  }
  return (ip) => ranges.some(([net, bits]) => inCidr(ip, net, bits));
}

/**
 * The client's address. Without trusted proxies it is the TCP peer: headers are ignored, so a
 * client cannot claim another address. With trusted proxies, X-Forwarded-For is read from the
 * right: each hop added by a trusted proxy is believed, and the first address that is not a
 * trusted proxy is the client (entries further left were written by the client and may be forged).
 * Returns the normalised IP, or the raw text when a believed hop is not an IP (registration then
 * fails with INVALID_ADDRESS).
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  isTrusted: ((ip: string) => boolean) | undefined,
): string {
  const peer = socketAddress === undefined ? "" : (normalizeIp(socketAddress) ?? socketAddress);
  if (isTrusted === undefined || forwardedFor === undefined) return peer;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor)
    .split(",")
    .map((h) => h.trim())
    .filter((h) => h !== "");
  let current = peer;
  while (hops.length > 0 && isTrusted(current)) {
    const hop = hops.pop()!;
    current = normalizeIp(hop) ?? hop;
  }
  return current;
}
