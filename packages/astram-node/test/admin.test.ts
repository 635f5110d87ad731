import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import {
  type AdminEndpoint,
  AstramNode,
  type AttachedServices,
  attachServices,
  basicAuthorization,
  COOKIE_USER,
  callAdmin,
  cookiePath,
  createLogger,
  loadConfig,
  readCookie,
} from "astram-node";
import { afterEach, describe, expect, it } from "vitest";
import { tempDir } from "./helpers.js";
import { type Json, request } from "./service-helpers.js";

/** A devnet node with every service attachServices wires (admin included) on ephemeral ports. */
interface AdminTestNode {
  readonly node: AstramNode;
  readonly services: AttachedServices;
  readonly dir: string;
  /** host:port other nodes dial. */
  readonly p2p: string;
  readonly adminUrl: string;
  /** The endpoint as a client on this machine resolves it (cookie or password). */
  endpoint(): AdminEndpoint;
}

const running: AstramNode[] = [];
afterEach(async () => {
  for (const n of running.splice(0)) await n.stop();
});

async function startAdminNode(opts: {
  host: string;
  dir?: string;
  peers?: string[];
  password?: string;
  adminPort?: number;
}): Promise<AdminTestNode> {
  const dir = opts.dir ?? tempDir("astram-admin-");
  const { settings } = loadConfig({
    configFile: "/dev/null",
    env: {},
    flags: {
      NETWORK: "dev",
      DATA_DIR: dir,
      P2P_BIND_ADDR: opts.host,
      P2P_PORT: "0",
      HTTP_PORT: "0",
      ETH_RPC_PORT: "0",
      ADMIN_PORT: String(opts.adminPort ?? 0),
      ADMIN_PASSWORD: opts.password ?? "",
      BOOTSTRAP_PEERS: (opts.peers ?? []).join(","),
      ALLOW_PRIVATE_PEERS: "true",
      LOG_LEVEL: process.env.ASTRAM_TEST_LOG ?? "silent",
    },
  });
  const node = new AstramNode({ settings, log: createLogger(settings.logLevel) });
  const services = attachServices(node);
  await node.start();
  running.push(node);
  const admin = services.admin;
  return {
    node,
    services,
    dir,
    p2p: `${opts.host}:${services.p2p.port}`,
    adminUrl: admin.listening ? admin.url : "",
    endpoint: () => ({
      host: "127.0.0.1",
      port: admin.address.port,
      credentials: opts.password ? { user: "admin", password: opts.password } : readCookie(dir),
    }),
  };
}

async function stopAdminNode(t: AdminTestNode): Promise<void> {
  running.splice(running.indexOf(t.node), 1);
  await t.node.stop();
}

/** Polls an async condition; the loop is bounded by the count (about 30 s). */
async function eventually(what: string, fn: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A raw JSON-RPC exchange (status and body) with the given Authorization header. */
async function post(url: string, body: unknown, authorization?: string) {
  return request(url, { body, headers: authorization ? { authorization } : {} });
}

const call = (t: AdminTestNode, method: string, params: Record<string, unknown> | unknown[] = {}) =>
  callAdmin(t.endpoint(), method, params as Record<string, unknown>) as Promise<Json>;

/** The JSON-RPC error an admin call answers (it must fail). */
async function rpcError(
  t: AdminTestNode,
  method: string,
  params: unknown,
): Promise<{ code: number; message: string }> {
  const auth = basicAuthorization(t.endpoint().credentials);
  const { status, body } = await post(t.adminUrl, { jsonrpc: "2.0", id: 7, method, params }, auth);
  expect(status).toBe(200);
  expect(body.result).toBeUndefined();
  return body.error;
}

const B_HOST = "127.0.32.1";

describe("admin interface", () => {
  it("refuses requests without valid credentials with 401 and an empty body, before reading them", async () => {
    const a = await startAdminNode({ host: "127.0.31.1" });
    const req = { jsonrpc: "2.0", id: 1, method: "peers" };
    const cookie = readCookie(a.dir);
    const refusals = [
      undefined,
      basicAuthorization({ user: COOKIE_USER, password: "0".repeat(64) }),
      basicAuthorization({ user: "admin", password: cookie.password }),
      basicAuthorization({ user: COOKIE_USER, password: cookie.password.slice(0, 63) }),
      `Bearer ${cookie.password}`,
      "Basic !!!",
    ];
    for (const authorization of refusals) {
      const r = await post(a.adminUrl, req, authorization);
      expect(r.status, String(authorization)).toBe(401);
      expect(r.text).toBe("");
      expect(r.headers.get("www-authenticate")).toMatch(/^Basic /);
    }
    // A body over the limit is refused as unauthenticated (never read) …
    const big = { ...req, params: ["x".repeat(200_000)] };
    expect((await post(a.adminUrl, big)).status).toBe(401);
    // … and as too large once authenticated.
    const tooLarge = await post(a.adminUrl, big, basicAuthorization(cookie));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error.message).toMatch(/too large/);
    const ok = await post(a.adminUrl, req, basicAuthorization(cookie));
    expect(ok.status).toBe(200);
    expect(ok.body.result).toEqual([]);
    // The admin interface is not the HTTP API: the API port does not answer admin calls.
    const api = await post(a.services.http.url, req, basicAuthorization(cookie));
    expect(api.body?.result).toBeUndefined();
  });

  it("writes the .cookie with mode 0600 at start, a new one each start, and removes it on stop", async () => {
    const dir = tempDir("astram-admin-");
    const a = await startAdminNode({ host: "127.0.31.2", dir });
    const path = cookiePath(dir);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const text = readFileSync(path, "utf8");
    expect(text).toMatch(/^__cookie__:[0-9a-f]{64}$/);
    await stopAdminNode(a);
    expect(existsSync(path)).toBe(false);
    const again = await startAdminNode({ host: "127.0.31.2", dir });
    expect(readFileSync(path, "utf8")).not.toBe(text);
    expect(await call(again, "peers")).toEqual([]);
  });

  it("uses ADMIN_PASSWORD instead of a cookie when set (bare password = user admin), removing a stale cookie", async () => {
    const dir = tempDir("astram-admin-");
    writeFileSync(cookiePath(dir), `__cookie__:${"ab".repeat(32)}`);
    const a = await startAdminNode({ host: "127.0.31.3", dir, password: "correct horse" });
    expect(existsSync(cookiePath(dir))).toBe(false);
    expect((await call(a, "status")).network).toBe("devnet");
    const wrong = basicAuthorization({ user: "root", password: "correct horse" });
    expect((await post(a.adminUrl, { jsonrpc: "2.0", id: 1, method: "status" }, wrong)).status).toBe(401);
  });

  it("keeps the node running without its admin interface when the port is taken, and writes no cookie", async () => {
    const squatter = createServer();
    await new Promise<void>((r) => squatter.listen(0, "127.0.0.1", r));
    try {
      const port = (squatter.address() as { port: number }).port;
      const a = await startAdminNode({ host: "127.0.31.6", adminPort: port });
      expect(a.services.admin.listening).toBe(false);
      expect(existsSync(cookiePath(a.dir))).toBe(false);
      expect(a.services.p2p.port).toBeGreaterThan(0);
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  });

  it("refuses an ADMIN_PORT shared with a public service", () => {
    const flags = { NETWORK: "dev", HTTP_PORT: "20001", ADMIN_PORT: "20001" };
    expect(() => loadConfig({ configFile: "/dev/null", env: {}, flags })).toThrow(
      /ADMIN_PORT: 20001 is also HTTP_PORT/,
    );
    const defaults = loadConfig({ configFile: "/dev/null", env: {}, flags: { NETWORK: "dev" } }).settings;
    expect([defaults.adminBindAddr, defaults.adminPort, defaults.adminPassword]).toEqual([
      "127.0.0.1",
      19536,
      undefined,
    ]);
    const main = loadConfig({ configFile: "/dev/null", env: {}, flags: { NETWORK: "main" } }).settings;
    expect(main.adminPort).toBe(19534);
    expect(() =>
      loadConfig({ configFile: "/dev/null", env: { ASTRAM_ADMIN_PASSWORD: "ops:" }, flags: {} }),
    ).toThrow(/ADMIN_PASSWORD: the password is empty/);
  });

  it("controls a node with a real peer: peers, addresses, ban (persisted across restart), unban, disconnect, removepeer", async () => {
    const dirA = tempDir("astram-admin-");
    let a = await startAdminNode({ host: "127.0.31.4", dir: dirA });
    const b = await startAdminNode({ host: B_HOST, peers: [a.p2p] });

    const inboundB = async () =>
      ((await call(a, "peers")) as Json[]).find((p) => p.remote.startsWith(`${B_HOST}:`) && p.handshakeDone);
    await eventually("B connected to A", async () => (await inboundB()) !== undefined);
    const peer = await inboundB();
    expect(peer).toMatchObject({ direction: "inbound", address: b.p2p, height: 1, banScore: 0 });
    expect(peer.bytesReceived).toBeGreaterThan(0);
    expect(peer.bytesSent).toBeGreaterThan(0);
    expect(Array.isArray(peer.features)).toBe(true);
    expect(peer.connectedAt).toBeLessThanOrEqual(Date.now());
    expect(await call(a, "getpeerinfo")).toHaveLength(1);

    const status = await call(a, "status");
    expect(status).toMatchObject({
      network: "devnet",
      height: 0,
      peers: 1,
      inbound: 1,
      outbound: 0,
      bans: 0,
    });
    expect(status.tip).toBe(a.node.chain.tip.hash);

    // B's address book holds A (from its configuration), seen.
    const book = (await call(b, "addresses")) as Json[];
    expect(book.find((e) => e.address === a.p2p).lastSeen).toBeGreaterThan(0);

    // ban: B is dropped at once, listed, and refused.
    const banned = await call(a, "ban", { ip: B_HOST, seconds: 3600, reason: "admin test" });
    expect(banned).toMatchObject({ ip: B_HOST, reason: "admin test" });
    expect(banned.until - banned.createdAt).toBe(3_600_000);
    await eventually("B dropped", async () => (await inboundB()) === undefined);
    expect(await call(a, "listbans")).toEqual([banned]);
    expect(await call(a, "bans")).toEqual([banned]);
    expect(await call(a, "addpeer", { address: b.p2p })).toEqual({
      address: b.p2p,
      connected: false,
      reason: "banned",
    });

    // The ban survives a restart (bans.json).
    await stopAdminNode(a);
    a = await startAdminNode({ host: "127.0.31.4", dir: dirA });
    expect(await call(a, "bans")).toEqual([banned]);
    expect((await call(a, "addpeer", [b.p2p])).connected).toBe(false);

    // unban lifts it: A can dial B again.
    expect(await call(a, "unban", { ip: B_HOST })).toEqual({ ip: B_HOST, lifted: true });
    expect(await call(a, "unban", { ip: B_HOST })).toEqual({ ip: B_HOST, lifted: false });
    expect(await call(a, "bans")).toEqual([]);
    expect(await call(a, "addpeer", { address: b.p2p })).toMatchObject({ address: b.p2p, connected: true });
    const outbound = async () =>
      ((await call(a, "peers")) as Json[]).find((p) => p.address === b.p2p && p.handshakeDone);
    await eventually("A connected to B", async () => (await outbound()) !== undefined);
    expect((await outbound()).direction).toBe("outbound");
    expect(((await call(a, "addresses")) as Json[]).map((e) => e.address)).toContain(b.p2p);

    // disconnect by IP.
    const d = await call(a, "disconnect", { target: B_HOST });
    expect(d.target).toBe(B_HOST);
    expect(d.disconnected).toBeGreaterThanOrEqual(1);
    expect(await call(a, "disconnect", { target: "203.0.113.77" })).toEqual({
      target: "203.0.113.77",
      disconnected: 0,
    });

    // removepeer forgets the address.
    expect(await call(a, "removepeer", { address: b.p2p })).toEqual({ address: b.p2p, removed: true });
    expect(((await call(a, "addresses")) as Json[]).map((e) => e.address)).not.toContain(b.p2p);

    // clearbans lifts every ban.
    await call(a, "ban", { ip: "203.0.113.1" });
    await call(a, "ban", ["2001:db8::1", 60]);
    expect(((await call(a, "bans")) as Json[]).map((e) => e.ip).sort()).toEqual([
      "2001:db8::1",
      "203.0.113.1",
    ]);
    expect(await call(a, "clearbans")).toEqual({ lifted: 2 });
    expect(await call(a, "bans")).toEqual([]);
  }, 90_000);

  it("answers bad parameters with -32602 and the reason, and changes nothing; notifications and batches", async () => {
    const a = await startAdminNode({ host: "127.0.31.5" });
    const cases: [string, unknown, RegExp][] = [
      ["ban", { ip: "1.2.3" }, /ip: expected an IPv4 or IPv6 address/],
      ["ban", { ip: "10.0.0.1", seconds: 0 }, /seconds: expected whole seconds/],
      ["ban", { ip: "10.0.0.1", seconds: 1.5 }, /seconds: expected whole seconds/],
      ["ban", { ip: "10.0.0.1", seconds: "3600" }, /seconds: expected whole seconds/],
      ["ban", { ip: "10.0.0.1", reason: "x".repeat(201) }, /reason: expected a non-empty string/],
      ["ban", { ip: "10.0.0.1", hours: 1 }, /unknown parameter "hours"/],
      ["ban", {}, /missing parameter "ip"/],
      ["ban", ["10.0.0.1", 60, "r", "extra"], /expected parameters ip, seconds, reason, got 4 values/],
      ["unban", { ip: 42 }, /ip: expected an IPv4 or IPv6 address/],
      ["addpeer", { address: "nope" }, /address: not host:port/],
      ["addpeer", { address: "10.0.0.1:70000" }, /address: /],
      ["removepeer", {}, /missing parameter "address"/],
      ["disconnect", { target: "" }, /target: expected a non-empty string/],
      ["peers", { verbose: true }, /unknown parameter "verbose"/],
    ];
    for (const [method, params, message] of cases) {
      const err = await rpcError(a, method, params);
      expect(err.code, `${method} ${JSON.stringify(params)}`).toBe(-32602);
      expect(err.message).toMatch(message);
    }
    expect((await rpcError(a, "stop", [])).code).toBe(-32601);
    expect(await call(a, "bans")).toEqual([]);
    expect(await call(a, "addresses")).toEqual([]);
    expect(existsSync(join(a.dir, "bans.json"))).toBe(false);
    // A notification (no id) is carried out and answered with nothing; a batch answers each call.
    const auth = basicAuthorization(a.endpoint().credentials);
    const note = await post(a.adminUrl, { jsonrpc: "2.0", method: "addpeer", params: ["127.0.0.1:1"] }, auth);
    expect(note.status).toBe(204);
    const batch = await post(
      a.adminUrl,
      [
        { jsonrpc: "2.0", id: 1, method: "clearbans" },
        { jsonrpc: "2.0", id: 2, method: "ban", params: { ip: "x" } },
      ],
      auth,
    );
    expect(batch.body.map((r: Json) => [r.id, r.result, r.error?.code])).toEqual([
      [1, { lifted: 0 }, undefined],
      [2, undefined, -32602],
    ]);
    await eventually("the notified addpeer in the address book", async () =>
      ((await call(a, "addresses")) as Json[]).some((e) => e.address === "127.0.0.1:1"),
    );
  });
});
