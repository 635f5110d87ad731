import { afterEach, describe, expect, it } from "vitest";
import { createDnsServer, type ProbeFn } from "../src/index.js";
import { getJson, postJson, recordingLogger, startDns, stopAll, waitFor } from "./helpers.js";
import { p2pStandIn } from "./p2p-stand-in.js";

afterEach(stopAll);

const body = (port: number, height = 1) => ({ port, version: "0.1.0", height });

describe("expiry", () => {
  it("drops a node max-age after its last registration (injected clock, purged on /nodes)", async () => {
    let t = 1_800_000_000_000;
    const { url, logger } = await startDns({ allowPrivate: true, maxAge: 60, now: () => t });
    const p2p = await p2pStandIn();
    await postJson(`${url}/register`, body(p2p.port));
    t += 59_999;
    expect((await getJson(`${url}/nodes`)).body.count).toBe(1);
    t += 1;
    expect((await getJson(`${url}/nodes`)).body).toEqual({ nodes: [], count: 0 });
    expect(logger.records.find((r) => r.event === "expired")).toMatchObject({
      address: "127.0.0.1",
      port: p2p.port,
    });
    await p2p.close();
  });

  it("re-registration extends the lease", async () => {
    let t = 1_800_000_000_000;
    const { url } = await startDns({ allowPrivate: true, maxAge: 60, now: () => t });
    const p2p = await p2pStandIn();
    await postJson(`${url}/register`, body(p2p.port));
    t += 50_000;
    await postJson(`${url}/register`, body(p2p.port));
    t += 50_000;
    expect((await getJson(`${url}/stats`)).body.node_count).toBe(1);
    await p2p.close();
  });

  it("the background purge removes expired nodes without any request", async () => {
    let t = 1_800_000_000_000;
    const { server, url, logger } = await startDns({
      allowPrivate: true,
      maxAge: 1,
      purgeIntervalMs: 20,
      now: () => t,
    });
    const p2p = await p2pStandIn();
    await postJson(`${url}/register`, body(p2p.port));
    expect(server.nodeCount).toBe(1);
    t += 1000;
    await waitFor(() => server.nodeCount === 0);
    expect(logger.events("expired")).toBe(1);
    await p2p.close();
  });
});

describe("health checks", () => {
  it("drop a node whose P2P listener closed, keep live ones (periodic handshake probe)", async () => {
    const { server, url, logger } = await startDns({
      allowPrivate: true,
      healthInterval: 0.05,
      healthFailures: 1,
    });
    const live = await p2pStandIn();
    const dying = await p2pStandIn();
    await postJson(`${url}/register`, body(live.port));
    await postJson(`${url}/register`, body(dying.port));
    expect(server.nodeCount).toBe(2);
    await dying.close();
    await waitFor(async () => (await getJson(`${url}/nodes`)).body.count === 1);
    const { body: list } = await getJson(`${url}/nodes`);
    expect((list.nodes as { port: number }[])[0]!.port).toBe(live.port);
    expect(logger.records.find((r) => r.event === "health_drop")).toMatchObject({ port: dying.port });
    await live.close();
  });

  it("need health-failures consecutive failures; a success resets the count", async () => {
    const up = new Set<number>([1, 2]);
    const probe: ProbeFn = async (_a, port) =>
      up.has(port)
        ? { ok: true, latencyMs: 1, height: 1 }
        : { ok: false, failure: "unreachable", reason: "x" };
    const { server, url } = await startDns({ allowPrivate: true, probe, healthFailures: 2 });
    await postJson(`${url}/register`, body(1));
    await postJson(`${url}/register`, body(2));
    up.delete(1);
    up.delete(2);
    await server.checkHealth();
    expect(server.nodeCount).toBe(2);
    up.add(2);
    await server.checkHealth();
    expect(server.nodeCount).toBe(1);
    up.delete(2);
    await server.checkHealth();
    expect(server.nodeCount).toBe(1);
    await server.checkHealth();
    expect(server.nodeCount).toBe(0);
  });
});

describe("lifecycle", () => {
  it("start() twice returns the same address; stop() is idempotent and closes the port", async () => {
    const logger = recordingLogger();
    const server = createDnsServer({ host: "127.0.0.1", port: 0, logger });
    const a = await server.start();
    expect(await server.start()).toEqual(a);
    expect((await getJson(`${a.url}/health`)).body).toMatchObject({ status: "healthy", node_count: 0 });
    await server.stop();
    await server.stop();
    await expect(fetch(`${a.url}/health`)).rejects.toThrow();
    expect(logger.events("listening")).toBe(1);
    expect(logger.events("stopped")).toBe(1);
  });

  it("can start again after stop(), keeping the registry", async () => {
    const ok: ProbeFn = async () => ({ ok: true, latencyMs: 1, height: 1 });
    const server = createDnsServer({
      host: "127.0.0.1",
      port: 0,
      allowPrivate: true,
      probe: ok,
      logger: recordingLogger(),
    });
    const first = await server.start();
    await postJson(`${first.url}/register`, body(8335));
    await server.stop();
    const second = await server.start();
    expect((await getJson(`${second.url}/stats`)).body.node_count).toBe(1);
    await server.stop();
  });

  it("start() rejects when the port is taken", async () => {
    const { url } = await startDns();
    const port = Number(new URL(url).port);
    const second = createDnsServer({ host: "127.0.0.1", port, logger: recordingLogger() });
    await expect(second.start()).rejects.toMatchObject({ code: "EADDRINUSE" });
  });
});
