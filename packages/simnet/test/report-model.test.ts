import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { predictPropagation, propagationModel } from "../src/report/model.js";
import { fitPerHopCost } from "../src/report/per-hop-fit.js";
import { randomPeerGraph } from "../src/report/random-peer-graph.js";
import { seededRandom } from "../src/report/seeded-random.js";
import { summarize } from "../src/report/summary.js";
import { syntheticRecord } from "./report-fixtures.js";

/** Fixed seeds (fast-check prints the seed and path of a failure). */
const FIT_SEED = 0xc057;
const NOISE_SEED = 0xc058;

const hopsArb = fc.integer({ min: 1, max: 8 });
const latencyArb = fc.integer({ min: 5, max: 200 });

describe("per-hop cost fit", () => {
  it(`recovers c exactly from noise-free delays = hops × (latency + c) (seed ${FIT_SEED})`, () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 500, noNaN: true }),
        fc.array(fc.record({ hops: hopsArb, latencyMs: latencyArb }), { minLength: 1, maxLength: 50 }),
        (c, pairs) => {
          const fit = fitPerHopCost(pairs.map((p) => ({ ...p, delayMs: p.hops * (p.latencyMs + c) })));
          expect(fit?.perHopCostMs).toBeCloseTo(c, 6);
          expect(fit?.rmsResidualMs).toBeCloseTo(0, 6);
          expect(fit?.pairs).toBe(pairs.length);
        },
      ),
      { seed: FIT_SEED, numRuns: 200 },
    );
  });

  it(`recovers c under noise that is symmetric per pair, and reports the noise as residual (seed ${NOISE_SEED})`, () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 500, noNaN: true }),
        fc.array(
          fc.record({ hops: hopsArb, latencyMs: latencyArb, noise: fc.integer({ min: 1, max: 40 }) }),
          {
            minLength: 1,
            maxLength: 50,
          },
        ),
        (c, pairs) => {
          const observations = pairs.flatMap(({ hops, latencyMs, noise }) => [
            { hops, latencyMs, delayMs: hops * (latencyMs + c) + noise },
            { hops, latencyMs, delayMs: hops * (latencyMs + c) - noise },
          ]);
          const fit = fitPerHopCost(observations);
          expect(fit?.perHopCostMs).toBeCloseTo(c, 6);
          const rms = Math.sqrt(pairs.reduce((sum, p) => sum + p.noise * p.noise, 0) / pairs.length);
          expect(fit?.rmsResidualMs).toBeCloseTo(rms, 6);
        },
      ),
      { seed: NOISE_SEED, numRuns: 200 },
    );
  });

  it("needs at least one pair with a hop", () => {
    expect(fitPerHopCost([])).toBeNull();
    expect(fitPerHopCost([{ hops: 0, latencyMs: 50, delayMs: 3 }])).toBeNull();
  });
});

describe("random peer graphs", () => {
  it("come out the same for the same seed, with the asked mean degree and every node's outbound", () => {
    const meanDegreeOf = (graph: number[][]) =>
      graph.reduce((sum, peers) => sum + peers.length, 0) / graph.length;
    const a = randomPeerGraph(1_000, 16, seededRandom(5));
    expect(randomPeerGraph(1_000, 16, seededRandom(5))).toEqual(a);
    expect(meanDegreeOf(a)).toBe(16);
    expect(Math.min(...a.map((peers) => peers.length))).toBeGreaterThanOrEqual(8);
    expect(a.every((peers, i) => !peers.includes(i) && new Set(peers).size === peers.length)).toBe(true);
    // Small networks, where many pairs choose each other, and odd degrees still get their mean.
    expect(meanDegreeOf(randomPeerGraph(10, 6.4, seededRandom(6)))).toBe(6.4);
    expect(meanDegreeOf(randomPeerGraph(10, 40, seededRandom(7)))).toBe(9);
  });

  it("refuses sizes and degrees it cannot build", () => {
    expect(() => randomPeerGraph(1, 4, seededRandom(1))).toThrow(/nodes/);
    expect(() => randomPeerGraph(10, 0, seededRandom(1))).toThrow(/degree/);
  });
});

describe("propagation prediction", () => {
  it("is one hop of latency + c everywhere in a complete graph without jitter", () => {
    const prediction = predictPropagation(
      10,
      { meanDegree: 18, latencyMs: 50, jitterMs: 0, perHopCostMs: 30 },
      { seed: 3, samples: 1_000 },
    );
    expect(prediction.hopShare).toEqual([0, 1]);
    expect(prediction).toMatchObject({ meanHops: 1, unreachableShare: 0, p50Ms: 80, p90Ms: 80, p99Ms: 80 });
  });

  it("keeps jitter within ± jitter per hop and is reproducible from its seed", () => {
    const link = { meanDegree: 6, latencyMs: 50, jitterMs: 20, perHopCostMs: 10 };
    const one = predictPropagation(200, link, { seed: 11, samples: 5_000 });
    expect(predictPropagation(200, link, { seed: 11, samples: 5_000 })).toEqual(one);
    const maxHops = one.hopShare.length - 1;
    expect(one.p50Ms).toBeLessThanOrEqual(one.p90Ms);
    expect(one.p90Ms).toBeLessThanOrEqual(one.p99Ms);
    expect(one.p99Ms).toBeLessThanOrEqual(maxHops * 80);
    expect(one.p50Ms).toBeGreaterThanOrEqual(40);
  });

  it("builds 10,000-node graphs and finds the logarithmic hop count of a degree-16 network", () => {
    const prediction = predictPropagation(
      10_000,
      { meanDegree: 16, latencyMs: 50, jitterMs: 20, perHopCostMs: 10 },
      { seed: 2, samples: 10_000 },
    );
    // ln(10000) / ln(15) ≈ 3.4 for a random graph of degree 16.
    expect(prediction.meanHops).toBeGreaterThan(3);
    expect(prediction.meanHops).toBeLessThan(4.5);
    expect(prediction.unreachableShare).toBe(0);
  });
});

describe("propagation model over runs", () => {
  it("fits the per-hop cost the synthetic runs were built with and checks each run", () => {
    const records = [10, 25, 50].map((nodes, i) =>
      syntheticRecord({
        seed: 40 + i,
        nodes,
        degree: Math.min(16, nodes - 1),
        blocks: 6,
        latencyMs: 50,
        perHopCostMs: 35,
      }),
    );
    const summary = summarize(records, { modelSeed: 9, scaleNodes: [1_000] });
    const model = summary.model;
    expect(model?.fit.perHopCostMs).toBeCloseTo(35, 9);
    expect(model?.checks.map((check) => check.run)).toEqual([
      "synthetic-10n",
      "synthetic-25n",
      "synthetic-50n",
    ]);
    for (const check of model?.checks ?? []) {
      // Measured hops come from one miner's position, predicted from random sources: close, not equal.
      expect(check.predicted.meanHops).toBeGreaterThan(0.6 * check.measured.meanHops);
      expect(check.predicted.meanHops).toBeLessThan(1.6 * check.measured.meanHops);
    }
    expect(model?.scale).toHaveLength(1);
    expect(model?.scale[0]).toMatchObject({
      nodes: 1_000,
      latencyMs: 50,
      perHopCostMs: model?.fit.perHopCostMs,
    });
    expect(model?.assumptions.length).toBeGreaterThan(0);
  });

  it("has nothing to fit without pairs", () => {
    expect(propagationModel([], { seed: 1 })).toBeNull();
  });
});
