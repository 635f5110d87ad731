// Addresses: seeds (`host:port`, `[ipv6]:port`), peer addresses as seen on the socket, and the
// raw IP bytes of provider contacts and route responses.
import { isIP, isIPv4, isIPv6 } from "node:net";
import { ConfigError, stringOption } from "../options.js";
import { InvalidAddressError } from "./errors.js";

export interface PeerAddress {
  /** IPv4 dotted quad or IPv6 text (an IPv4-mapped IPv6 address is stored as IPv4). */
  host: string;
  port: number;
}

/** Parses `host:port` or `[ipv6]:port` (host non-empty, port 1…65535 in decimal). */
export function parseSeed(text: string): PeerAddress {
  const t = text.trim();
  let host: string;
  let portText: string;
  if (t.startsWith("[")) {
    const close = t.indexOf("]");
    if (close < 0 || t[close + 1] !== ":") throw new InvalidAddressError(text, "expected [ipv6]:port");
    host = t.slice(1, close);
    portText = t.slice(close + 2);
    if (!isIPv6(host)) throw new InvalidAddressError(text, "not an IPv6 address inside the brackets");
  } else {
    const colon = t.lastIndexOf(":");
    if (colon < 0) throw new InvalidAddressError(text, "expected host:port");
    host = t.slice(0, colon);
    portText = t.slice(colon + 1);
    if (host.includes(":")) throw new InvalidAddressError(text, "an IPv6 host must be written [ipv6]:port");
  }
  if (host === "") throw new InvalidAddressError(text, "empty host");
  if (!/^\d{1,5}$/.test(portText)) throw new InvalidAddressError(text, "the port is not a decimal number");
  const port = Number(portText);
  if (port < 1 || port > 65_535) throw new InvalidAddressError(text, "the port is outside 1…65535");
  return { host: normalizeHost(host), port };
}

/** `::ffff:1.2.3.4` -> `1.2.3.4`; anything else unchanged. */
export function normalizeHost(host: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(host);
  return m !== null ? m[1]! : host;
}

/** The host to pass to a socket of the given family (IPv4 becomes IPv4-mapped on IPv6 sockets). */
export function socketHost(host: string, ipv6Socket: boolean): string {
  return ipv6Socket && isIPv4(host) ? `::ffff:${host}` : host;
}

export function addressKey(a: PeerAddress): string {
  return `${a.host}|${a.port}`;
}

export function sameAddress(a: PeerAddress, b: PeerAddress): boolean {
  return a.port === b.port && a.host === b.host;
}

export function isIpLiteral(host: string): boolean {
  return isIP(host) !== 0;
}

export function ipv4ToBytes(host: string): Uint8Array | null {
  if (!isIPv4(host)) return null;
  return Uint8Array.from(host.split(".").map(Number));
}

export function ipv4FromBytes(b: Uint8Array): string {
  return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
}

/** 16 bytes of an IPv6 address (IPv4 as IPv4-mapped), or null. */
export function ipv6ToBytes(host: string): Uint8Array | null {
  if (isIPv4(host)) {
    const out = new Uint8Array(16);
    out[10] = 0xff;
    out[11] = 0xff;
    out.set(ipv4ToBytes(host)!, 12);
    return out;
  }
  if (!isIPv6(host)) return null;
  let h = host.replace(/%.*$/, "");
  const lastColon = h.lastIndexOf(":");
  const tail = h.slice(lastColon + 1);
  if (tail.includes(".")) {
    const b = ipv4ToBytes(tail);
    if (b === null) return null;
    h = `${h.slice(0, lastColon + 1)}${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`;
  }
  let groups: string[];
  const dbl = h.indexOf("::");
  if (dbl >= 0) {
    const left = h.slice(0, dbl) === "" ? [] : h.slice(0, dbl).split(":");
    const right = h.slice(dbl + 2) === "" ? [] : h.slice(dbl + 2).split(":");
    groups = [...left, ...new Array<string>(8 - left.length - right.length).fill("0"), ...right];
  } else groups = h.split(":");
  if (groups.length !== 8) return null;
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const v = Number.parseInt(g, 16);
    out[2 * i] = v >> 8;
    out[2 * i + 1] = v & 0xff;
  });
  return out;
}

/** IPv6 text of 16 bytes (an IPv4-mapped address comes back as IPv4), zero run compressed. */
export function ipv6FromBytes(b: Uint8Array): string {
  const mapped = b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
  if (mapped) return ipv4FromBytes(b.subarray(12));
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[i]! << 8) | b[i + 1]!);
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestAt < 0) return hex.join(":");
  return `${hex.slice(0, bestAt).join(":")}::${hex.slice(bestAt + bestLen).join(":")}`;
}

/**
 * The network a host belongs to for the route's diversity caps: its /24 for IPv4 (`a.b.c`), its /64
 * for IPv6 (the first four groups, hex); the host itself when it is neither.
 */
export function subnetKey(host: string): string {
  if (isIPv4(host)) return host.slice(0, host.lastIndexOf("."));
  const b = ipv6ToBytes(host);
  return b === null ? host : Buffer.from(b.subarray(0, 8)).toString("hex");
}

/** Parses a list of host:port strings, naming the option and the entry in the error. */
export function seedList(key: string, value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ConfigError(key, "must be a list of host:port strings");
  return value.map((s: unknown, i) => {
    if (typeof s !== "string") throw new ConfigError(key, `entry ${i} is not a string (${typeof s})`);
    try {
      parseSeed(s);
    } catch (err) {
      throw new ConfigError(key, `entry ${i} ${JSON.stringify(s)}: ${(err as Error).message}`);
    }
    return s;
  });
}

/** A seed string (host:port) or null, naming the option in the error. */
export function seedOption(key: string, value: unknown, fallback: string | null): string | null {
  const s = stringOption({ [key]: value }, key, fallback);
  if (s === null) return null;
  try {
    parseSeed(s);
  } catch (err) {
    throw new ConfigError(key, `${JSON.stringify(s)}: ${(err as Error).message}`);
  }
  return s;
}
