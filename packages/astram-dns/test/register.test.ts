import { afterEach, describe, expect, it } from "vitest";
import type { ProbeFn } from "../src/index.js";
import { closedPort, getJson, ipv6Available, postJson, startDns, stopAll } from "./helpers.js";
import { p2pStandIn } from "./p2p-stand-in.js";

afterEach(stopAll);

const body = (port: number, extra: Record<string, unknown> = {}) => ({
  port,
  version: "0.1.0",
  height: 7,
  ...extra,
});

describe("POST /register", () => {
  it("accepts a node that completes the P2P handshake, with the facts' response fields", async () => {
    const { url, logger } = await startDns({ allowPrivate: true });
    const p2p = await p2pStandIn({ height: 42 });
    const reply = await postJson(`${url}/register`, body(p2p.port));
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      success: true,
      message: `Node 127.0.0.1:${p2p.port} registered successfully and is reachable`,
      node_count: 1,
      registered_address: "127.0.0.1",
      registered_port: p2p.port,
    });
    expect(logger.events("registered")).toBe(1);
    const { body: list } = await getJson(`${url}/nodes`);
    expect(list.count).toBe(1);
    const [n] = list.nodes as Record<string, unknown>[];
    expect(n).toMatchObject({
      address: "127.0.0.1",
      port: p2p.port,
      version: "0.1.0",
      height: 42, // the handshake's height; the body's 7 is ignored
      uptime_hours: 0,
    });
    expect(n!.first_seen).toBe(n!.last_seen);
    expect(p2p.handshakes).toBe(1);
    await p2p.close();
  });

  it("accepts a body address equal to the source, keeps first_seen on re-registration", async () => {
    let t = 1_800_000_000_000;
    const { url } = await startDns({ allowPrivate: true, now: () => t });
    const p2p = await p2pStandIn({ height: 7 });
    expect((await postJson(`${url}/register`, body(p2p.port, { address: "127.0.0.1" }))).status).toBe(200);
    t += 1_800_000;
    p2p.height = 9;
    const again = await postJson(`${url}/register`, body(p2p.port, { height: 1_000_000 }));
    expect(again.body).toMatchObject({ success: true, node_count: 1 });
    const [n] = (await getJson(`${url}/nodes`)).body.nodes as Record<string, number>[];
    expect(n).toMatchObject({
      height: 9,
      first_seen: 1_800_000_000,
      last_seen: 1_800_001_800,
      uptime_hours: 0.5,
    });
    await p2p.close();
  });

  it.each([
    [{ address: "not-an-ip" }, 400, "INVALID_ADDRESS", "Invalid node IP address"],
    [{ address: "999.1.1.1" }, 400, "INVALID_ADDRESS", "Invalid node IP address"],
    [{ address: 12 }, 400, "INVALID_ADDRESS", "Invalid node IP address"],
    [{ port: 0 }, 400, "INVALID_PORT", "Invalid node port"],
    [{ port: 65536 }, 400, "INVALID_PORT", "Invalid node port"],
    [{ port: "8335" }, 400, "INVALID_PORT", "Invalid node port"],
    [{ port: 1.5 }, 400, "INVALID_PORT", "Invalid node port"],
    [{ version: "" }, 400, "INVALID_BODY", "version"],
    [{ version: "x".repeat(65) }, 400, "INVALID_BODY", "version"],
    [{ height: -1 }, 400, "INVALID_BODY", "height"],
    [{ height: 2 ** 60 }, 400, "INVALID_BODY", "height"],
    [{ address: "8.8.8.8" }, 403, "ADDRESS_MISMATCH", "source address 127.0.0.1"],
  ])("refuses %j", async (extra, status, code, message) => {
    const { url } = await startDns({ allowPrivate: true });
    const p2p = await p2pStandIn();
    const reply = await postJson(`${url}/register`, body(p2p.port, extra));
    expect(reply.status).toBe(status);
    expect(reply.body).toMatchObject({
      success: false,
      code,
      node_count: 0,
      registered_address: "127.0.0.1",
    });
    expect(reply.body.message).toContain(message);
    expect((await getJson(`${url}/stats`)).body.node_count).toBe(0);
    await p2p.close();
  });

  it("refuses a loopback (private) address without --allow-private", async () => {
    const { url } = await startDns();
    const p2p = await p2pStandIn();
    const reply = await postJson(`${url}/register`, body(p2p.port));
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({
      success: false,
      code: "ADDRESS_NOT_PUBLIC",
      message: "Node IP is not publicly reachable",
      registered_port: p2p.port,
    });
    await p2p.close();
  });

  it("refuses a port nothing listens on", async () => {
    const { url, logger } = await startDns({ allowPrivate: true });
    const reply = await postJson(`${url}/register`, body(await closedPort()));
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({
      code: "PORT_UNREACHABLE",
      message: "Node port is not reachable from DNS server",
    });
    expect(logger.records.some((r) => r.event === "register_rejected" && r.code === "PORT_UNREACHABLE")).toBe(
      true,
    );
  });

  it("refuses oversized bodies with 413, declared or streamed", async () => {
    const { url } = await startDns({ allowPrivate: true, bodyLimit: 256 });
    const big = JSON.stringify(body(1, { pad: "x".repeat(1000) }));
    const declared = await postJson(`${url}/register`, big);
    expect(declared.status).toBe(413);
    expect(declared.body).toMatchObject({ success: false, code: "BODY_TOO_LARGE" });
    const chunks = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < chunks.length; i += 100) c.enqueue(chunks.slice(i, i + 100));
        c.close();
      },
    });
    const res = await fetch(`${url}/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: "BODY_TOO_LARGE" });
  });

  it("refuses other media types with 415", async () => {
    const { url } = await startDns({ allowPrivate: true });
    const res = await fetch(`${url}/register`, { method: "POST", body: JSON.stringify(body(1)) });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ code: "UNSUPPORTED_MEDIA_TYPE" });
  });

  it("rate-limits registrations per source IP with a 429 JSON error and Retry-After", async () => {
    let t = 1_800_000_000_000;
    const { url } = await startDns({ allowPrivate: true, registerRate: 3, now: () => t });
    const port = await closedPort();
    for (let i = 0; i < 3; i++) expect((await postJson(`${url}/register`, body(port))).status).toBe(400);
    const limited = await postJson(`${url}/register`, body(port));
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("60");
    expect(limited.body).toMatchObject({ success: false, code: "RATE_LIMITED", retry_after: 60 });
    expect(limited.body.message).toContain("at most 3 per minute");
    // Reading is not a registration.
    expect((await getJson(`${url}/nodes`)).status).toBe(200);
    t += 60_000;
    expect((await postJson(`${url}/register`, body(port))).status).toBe(400);
  });

  it("rate-limits all requests per source IP", async () => {
    const { url } = await startDns({ requestRate: 2 });
    expect((await getJson(`${url}/health`)).status).toBe(200);
    expect((await getJson(`${url}/stats`)).status).toBe(200);
    const limited = await getJson(`${url}/nodes`);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ success: false, code: "RATE_LIMITED" });
  });

  it("limits ports per IP and the registry size", async () => {
    const ok: ProbeFn = async () => ({ ok: true, latencyMs: 1, height: 1 });
    const perIp = await startDns({ allowPrivate: true, probe: ok, maxNodesPerIp: 2 });
    expect((await postJson(`${perIp.url}/register`, body(1))).status).toBe(200);
    expect((await postJson(`${perIp.url}/register`, body(2))).status).toBe(200);
    expect((await postJson(`${perIp.url}/register`, body(1))).status).toBe(200); // refresh is fine
    const third = await postJson(`${perIp.url}/register`, body(3));
    expect(third.status).toBe(403);
    expect(third.body.code).toBe("TOO_MANY_NODES_FOR_IP");
    const full = await startDns({ allowPrivate: true, probe: ok, maxNodes: 1 });
    expect((await postJson(`${full.url}/register`, body(1))).status).toBe(200);
    const refused = await postJson(`${full.url}/register`, body(2));
    expect(refused.status).toBe(503);
    expect(refused.body.code).toBe("REGISTRY_FULL");
  });

  it("limits endpoints per IPv4 /24 (a different /24 is still accepted)", async () => {
    const probed: string[] = [];
    const probe: ProbeFn = async (address, port) => {
      probed.push(`${address}:${port}`);
      return { ok: true, latencyMs: 5, height: 1 };
    };
    const { url } = await startDns({ probe, trustProxy: ["127.0.0.1"], maxNodesPerSubnet: 2 });
    const from = (ip: string, port = 8335) =>
      postJson(`${url}/register`, body(port), { "x-forwarded-for": ip });
    expect((await from("8.8.8.1")).status).toBe(200);
    expect((await from("8.8.8.2")).status).toBe(200);
    expect((await from("8.8.8.2")).status).toBe(200); // a refresh is not a new entry
    const third = await from("8.8.8.3");
    expect(third.status).toBe(403);
    expect(third.body).toMatchObject({ code: "TOO_MANY_NODES_FOR_SUBNET", registered_address: "8.8.8.3" });
    expect(third.body.message).toContain("/24");
    expect((await from("8.8.9.1")).status).toBe(200);
    expect(probed).toEqual(["8.8.8.1:8335", "8.8.8.2:8335", "8.8.8.2:8335", "8.8.9.1:8335"]);
  });

  it("uses X-Forwarded-For only from a trusted proxy", async () => {
    const probed: string[] = [];
    // A recording probe: no packet leaves this machine for the public addresses below.
    const probe: ProbeFn = async (address, port) => {
      probed.push(`${address}:${port}`);
      return { ok: true, latencyMs: 5, height: 1 };
    };
    const untrusted = await startDns({ probe });
    const ignored = await postJson(`${untrusted.url}/register`, body(8335), { "x-forwarded-for": "8.8.8.8" });
    expect(ignored.body).toMatchObject({ code: "ADDRESS_NOT_PUBLIC", registered_address: "127.0.0.1" });

    const { url } = await startDns({ probe, trustProxy: ["127.0.0.1"] });
    const ok = await postJson(`${url}/register`, body(8335, { address: "8.8.8.8" }), {
      "x-forwarded-for": "8.8.8.8",
    });
    expect(ok.body).toMatchObject({ success: true, registered_address: "8.8.8.8", registered_port: 8335 });
    expect(probed).toEqual(["8.8.8.8:8335"]);
    const priv = await postJson(`${url}/register`, body(8335), { "x-forwarded-for": "10.1.2.3" });
    expect(priv.body).toMatchObject({ code: "ADDRESS_NOT_PUBLIC", registered_address: "10.1.2.3" });
    const forged = await postJson(`${url}/register`, body(8335, { address: "1.1.1.1" }), {
      "x-forwarded-for": "9.9.9.9",
    });
    expect(forged.body).toMatchObject({ code: "ADDRESS_MISMATCH", registered_address: "9.9.9.9" });
    expect(probed).toEqual(["8.8.8.8:8335"]);
  });

  it("handles IPv6: a node on ::1 registers as ::1, an IPv4 client of a dual-stack server as IPv4", async (ctx) => {
    if (!(await ipv6Available())) ctx.skip();
    const v6 = await startDns({ host: "::1", allowPrivate: true });
    expect(v6.url).toMatch(/^http:\/\/\[::1\]:\d+$/);
    const p2p6 = await p2pStandIn({ host: "::1" });
    const reply = await postJson(`${v6.url}/register`, body(p2p6.port, { address: "0:0:0:0:0:0:0:1" }));
    expect(reply.body).toMatchObject({
      success: true,
      registered_address: "::1",
      message: `Node [::1]:${p2p6.port} registered successfully and is reachable`,
    });
    const dual = await startDns({ host: "::", allowPrivate: true });
    const p2p4 = await p2pStandIn();
    const port = new URL(dual.url).port;
    const r4 = await postJson(`http://127.0.0.1:${port}/register`, body(p2p4.port));
    expect(r4.body).toMatchObject({ success: true, registered_address: "127.0.0.1" });
    await Promise.all([p2p6.close(), p2p4.close()]);
  });
});
