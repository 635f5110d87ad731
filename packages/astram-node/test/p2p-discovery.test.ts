import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createDnsServer } from "astram-dns";
import { scoreCandidates } from "astram-node";
import { describe, expect, it } from "vitest";
import { startNode, stopNode, until } from "./p2p-helpers.js";

describe("peer discovery", () => {
  it("registers with the discovery server and dials ranked candidates, never itself", async () => {
    const dns = createDnsServer({
      host: "127.0.0.1",
      port: 0,
      allowPrivate: true,
      network: "dev",
      logLevel: "silent",
    });
    const { url } = await dns.start();
    try {
      const a = await startNode({ dnsServerUrl: url, dnsRegister: true });
      await until(() => dns.nodeCount === 1, "node a registered");
      const b = await startNode({ dnsServerUrl: url, dnsRegister: true });
      await until(
        () => b.p2p.peerCount === 1 && a.p2p.peerCount === 1,
        "b found a through the discovery server",
      );
      expect(b.p2p.summaries()[0]!.address).toBe(`127.0.0.1:${a.port}`);
      expect(a.p2p.summaries().every((p) => !p.address.endsWith(`:${a.port}`))).toBe(true);
    } finally {
      await dns.stop();
    }
  });

  it("scores candidates 0.3 height + 0.2 uptime + 0.5 latency", () => {
    const ranked = scoreCandidates([
      { address: "203.0.113.1", port: 1, height: 100, uptime_hours: 168, latencyMs: 200 },
      { address: "203.0.113.2", port: 1, height: 50, uptime_hours: 0, latencyMs: 10 },
      { address: "203.0.113.3", port: 1, height: 100, uptime_hours: 0, latencyMs: 105 },
    ]);
    // Fastest wins despite half the height; latency normalised over [10, 200] ms.
    expect(ranked.map((r) => r.endpoint.host)).toEqual(["203.0.113.2", "203.0.113.3", "203.0.113.1"]);
    expect(ranked[0]!.score).toBeCloseTo(0.3 * 0.5 + 0.5 * 1, 10);
    expect(ranked[1]!.score).toBeCloseTo(0.3 + 0.5 * 0.5, 10);
    expect(ranked[2]!.score).toBeCloseTo(0.3 + 0.2, 10);
  });

  it("keeps a peers file in the data directory and dials it after a restart", async () => {
    const a = await startNode({ autoConnect: false });
    const b = await startNode({ peers: [`127.0.0.1:${a.port}`] });
    await until(() => b.p2p.peerCount === 1, "b connected to a");
    await stopNode(b);
    const saved = JSON.parse(readFileSync(join(b.dir, "peers.json"), "utf8")) as { addr: string }[];
    expect(saved.map((p) => p.addr)).toContain(`127.0.0.1:${a.port}`);
    const again = await startNode({ dir: b.dir });
    await until(() => again.p2p.peerCount === 1, "restarted node dials its saved peer");
  });
});
