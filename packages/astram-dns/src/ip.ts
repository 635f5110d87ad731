import { isIP } from "node:net";

/**
 * IP address parsing and classification.
 *
 * Addresses are normalised before they are compared or stored, so that one host has one key:
 * IPv4-mapped IPv6 (`::ffff:1.2.3.4`, what a dual-stack socket reports for IPv4 clients) becomes
 * plain IPv4 and IPv6 is written in its canonical compressed lowercase form (RFC 5952).
 */

/** Returns the normalised address, or `undefined` when `text` is not a bare IP literal. */
export function normalizeIp(text: string): string | undefined {
  const family = isIP(text);
  if (family === 4) return text;
  // Zone ids (`fe80::1%eth0`) only mean something on one host: never a registrable address.
  if (family !== 6 || text.includes("%")) return undefined;
  const groups = parseIpv6Groups(text);
  if (groups === undefined) return undefined;
  if (isV4Mapped(groups)) {
    const hi = groups[6]!;
    const lo = groups[7]!;
    return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  }
  // The WHATWG URL serializer implements RFC 5952 compression and lowercasing.
  return new URL(`http://[${text}]/`).hostname.slice(1, -1);
}

/** `ip:port`, with brackets around IPv6 (`[2001:db8::1]:8335`). */
export function formatEndpoint(address: string, port: number): string {
  return address.includes(":") ? `[${address}]:${port}` : `${address}:${port}`;
}

/**
 * Splits `ip:port` or `[ipv6]:port`. Returns `undefined` for anything else (a bare IPv6 such as
 * `::1` is not an endpoint: its last group would be read as a port).
 */
export function parseEndpoint(text: string): { address: string; port: number } | undefined {
  const m = /^\[([^\]]+)\]:(\d{1,5})$/.exec(text) ?? /^([^:[\]]+):(\d{1,5})$/.exec(text);
  if (m === null) return undefined;
  const address = normalizeIp(m[1]!);
  const port = Number(m[2]);
  if (address === undefined || port > 65535) return undefined;
  return { address, port };
}

/** Loopback (127.0.0.0/8, ::1) or the name `localhost`. Accepts unnormalised text. */
export function isLoopback(text: string): boolean {
  if (text.toLowerCase() === "localhost") return true;
  const ip = normalizeIp(text);
  if (ip === undefined) return false;
  return ip.includes(":") ? ip === "::1" : ip.startsWith("127.");
}

/** The unspecified address (0.0.0.0 or ::): never a peer. */
export function isUnspecified(text: string): boolean {
  const ip = normalizeIp(text);
  return ip === "0.0.0.0" || ip === "::";
}

/**
 * True when a normalised address is globally reachable unicast.
 *
 * IPv4 excludes every IANA special-purpose block that is not globally reachable: 0/8, 10/8,
 * 100.64/10 (CGNAT), 127/8, 169.254/16, 172.16/12, 192.0.0/24, the documentation blocks
 * 192.0.2/24, 198.51.100/24, 203.0.113/24, 192.168/16, 198.18/15 (benchmarking), 224/4
 * (multicast) and 240/4 (reserved, including 255.255.255.255).
 * IPv6 must be in 2000::/3 (global unicast) and outside 2001::/23 (IETF protocol assignments,
 * Teredo), 2001:db8::/32 and 3fff::/20 (documentation) and 2002::/16 (6to4, which embeds an IPv4
 * address that may be private). Everything outside 2000::/3 (loopback, ULA fc00::/7, link-local,
 * site-local, multicast, NAT64, IPv4-compatible) is not public.
 */
export function isPublicIp(ip: string): boolean {
  if (isIP(ip) === 4) return isPublicIpv4(ip);
  const groups = parseIpv6Groups(ip);
  if (groups === undefined) return false;
  if (isV4Mapped(groups)) {
    const hi = groups[6]!;
    const lo = groups[7]!;
    return isPublicIpv4(`${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`);
  }
  const g0 = groups[0]!;
  const g1 = groups[1]!;
  if ((g0 & 0xe000) !== 0x2000) return false;
  if (g0 === 0x2001 && g1 < 0x0200) return false;
  if (g0 === 0x2001 && g1 === 0x0db8) return false;
  if ((g0 & 0xfff0) === 0x3ff0) return false;
  if (g0 === 0x2002) return false;
  return true;
}

const PRIVATE_V4: ReadonlyArray<readonly [number, number]> = [
  [0x00000000, 8],
  [0x0a000000, 8],
  [0x64400000, 10],
  [0x7f000000, 8],
  [0xa9fe0000, 16],
  [0xac100000, 12],
  [0xc0000000, 24],
  [0xc0000200, 24],
  [0xc0a80000, 16],
  [0xc6120000, 15],
  [0xc6336400, 24],
  [0xcb007100, 24],
  [0xe0000000, 4],
  [0xf0000000, 4],
];

function isPublicIpv4(ip: string): boolean {
  const n = ip.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
  for (const [base, bits] of PRIVATE_V4) {
    const size = 2 ** (32 - bits);
    if (n >= base && n < base + size) return false;
  }
  return true;
}

function isV4Mapped(groups: readonly number[]): boolean {
  return groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
}

/** Eight 16-bit groups of an IPv6 literal (already accepted by `isIP`), or undefined. */
function parseIpv6Groups(text: string): number[] | undefined {
  if (isIP(text) !== 6 || text.includes("%")) return undefined;
  let s = text.toLowerCase();
  const tail: number[] = [];
  const lastColon = s.lastIndexOf(":");
  const last = s.slice(lastColon + 1);
  if (last.includes(".")) {
    const octets = last.split(".").map(Number);
    tail.push((octets[0]! << 8) | octets[1]!, (octets[2]! << 8) | octets[3]!);
    // Keep a trailing "::" (e.g. `::1.2.3.4`), drop a single separator colon.
    s = s.slice(0, lastColon + 1);
    if (!s.endsWith("::")) s = s.slice(0, -1);
  }
  const parseSide = (side: string): number[] =>
    side === "" ? [] : side.split(":").map((h) => parseInt(h, 16));
  const wanted = 8 - tail.length;
  let groups: number[];
  const dbl = s.indexOf("::");
  if (dbl >= 0) {
    const left = parseSide(s.slice(0, dbl));
    const right = parseSide(s.slice(dbl + 2));
    groups = [...left, ...new Array<number>(wanted - left.length - right.length).fill(0), ...right];
  } else {
    groups = parseSide(s);
  }
  groups.push(...tail);
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff)
    ? groups
    : undefined;
}

/** An address as an unsigned integer with its width in bits (32 or 128), or undefined. */
export function ipToBigInt(text: string): { bits: 32 | 128; value: bigint } | undefined {
  if (isIP(text) === 4) {
    return { bits: 32, value: text.split(".").reduce((acc, p) => (acc << 8n) | BigInt(p), 0n) };
  }
  const groups = parseIpv6Groups(text);
  if (groups === undefined) return undefined;
  return { bits: 128, value: groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n) };
}

/** True when `ip` lies in `network/prefix` (same family only). */
export function inCidr(ip: string, network: string, prefix: number): boolean {
  const a = ipToBigInt(ip);
  const n = ipToBigInt(network);
  if (a === undefined || n === undefined || a.bits !== n.bits || prefix < 0 || prefix > a.bits) return false;
  const shift = BigInt(a.bits - prefix);
  return a.value >> shift === n.value >> shift;
}

/**
 * The group an address shares with its neighbours for the per-subnet cap: the IPv4 /24
 * (`203.0.113.0/24`) or the IPv6 /48 (one site's allocation), as astram-node's peer limits.
 */
export function subnetOf(ip: string): string {
  const n = ipToBigInt(ip);
  if (n === undefined) return ip;
  const prefix = n.bits === 32 ? 24 : 48;
  const shift = BigInt(n.bits - prefix);
  return `${n.bits === 32 ? "v4" : "v6"}:${((n.value >> shift) << shift).toString(16)}/${prefix}`;
}
