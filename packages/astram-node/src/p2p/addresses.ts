import { isIP } from "node:net";

/** A peer endpoint. Hosts are IP literals (IPv4 dotted, IPv6 without brackets). */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

/** "1.2.3.4:8335" or "[::1]:8335". */
export function formatEndpoint(e: Endpoint): string {
  return isIP(e.host) === 6 ? `[${e.host}]:${e.port}` : `${e.host}:${e.port}`;
}

/** Parses "host:port" / "[v6]:port"; throws TypeError on anything else. */
export function parseEndpoint(text: string): Endpoint {
  const m = /^\[([0-9a-fA-F:.]+)\]:(\d{1,5})$/.exec(text) ?? /^([^:[\]]+):(\d{1,5})$/.exec(text);
  if (!m) throw new TypeError(`not host:port: "${text}"`);
  const port = Number(m[2]);
  if (port < 1 || port > 65535) throw new TypeError(`bad port in "${text}"`);
  return { host: normalizeIp(m[1]!), port };
}

/** IPv4-mapped IPv6 ("::ffff:1.2.3.4") becomes plain IPv4; IPv6 is lowercased. */
export function normalizeIp(host: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(host);
  if (mapped) return mapped[1]!;
  return host.toLowerCase();
}

function expandIpv6(ip: string): number[] {
  const [head, tail] = ip.includes("::") ? ip.split("::") : [ip, undefined];
  const parse = (s: string | undefined) => (s ? s.split(":").map((x) => Number.parseInt(x, 16) || 0) : []);
  const h = parse(head);
  const t = parse(tail);
  return [...h, ...new Array(Math.max(0, 8 - h.length - t.length)).fill(0), ...t];
}

/** The /24 group of an IPv4 address (the /48 for IPv6): peers in one group count together. */
export function subnet24(ip: string): string {
  if (isIP(ip) === 4) return ip.split(".").slice(0, 3).join(".");
  return `v6:${expandIpv6(ip).slice(0, 3).join(":")}`;
}

/** The /16 group of an IPv4 address (the /32 for IPv6). */
export function subnet16(ip: string): string {
  if (isIP(ip) === 4) return ip.split(".").slice(0, 2).join(".");
  return `v6:${expandIpv6(ip).slice(0, 2).join(":")}`;
}

export function isLoopback(ip: string): boolean {
  return ip === "::1" || (isIP(ip) === 4 && ip.startsWith("127.")) || ip === "localhost";
}

/** Loopback, RFC 1918, link-local, CGNAT-free private ranges and IPv6 ULA/link-local. */
export function isPrivate(ip: string): boolean {
  if (isLoopback(ip)) return true;
  if (isIP(ip) === 4) {
    const [a, b] = ip.split(".").map(Number) as [number, number];
    return (
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      a === 0
    );
  }
  const first = expandIpv6(ip)[0]!;
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || ip === "::";
}
