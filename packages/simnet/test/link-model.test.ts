import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_LINK,
  LinkDirection,
  type LinkParams,
  LinkParamsError,
  PACKET_BYTES,
  validateLinkParams,
} from "../src/link/link-model.js";
import { Partition } from "../src/link/partition.js";
import { seededRandom } from "../src/report/seeded-random.js";

const SEED = 1414;
const link = (over: Partial<LinkParams>): LinkParams => ({ ...DEFAULT_LINK, ...over });
const sendsArb = fc.array(
  fc.record({ gap: fc.integer({ min: 0, max: 50 }), bytes: fc.integer({ min: 1, max: 200_000 }) }),
  {
    minLength: 1,
    maxLength: 60,
  },
);
const paramsArb = fc.record({
  latencyMs: fc.integer({ min: 0, max: 300 }),
  jitterMs: fc.integer({ min: 0, max: 100 }),
  jitter: fc.constantFrom("uniform" as const, "normal" as const),
  bandwidthBytesPerSec: fc.option(fc.integer({ min: 1000, max: 100_000_000 }), { nil: null }),
  lossRate: fc.double({ min: 0, max: 0.5, noNaN: true }),
  resetRate: fc.constant(0),
  minRetransmitMs: fc.integer({ min: 0, max: 400 }),
});

describe("link model", () => {
  it(`keeps a stream's order and never delivers before it was sent (fast-check seed ${SEED})`, () => {
    fc.assert(
      fc.property(paramsArb, sendsArb, fc.integer(), (params, sends, seed) => {
        const dir = new LinkDirection(params, seededRandom(seed));
        let now = 1_000;
        let last = Number.NEGATIVE_INFINITY;
        for (const s of sends) {
          now += s.gap;
          const fate = dir.send(now, s.bytes);
          if (fate.kind !== "deliver") throw new Error("no resets configured");
          expect(fate.at).toBeGreaterThanOrEqual(last);
          expect(fate.at).toBeGreaterThanOrEqual(now + fate.latencyMs + fate.stallMs);
          if (params.jitter === "uniform") {
            expect(fate.latencyMs).toBeGreaterThanOrEqual(Math.max(0, params.latencyMs - params.jitterMs));
            expect(fate.latencyMs).toBeLessThanOrEqual(params.latencyMs + params.jitterMs);
          }
          expect(fate.latencyMs).toBeGreaterThanOrEqual(0);
          last = fate.at;
        }
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it(`is reproducible: the same seed gives the same fates (fast-check seed ${SEED})`, () => {
    fc.assert(
      fc.property(paramsArb, sendsArb, fc.integer(), (params, sends, seed) => {
        const run = () => {
          const dir = new LinkDirection(params, seededRandom(seed));
          let now = 0;
          return sends.map((s) => {
            now += s.gap;
            return dir.send(now, s.bytes);
          });
        };
        expect(run()).toEqual(run());
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it("without jitter, loss or a cap, a chunk takes exactly the base latency", () => {
    const dir = new LinkDirection(link({ latencyMs: 40, jitterMs: 0, lossRate: 0 }), seededRandom(1));
    expect(dir.send(100, 5000)).toEqual({ kind: "deliver", at: 140, latencyMs: 40, stallMs: 0 });
    expect(dir.send(110, 5000)).toEqual({ kind: "deliver", at: 150, latencyMs: 40, stallMs: 0 });
  });

  it("a bandwidth cap serializes chunks one after the other", () => {
    const dir = new LinkDirection(
      link({ latencyMs: 10, jitterMs: 0, lossRate: 0, bandwidthBytesPerSec: 1000 }),
      seededRandom(1),
    );
    // 500 bytes at 1000 B/s = 500 ms on the wire; the second chunk waits for the first.
    expect(dir.send(0, 500)).toMatchObject({ at: 510 });
    expect(dir.send(0, 500)).toMatchObject({ at: 1010 });
    expect(dir.send(5000, 100)).toMatchObject({ at: 5110 });
  });

  it("a lost chunk stalls for max(minimum retransmission, 2 × RTT) and holds up the chunks behind it", () => {
    // A random source of 0 makes every loss draw hit (0 < p) and every latency the lowest.
    const dir = new LinkDirection(link({ latencyMs: 80, jitterMs: 0, lossRate: 0.01 }), () => 0);
    const first = dir.send(0, PACKET_BYTES);
    expect(first).toEqual({ kind: "deliver", at: 80 + 320, latencyMs: 80, stallMs: 320 });
    const short = new LinkDirection(link({ latencyMs: 10, jitterMs: 0, lossRate: 0.01 }), () => 0);
    expect(short.send(0, 1)).toMatchObject({ at: 10 + 200, stallMs: 200 });
    // A chunk that is not lost (draw 0.99 ≥ p) still waits behind the stalled one.
    const draws = [0, 0.99];
    const mixed = new LinkDirection(
      link({ latencyMs: 10, jitterMs: 0, lossRate: 0.01 }),
      () => draws.shift() ?? 0.99,
    );
    expect(mixed.send(0, 1)).toMatchObject({ at: 210 });
    expect(mixed.send(1, 1)).toMatchObject({ at: 210, stallMs: 0 });
  });

  it("bigger chunks are likelier to lose a packet (per-packet loss)", () => {
    // Draw 0.05: below 1 − 0.99^10 ≈ 0.096 (10 packets) but above 0.01 (1 packet).
    const one = new LinkDirection(link({ latencyMs: 10, jitterMs: 0, lossRate: 0.01 }), () => 0.05);
    expect(one.send(0, PACKET_BYTES)).toMatchObject({ stallMs: 0 });
    const ten = new LinkDirection(link({ latencyMs: 10, jitterMs: 0, lossRate: 0.01 }), () => 0.05);
    expect(ten.send(0, 10 * PACKET_BYTES)).toMatchObject({ stallMs: 200 });
  });

  it("resets a connection when the reset draw hits", () => {
    const dir = new LinkDirection(link({ resetRate: 0.001 }), () => 0);
    expect(dir.send(0, 10)).toEqual({ kind: "reset" });
  });

  it("refuses bad parameters with a clear error", () => {
    expect(() => validateLinkParams(link({ latencyMs: -1 }))).toThrow(LinkParamsError);
    expect(() => validateLinkParams(link({ lossRate: 1 }))).toThrow(/lossRate/);
    expect(() => validateLinkParams(link({ bandwidthBytesPerSec: 0 }))).toThrow(/bandwidth/);
    expect(() => validateLinkParams(link({ jitter: "pareto" as "uniform" }))).toThrow(/jitter/);
    expect(() => new LinkDirection(link({ resetRate: Number.NaN }), () => 0)).toThrow(/resetRate/);
  });
});

describe("partition", () => {
  it("allows hosts in one group and hosts in no group, refuses across groups, heals", () => {
    const p = new Partition();
    expect(p.allows("127.16.0.1", "127.17.0.1")).toBe(true);
    p.split([["127.16.0.1", "127.18.0.1"], ["127.17.0.1"]]);
    expect(p.active).toBe(true);
    expect(p.allows("127.16.0.1", "127.18.0.1")).toBe(true);
    expect(p.allows("127.16.0.1", "127.17.0.1")).toBe(false);
    expect(p.allows("127.66.0.1", "127.17.0.1")).toBe(true);
    expect(() => p.split([["127.16.0.1"], ["127.16.0.1"]])).toThrow(/two partition groups/);
    expect(p.allows("127.16.0.1", "127.17.0.1")).toBe(false); // a refused split changes nothing
    p.heal();
    expect(p.allows("127.16.0.1", "127.17.0.1")).toBe(true);
  });
});
