// ROUTE_REQUEST / ROUTE_RESPONSE contents (facts §3.10). A request is one byte, the route id
// (0 = peer route, 1 = validation route). A response is a run of addresses, ip ‖ port(2, BE), where
// ip is 4 bytes when the exchange runs over IPv4 and 16 (IPv4-mapped for IPv4 hosts) over IPv6.
import { ipv4FromBytes, ipv4ToBytes, ipv6FromBytes, ipv6ToBytes, type PeerAddress } from "./address.js";
import { MessageDecodeError } from "./errors.js";

export const RouteId = { PEER: 0, VALIDATION: 1 } as const;
export type RouteId = (typeof RouteId)[keyof typeof RouteId];

export function encodeRouteRequest(route: RouteId): Uint8Array {
  return Uint8Array.of(route);
}

export function decodeRouteRequest(bytes: Uint8Array): RouteId {
  if (bytes.length !== 1) throw new MessageDecodeError(`route request of ${bytes.length} bytes`);
  const id = bytes[0]!;
  if (id !== RouteId.PEER && id !== RouteId.VALIDATION)
    throw new MessageDecodeError(`unknown route id ${id}`);
  return id;
}

/** Encodes the addresses that fit the family (IPv6 hosts are skipped in an IPv4 response). */
export function encodeRouteResponse(addresses: readonly PeerAddress[], family: 4 | 6): Uint8Array {
  const width = family === 4 ? 4 : 16;
  const parts: Uint8Array[] = [];
  for (const a of addresses) {
    const ip = family === 4 ? ipv4ToBytes(a.host) : ipv6ToBytes(a.host);
    if (ip === null) continue;
    const rec = new Uint8Array(width + 2);
    rec.set(ip, 0);
    rec[width] = a.port >> 8;
    rec[width + 1] = a.port & 0xff;
    parts.push(rec);
  }
  const out = new Uint8Array(parts.length * (width + 2));
  parts.forEach((p, i) => {
    out.set(p, i * (width + 2));
  });
  return out;
}

export function decodeRouteResponse(bytes: Uint8Array, family: 4 | 6): PeerAddress[] {
  const width = family === 4 ? 4 : 16;
  if (bytes.length % (width + 2) !== 0)
    throw new MessageDecodeError(
      `route response of ${bytes.length} bytes is not a run of ${width + 2}-byte records`,
    );
  const out: PeerAddress[] = [];
  for (let o = 0; o < bytes.length; o += width + 2) {
    const ip = bytes.subarray(o, o + width);
    const port = (bytes[o + width]! << 8) | bytes[o + width + 1]!;
    if (port === 0) continue;
    out.push({ host: family === 4 ? ipv4FromBytes(ip) : ipv6FromBytes(ip), port });
  }
  return out;
}
