import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Candidate, formatEndpoint, rankCandidates, serverScore } from "../src/index.js";

const node = (address: string, port: number, height: number, uptime_hours: number): Candidate => ({
  address,
  port,
  height,
  uptime_hours,
});

describe("rankCandidates", () => {
  it("scores 0.3 height + 0.2 uptime + 0.5 latency, normalised over the reachable set", () => {
    const nodes = [
      node("8.8.8.8", 8335, 100, 168),
      node("1.1.1.1", 8335, 50, 84),
      node("9.9.9.9", 8335, 0, 0),
    ];
    const latencyMs = new Map([
      ["8.8.8.8:8335", 300],
      ["1.1.1.1:8335", 100],
      ["9.9.9.9:8335", 200],
    ]);
    const ranked = rankCandidates(nodes, { selfAddresses: [], latencyMs });
    const byAddr = Object.fromEntries(ranked.map((r) => [r.node.address, r]));
    expect(byAddr["8.8.8.8"]!.score).toBeCloseTo(0.3 * 1 + 0.2 * 1 + 0.5 * 0);
    expect(byAddr["1.1.1.1"]!.score).toBeCloseTo(0.3 * 0.5 + 0.2 * 0.5 + 0.5 * 1);
    expect(byAddr["9.9.9.9"]!.score).toBeCloseTo(0 + 0 + 0.5 * 0.5);
    expect(ranked.map((r) => r.node.address)).toEqual(["1.1.1.1", "8.8.8.8", "9.9.9.9"]);
  });

  it("gives every candidate latency score 1 when all latencies are equal, and caps uptime at a week", () => {
    const ranked = rankCandidates([node("8.8.8.8", 1, 0, 1000)], {
      selfAddresses: [],
      latencyMs: { "8.8.8.8:1": 42 },
    });
    expect(ranked[0]).toMatchObject({ heightScore: 0, uptimeScore: 1, latencyScore: 1, score: 0.7 });
  });

  it("excludes loopback, localhost, unspecified, self and unmeasured candidates", () => {
    const nodes = [
      node("127.0.0.1", 8335, 10, 1),
      node("localhost", 8335, 10, 1),
      node("::1", 8335, 10, 1),
      node("::ffff:127.0.0.1", 8335, 10, 1),
      node("0.0.0.0", 8335, 10, 1),
      node("203.0.113.7", 8335, 10, 1), // self by endpoint
      node("203.0.113.7", 9000, 10, 1), // same host, other port: kept
      node("2001:db8::7", 8335, 10, 1), // self by bare IP
      node("2001:db8::7", 9000, 10, 1), // also self by bare IP
      node("8.8.4.4", 8335, 10, 1), // never measured (unreachable)
      node("8.8.8.8", 8335, 10, 1),
      node("not-an-ip", 8335, 10, 1),
      node("1.1.1.1", 0, 10, 1),
    ];
    const latencyMs: Record<string, number> = {};
    for (const n of nodes) if (n.address !== "8.8.4.4") latencyMs[formatEndpoint(n.address, n.port)] = 5;
    const ranked = rankCandidates(nodes, { selfAddresses: ["203.0.113.7:8335", "2001:DB8::7"], latencyMs });
    expect(ranked.map((r) => r.endpoint).sort()).toEqual(["203.0.113.7:9000", "8.8.8.8:8335"]);
  });

  it("honours limit and de-duplicates endpoints", () => {
    const nodes = [node("8.8.8.8", 1, 5, 0), node("8.8.8.8", 1, 9, 0), node("1.1.1.1", 1, 1, 0)];
    const latencyMs = { "8.8.8.8:1": 1, "1.1.1.1:1": 1 };
    expect(rankCandidates(nodes, { selfAddresses: [], latencyMs })).toHaveLength(2);
    expect(rankCandidates(nodes, { selfAddresses: [], latencyMs, limit: 1 })).toHaveLength(1);
  });

  it("property: scores in [0, 1], sorted descending, never a loopback or self entry", () => {
    const addr = fc.oneof(
      fc.ipV4(),
      fc.ipV6(),
      fc.constantFrom("127.0.0.1", "::1", "localhost", "0.0.0.0", "garbage"),
    );
    const cand = fc.record({
      address: addr,
      port: fc.integer({ min: -1, max: 70000 }),
      height: fc.oneof(fc.nat(), fc.double()),
      uptime_hours: fc.oneof(fc.double({ min: 0, max: 1000, noNaN: true }), fc.double()),
    });
    fc.assert(
      fc.property(
        fc.array(cand, { maxLength: 30 }),
        fc.array(fc.oneof(fc.double({ min: 0, max: 5000, noNaN: true }), fc.double()), { maxLength: 30 }),
        fc.array(fc.nat(29), { maxLength: 3 }),
        (nodes, lats, selfIdx) => {
          const latencyMs = new Map<string, number>();
          nodes.forEach((n, i) => {
            if (i < lats.length) latencyMs.set(formatEndpoint(n.address, n.port), lats[i]!);
          });
          const self = selfIdx.flatMap((i) => (nodes[i] ? [nodes[i].address] : []));
          const ranked = rankCandidates(nodes, { selfAddresses: self, latencyMs });
          for (let i = 0; i < ranked.length; i++) {
            const r = ranked[i]!;
            expect(r.score).toBeGreaterThanOrEqual(0);
            expect(r.score).toBeLessThanOrEqual(1 + 1e-12);
            if (i > 0) expect(ranked[i - 1]!.score).toBeGreaterThanOrEqual(r.score);
            expect(["127.0.0.1", "::1", "localhost", "0.0.0.0"]).not.toContain(r.node.address);
            expect(self).not.toContain(r.node.address);
          }
        },
      ),
    );
  });
});

describe("serverScore", () => {
  const ctx = { nowMs: 1_000_000_000, maxHeight: 100, maxAgeMs: 3_600_000, probeTimeoutMs: 3000 };

  it("weights height 0.3, uptime 0.2 and liveness 0.5", () => {
    const perfect = { height: 100, uptimeHours: 168, lastContactMs: ctx.nowMs, probeLatencyMs: 0 };
    expect(serverScore(perfect, ctx)).toBeCloseTo(1);
    expect(serverScore({ ...perfect, height: 0 }, ctx)).toBeCloseTo(0.7);
    expect(serverScore({ ...perfect, uptimeHours: 0 }, ctx)).toBeCloseTo(0.8);
    // Half the lease used and a probe at half the timeout: liveness (0.5 + 0.5) / 2.
    expect(
      serverScore({ ...perfect, lastContactMs: ctx.nowMs - 1_800_000, probeLatencyMs: 1500 }, ctx),
    ).toBeCloseTo(0.75);
    expect(serverScore({ ...perfect, lastContactMs: 0, probeLatencyMs: 1e9 }, ctx)).toBeCloseTo(0.5);
  });
});
