import { isPrivate, subnet16, subnet24 } from "./addresses.js";
import type { P2pLimits } from "./limits.js";
import type { Direction } from "./peer.js";

/** The part of a connection the limits look at. */
export interface ConnectionView {
  readonly direction: Direction;
  readonly remote: { readonly host: string };
}

/**
 * Why a new connection with `ip` must not be made (inbound or outbound alike), or undefined when it
 * may: bans, private addresses unless allowed, slot counts, 3 per IP, and distinct addresses per /24
 * and /16 (IPv6: /48 and /32).
 */
export function connectionRefusal(
  ip: string,
  direction: Direction,
  peers: readonly ConnectionView[],
  limits: P2pLimits,
  opts: { banned: boolean; allowPrivate: boolean },
): string | undefined {
  if (opts.banned) return "banned";
  if (!opts.allowPrivate && isPrivate(ip)) return "private or loopback address";
  const outbound = peers.filter((p) => p.direction === "outbound").length;
  const inbound = peers.length - outbound;
  if (direction === "outbound" && outbound >= limits.maxOutbound) return "outbound slots full";
  if (direction === "inbound" && inbound >= limits.maxInbound) return "inbound slots full";
  if (peers.filter((p) => p.remote.host === ip).length >= limits.maxPerIp) {
    return `more than ${limits.maxPerIp} connections from ${ip}`;
  }
  const others = (group: (h: string) => string) =>
    new Set(
      peers
        .filter((p) => p.remote.host !== ip && group(p.remote.host) === group(ip))
        .map((p) => p.remote.host),
    );
  const in24 = others(subnet24);
  if (in24.size >= limits.maxPer24) return `subnet ${subnet24(ip)} already has ${in24.size} peers`;
  const in16 = others(subnet16);
  if (in16.size >= limits.maxPer16) return `subnet ${subnet16(ip)} already has ${in16.size} peers`;
  return undefined;
}
