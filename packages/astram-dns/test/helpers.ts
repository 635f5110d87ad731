import { connect, createServer, type Server } from "node:net";
import { createDnsServer, type DnsServer, type DnsServerOptions, type Logger } from "../src/index.js";

/** A logger that keeps every record, for asserting on events. */
export function recordingLogger(): Logger & {
  records: Record<string, unknown>[];
  events(name: string): number;
} {
  const records: Record<string, unknown>[] = [];
  const at =
    (level: string) =>
    (obj: object, msg?: string): void => {
      records.push({ level, ...obj, msg });
    };
  return {
    records,
    events: (name) => records.filter((r) => r.event === name).length,
    error: at("error"),
    warn: at("warn"),
    info: at("info"),
    debug: at("debug"),
  };
}

export interface Running {
  server: DnsServer;
  url: string;
  logger: ReturnType<typeof recordingLogger>;
}

const running: DnsServer[] = [];

/** Starts a server on 127.0.0.1, port 0, with no background health checks unless asked. */
export async function startDns(options: DnsServerOptions = {}): Promise<Running> {
  const logger = recordingLogger();
  const server = createDnsServer({ host: "127.0.0.1", port: 0, healthInterval: 0, logger, ...options });
  running.push(server);
  const info = await server.start();
  return { server, url: info.url, logger };
}

export async function stopAll(): Promise<void> {
  await Promise.all(running.splice(0).map((s) => s.stop()));
}

/** A real TCP listener standing in for a node's P2P port. */
export async function listener(host = "127.0.0.1"): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port that nothing listens on (bound once, then released). */
export async function closedPort(): Promise<number> {
  const l = await listener();
  await l.close();
  return l.port;
}

export interface JsonReply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

export async function getJson(url: string): Promise<JsonReply> {
  const res = await fetch(url);
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<JsonReply> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

/** Polls `check` until it returns true; fails after `timeoutMs` (a safety net, not a timing assertion). */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not reached");
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function ipv6Available(): Promise<boolean> {
  try {
    const l = await listener("::1");
    await l.close();
    return true;
  } catch {
    return false;
  }
}

/** Sends raw bytes to the server and returns everything it answers until it closes. */
export function rawRequest(url: string, text: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname.replace(/^\[|\]$/g, ""));
    let data = "";
    socket.on("data", (d) => {
      data += d.toString("latin1");
    });
    socket.on("error", reject);
    socket.on("close", () => resolve(data));
    socket.on("connect", () => socket.write(text));
  });
}
