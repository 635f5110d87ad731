/**
 * The astram-node log lines the simulator reads (pino JSON on stdout), turned into typed events.
 * Pure: one line in, one event (or nothing) out.
 */
export type NodeLogEvent =
  | { readonly kind: "p2p-listening"; readonly at: number; readonly port: number }
  | { readonly kind: "http-listening"; readonly at: number; readonly url: string }
  /** A new best tip; `hashes` are the blocks it connected, oldest first (just the tip when unknown). */
  | {
      readonly kind: "new-tip";
      readonly at: number;
      readonly height: number;
      readonly hashes: readonly string[];
    }
  | { readonly kind: "side-branch"; readonly at: number; readonly height: number; readonly hash: string }
  | { readonly kind: "reorg"; readonly at: number; readonly disconnected: number }
  | { readonly kind: "misbehaved"; readonly at: number; readonly peer: string; readonly why: string }
  | { readonly kind: "banned"; readonly at: number; readonly peer: string; readonly ip: string }
  | { readonly kind: "fatal"; readonly at: number; readonly message: string };

type Fields = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

export function parseNodeLogLine(line: string): NodeLogEvent | undefined {
  if (!line.startsWith("{")) return undefined;
  let f: Fields;
  try {
    f = JSON.parse(line) as Fields;
  } catch {
    return undefined;
  }
  const at = Date.parse(str(f.time) ?? "");
  if (!Number.isFinite(at)) return undefined;
  switch (f.msg) {
    case "P2P listening": {
      const port = num(f.port);
      return port === undefined ? undefined : { kind: "p2p-listening", at, port };
    }
    case "HTTP API and dashboard listening": {
      const url = str(f.url);
      return url === undefined ? undefined : { kind: "http-listening", at, url };
    }
    case "new tip": {
      const height = num(f.height);
      const hash = str(f.hash);
      if (height === undefined || hash === undefined) return undefined;
      const connected = Array.isArray(f.connected)
        ? f.connected.filter((h): h is string => typeof h === "string")
        : [];
      return { kind: "new-tip", at, height, hashes: connected.length > 0 ? connected : [hash] };
    }
    case "block stored on a side branch": {
      const height = num(f.height);
      const hash = str(f.hash);
      return height === undefined || hash === undefined
        ? undefined
        : { kind: "side-branch", at, height, hash };
    }
    case "chain reorganized":
      return { kind: "reorg", at, disconnected: num(f.disconnected) ?? 0 };
    case "peer misbehaved":
      return { kind: "misbehaved", at, peer: str(f.peer) ?? "", why: str(f.why) ?? "" };
    case "peer banned": {
      const ip = str(f.ip);
      return ip === undefined ? undefined : { kind: "banned", at, peer: str(f.peer) ?? "", ip };
    }
    default:
      if ((num(f.level) ?? 0) >= 60) return { kind: "fatal", at, message: str(f.msg) ?? "fatal error" };
      return undefined;
  }
}
