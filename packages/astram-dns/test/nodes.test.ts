import { afterEach, describe, expect, it } from "vitest";
import type { NodeInfo, ProbeFn } from "../src/index.js";
import { getJson, postJson, rawRequest, startDns, stopAll } from "./helpers.js";

afterEach(stopAll);

/** Fake P2P ports: the probe answers with the latency and handshake height the test chose for each port. */
function fakeNet(latencies: Record<number, number>, heights: Record<number, number> = {}): ProbeFn {
  return async (_address, port) => {
    const latencyMs = latencies[port];
    return latencyMs === undefined
      ? { ok: false, failure: "unreachable", reason: "ECONNREFUSED" }
      : { ok: true, latencyMs, height: heights[port] ?? 5 };
  };
}

describe("GET /nodes and /stats", () => {
  it("filters by min_height, orders by the 0.3/0.2/0.5 server score, truncates to limit", async () => {
    let t = 1_800_000_000_000;
    const probe = fakeNet({ 1: 10, 2: 10, 3: 2900, 4: 10 }, { 1: 100, 2: 50, 3: 100, 4: 10 });
    const { url } = await startDns({ allowPrivate: true, probe, maxNodesPerIp: 16, now: () => t });
    // Heights come from the probe's handshake; the body's claim (0 here) is ignored.
    const reg = (port: number, version = "0.1.0") =>
      postJson(`${url}/register`, { port, height: 0, version });
    await reg(1); // tallest, fast, fresh
    await reg(2); // fast, fresh
    await reg(3, "0.2.0"); // tallest but its probe took almost the whole timeout
    t += 1_800_000; // half the lease passes for the first three
    await reg(4);

    const all = (await getJson(`${url}/nodes`)).body;
    expect(all.count).toBe(4);
    // Height reference: lower median 50 + 6 = 56 (the two 100s count as 56). Probe timeout 3 s,
    // max age 3600 s, uptime 0 for all:
    // 1: 0.3*1 + 0.5*(0.5 + 0.9967)/2 = 0.674;      2: 0.3*50/56 + 0.374 = 0.642
    // 3: 0.3 + 0.5*(0.5 + 0.0333)/2 = 0.433;         4: 0.3*10/56 + 0.5*(1 + 0.9967)/2 = 0.553
    expect((all.nodes as NodeInfo[]).map((n) => n.port)).toEqual([1, 2, 4, 3]);

    const tall = (await getJson(`${url}/nodes?min_height=50`)).body;
    expect((tall.nodes as NodeInfo[]).map((n) => n.port)).toEqual([1, 2, 3]);
    const two = (await getJson(`${url}/nodes?limit=2&min_height=50`)).body;
    expect(two).toMatchObject({ count: 2 });
    expect((two.nodes as NodeInfo[]).map((n) => n.port)).toEqual([1, 2]);
    expect((await getJson(`${url}/nodes?min_height=101`)).body).toEqual({ nodes: [], count: 0 });
    expect((await getJson(`${url}/nodes?limit=0`)).body).toEqual({ nodes: [], count: 0 });

    const stats = await getJson(`${url}/stats`);
    expect(stats.body).toEqual({
      node_count: 4,
      max_height: 100,
      avg_height: 65,
      versions: { "0.1.0": 3, "0.2.0": 1 },
      timestamp: 1_800_001_800,
    });
    const health = await getJson(`${url}/health`);
    expect(health.body).toEqual({ status: "healthy", node_count: 4, timestamp: 1_800_001_800 });
  });

  it("a height far above the median does not dominate the order", async () => {
    // Four honest nodes at 1000 (latency 10 ms) and one claiming 2^53-1 in its handshake (200 ms).
    const latencies = { 1: 10, 2: 10, 3: 10, 4: 10, 5: 200 };
    const heights = { 1: 1000, 2: 1000, 3: 1000, 4: 1000, 5: Number.MAX_SAFE_INTEGER };
    const { url } = await startDns({
      allowPrivate: true,
      probe: fakeNet(latencies, heights),
      maxNodesPerIp: 16,
      maxNodesPerSubnet: 16,
      now: () => 1_800_000_000_000,
    });
    for (const port of [5, 1, 2, 3, 4]) await postJson(`${url}/register`, { port, version: "a" });
    const order = ((await getJson(`${url}/nodes`)).body.nodes as NodeInfo[]).map((n) => n.port);
    // With the raw maximum the liar would score 0.3 more and every honest height term would be ~0.
    expect(order).toEqual([1, 2, 3, 4, 5]);
    expect((await getJson(`${url}/nodes?min_height=1000`)).body.count).toBe(5);
  });

  it("a health probe refreshes liveness, latency and the height", async () => {
    let t = 1_800_000_000_000;
    const latencies: Record<number, number> = { 1: 10, 2: 2990 };
    const heights: Record<number, number> = { 1: 5, 2: 5 };
    const { server, url } = await startDns({
      allowPrivate: true,
      probe: fakeNet(latencies, heights),
      now: () => t,
    });
    await postJson(`${url}/register`, { port: 1, height: 5, version: "a" });
    await postJson(`${url}/register`, { port: 2, height: 5, version: "a" });
    const order = async () => ((await getJson(`${url}/nodes`)).body.nodes as NodeInfo[]).map((n) => n.port);
    expect(await order()).toEqual([1, 2]);
    latencies[1] = 2990;
    latencies[2] = 10;
    heights[2] = 8;
    t += 1000;
    await server.checkHealth();
    expect(await order()).toEqual([2, 1]);
    const nodes = (await getJson(`${url}/nodes`)).body.nodes as NodeInfo[];
    expect(nodes.map((n) => n.height)).toEqual([8, 5]);
  });

  it("keeps a version called __proto__ as a plain key in /stats", async () => {
    const { url } = await startDns({ allowPrivate: true, probe: fakeNet({ 1: 1 }) });
    await postJson(`${url}/register`, { port: 1, height: 5, version: "__proto__" });
    const stats = await getJson(`${url}/stats`);
    expect(stats.body.versions).toEqual(JSON.parse('{"__proto__":1}'));
  });

  it.each(["limit=-1", "limit=abc", "min_height=1.5", "limit=1e3"])(
    "rejects ?%s with 400 INVALID_QUERY",
    async (q) => {
      const { url } = await startDns();
      const reply = await getJson(`${url}/nodes?${q}`);
      expect(reply.status).toBe(400);
      expect(reply.body).toMatchObject({ success: false, code: "INVALID_QUERY" });
    },
  );
});

describe("HTTP surface", () => {
  it("GET / is plain text; unknown routes 404 and wrong methods 405 as JSON; CORS preflight", async () => {
    const { url } = await startDns();
    const root = await fetch(`${url}/`);
    expect(root.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await root.text()).toBe("Astram DNS Server");
    const missing = await getJson(`${url}/nope`);
    expect(missing).toMatchObject({ status: 404, body: { success: false, code: "NOT_FOUND" } });
    const wrong = await fetch(`${url}/register`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST, OPTIONS");
    expect(await wrong.json()).toMatchObject({ code: "METHOD_NOT_ALLOWED" });
    const put = await fetch(`${url}/nodes`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: "{",
    });
    expect(put.status).toBe(405);
    expect(await put.json()).toMatchObject({ code: "METHOD_NOT_ALLOWED" });
    const pre = await fetch(`${url}/register`, { method: "OPTIONS" });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("*");
    expect(pre.headers.get("access-control-allow-methods")).toContain("POST");
    for (const target of ["constructor", "__proto__", "/constructor", "//nodes", "/nodes/"]) {
      const raw = await rawRequest(url, `GET ${target} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`);
      // Node's HTTP parser refuses some targets itself (400); either way a JSON error, never a 500.
      expect(raw).toMatch(/^HTTP\/1\.1 40[04] /);
      expect(raw).toMatch(/"code":"(NOT_FOUND|INVALID_REQUEST)"/);
    }
    const head = await fetch(`${url}/stats`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
  });
});
