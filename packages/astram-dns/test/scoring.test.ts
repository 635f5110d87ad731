import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Candidate,
  formatEndpoint,
  HEIGHT_MARGIN_ABOVE_MEDIAN,
  heightReference,
  rankCandidates,
  serverScore,
} from "../src/index.js";

/** Fixed seeds (printed by fast-check with the failing path on a failure). */
const SCORING_SEED = 0x5c0e;

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
    // Height reference: min(largest 100, median 50 + 6) = 56, so 100 counts as 56.
    expect(byAddr["1.1.1.1"]!.score).toBeCloseTo(0.3 * (50 / 56) + 0.2 * 0.5 + 0.5 * 1);
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
      { seed: SCORING_SEED },
    );
  });
});

describe("robust height (an outlier does not dominate)", () => {
  it("the reference is the largest height, at most the lower median + 6", () => {
    expect(heightReference([])).toBe(1);
    expect(heightReference([0, 0])).toBe(1);
    expect(heightReference([100])).toBe(100);
    expect(heightReference([100, 103])).toBe(103);
    expect(heightReference([100, 2 ** 53 - 1])).toBe(100 + HEIGHT_MARGIN_ABOVE_MEDIAN);
    expect(heightReference([100, 100, 2 ** 53 - 1, 2 ** 53 - 1])).toBe(106);
    // Non-finite and negative heights count as 0: median 0, so the 10 counts as 6.
    expect(heightReference([Number.NaN, -5, 10, Number.POSITIVE_INFINITY])).toBe(6);
  });

  it("the attack of the issue: one node claims 2^53-1; honest nodes keep their height term", () => {
    const nodes = [
      node("8.8.8.8", 1, 5000, 0),
      node("1.1.1.1", 1, 5000, 0),
      node("9.9.9.9", 1, 2 ** 53 - 1, 0),
    ];
    const latencyMs = { "8.8.8.8:1": 10, "1.1.1.1:1": 10, "9.9.9.9:1": 20 };
    const ranked = rankCandidates(nodes, { selfAddresses: [], latencyMs });
    expect(ranked.map((r) => r.node.address)).toEqual(["1.1.1.1", "8.8.8.8", "9.9.9.9"]);
    expect(ranked[0]!.heightScore).toBeCloseTo(5000 / 5006);
    expect(ranked[2]!.heightScore).toBe(1);
  });

  it(`property (seed ${SCORING_SEED}): fewer liars than honest nodes gain at most 0.3 × (spread + 6) / reference`, () => {
    fc.assert(
      fc.property(
        fc.nat(10_000_000),
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 2, maxLength: 20 }),
        fc.array(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), { minLength: 1, maxLength: 19 }),
        (base, spreads, claims) => {
          const liars = claims.slice(0, spreads.length - 1);
          const honest = spreads.map((d, i) => node(`8.8.${i}.8`, 1, base + d, 0));
          const fake = liars.map((h, i) => node(`9.9.${i}.9`, 1, h, 0));
          const latencyMs: Record<string, number> = {};
          for (const n of [...honest, ...fake]) latencyMs[formatEndpoint(n.address, n.port)] = 10;
          const ranked = rankCandidates([...honest, ...fake], { selfAddresses: [], latencyMs });
          const hMin = Math.min(...honest.map((n) => n.height));
          const hMax = Math.max(...honest.map((n) => n.height));
          const reference = heightReference([...honest, ...fake].map((n) => n.height));
          expect(reference).toBeLessThanOrEqual(Math.max(1, hMax + HEIGHT_MARGIN_ABOVE_MEDIAN));
          const best = Math.max(...ranked.map((r) => r.score));
          for (const r of ranked.filter((x) => x.node.address.startsWith("8.8."))) {
            expect(best - r.score).toBeLessThanOrEqual(
              (0.3 * (hMax - hMin + HEIGHT_MARGIN_ABOVE_MEDIAN)) / reference + 1e-12,
            );
          }
        },
      ),
      { seed: SCORING_SEED + 1 },
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

  it("caps a height above the reference: it scores like the reference itself", () => {
    const at = { height: 100, uptimeHours: 0, lastContactMs: ctx.nowMs, probeLatencyMs: 0 };
    expect(serverScore({ ...at, height: 2 ** 53 - 1 }, ctx)).toBe(serverScore(at, ctx));
  });
});
