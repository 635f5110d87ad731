import type { AddressEntry, BanEntry, PeerDetails } from "../p2p/peer-control.js";
import { formatBytes, formatSpan } from "./human-units.js";
import { renderTable } from "./text-table.js";

/** How `astram-node <command>` prints each admin result for a reader (`--json` prints it raw). */

const ageSince = (ms: number, now: number) => formatSpan((now - ms) / 1000);

export function peersView(peers: readonly PeerDetails[], now = Date.now()): string {
  if (peers.length === 0) return "no peers connected";
  return renderTable(
    ["ID", "ADDRESS", "DIR", "HEIGHT", "BAN", "SENT", "RECEIVED", "PING", "CONNECTED", "FEATURES", "VERSION"],
    peers.map((p) => [
      p.id,
      p.address,
      p.direction === "inbound" ? "in" : "out",
      String(p.height),
      String(p.banScore),
      formatBytes(p.bytesSent),
      formatBytes(p.bytesReceived),
      p.pingMs === null ? "-" : `${Math.round(p.pingMs)} ms`,
      p.handshakeDone ? ageSince(p.connectedAt, now) : "handshaking",
      p.features.length === 0 ? "-" : p.features.join(","),
      p.version || "-",
    ]),
    ["HEIGHT", "BAN", "SENT", "RECEIVED", "PING"],
  );
}

export function bansView(bans: readonly BanEntry[], now = Date.now()): string {
  if (bans.length === 0) return "no bans";
  return renderTable(
    ["IP", "EXPIRES IN", "UNTIL (UTC)", "REASON"],
    [...bans]
      .sort((a, b) => a.until - b.until)
      .map((b) => [b.ip, formatSpan((b.until - now) / 1000), new Date(b.until).toISOString(), b.reason]),
  );
}

export function addressesView(addresses: readonly AddressEntry[], now = Date.now()): string {
  if (addresses.length === 0) return "the address book is empty";
  return renderTable(
    ["ADDRESS", "SOURCE", "LAST SEEN", "LAST TRIED", "FAILURES"],
    addresses.map((a) => [
      a.address,
      a.source,
      a.lastSeen === 0 ? "never" : `${ageSince(a.lastSeen, now)} ago`,
      a.lastAttempt === 0 ? "never" : `${ageSince(a.lastAttempt, now)} ago`,
      String(a.failures),
    ]),
    ["FAILURES"],
  );
}

/** `status`: one "key: value" per line, keys aligned. */
export function statusView(status: Readonly<Record<string, unknown>>): string {
  const width = Math.max(...Object.keys(status).map((k) => k.length));
  return Object.entries(status)
    .map(([k, v]) => `${`${k}:`.padEnd(width + 1)} ${String(v)}`)
    .join("\n");
}
