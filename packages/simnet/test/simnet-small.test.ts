import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_LINK } from "../src/link/link-model.js";
import { liveChildren } from "../src/node/child-registry.js";
import { honestNodeIds } from "../src/report/run-record.js";
import { runAttacks } from "../src/scenarios/hostile.js";
import type { ScenarioContext } from "../src/scenarios/scenario.js";
import { Simnet } from "../src/simnet.js";
import { waitFor } from "../src/wait.js";

// 8 real nodes (2 paced miners) over 30 ms ± 10 ms links with 1% loss: the network's invariants,
// with generous bounded waits (no timing assertions) so a loaded 2-core machine passes too.
const SEED = 8;
const work = mkdtempSync(join(tmpdir(), "simnet-small-"));
const net = new Simnet({
  nodes: 8,
  miners: 2,
  pace: true,
  link: { ...DEFAULT_LINK, latencyMs: 30, jitterMs: 10, lossRate: 0.01 },
  seed: SEED,
  workDir: work,
  sampleIntervalMs: 1_000,
  log: (line) => console.log(`[simnet-small seed ${SEED}] ${line}`),
});

afterAll(async () => {
  await net.stop();
  rmSync(work, { recursive: true, force: true });
  expect(liveChildren()).toBe(0);
}, 60_000);

describe("simnet, 8 nodes", () => {
  it("converges, never bans an honest peer, keeps the eclipse victim connected, heals a partition to the most work", async () => {
    await net.start();
    const tip = async () => net.agreedTip();
    await waitFor(async () => ((await tip())?.height ?? 0) >= 2, {
      what: "all 8 nodes on one tip at height ≥ 2",
      timeoutMs: 90_000,
      intervalMs: 1_000,
    });

    // Attacks (junk flood, invalid blocks, eclipse from one /16) run while the network splits.
    const followers = net.nodes.filter((n) => n.spec.role === "follower");
    const attackSignal = new AbortController();
    const ctx: ScenarioContext = {
      net,
      settings: { nodes: 8, miners: 2, pace: true, durationSec: 60, link: net.opts.link, seed: SEED },
      signal: attackSignal.signal,
      deadline: Date.now() + 120_000,
      log: (line) => console.log(line),
    };
    const attacks = runAttacks(ctx, { flood: followers[0]!, invalid: followers[1]!, victim: followers[2]! });

    // Miners are nodes 0 and 4: one in each half.
    const halves = [net.nodes.slice(0, 4), net.nodes.slice(4)];
    const before = await net.statuses();
    const startHeight = Math.max(...[...before.values()].map((s) => s.height));
    net.split(halves);
    const best = new Map<number, bigint>();
    await waitFor(
      async () => {
        const s = await net.statuses();
        halves.forEach((half, i) => {
          for (const n of half) {
            const st = s.get(n.id);
            if (st && st.height > startHeight)
              best.set(i, st.chainWork > (best.get(i) ?? 0n) ? st.chainWork : best.get(i)!);
          }
        });
        return best.size === 2;
      },
      { what: "both halves to mine on their own", timeoutMs: 120_000, intervalMs: 1_000 },
    );
    net.heal();
    let healed: Awaited<ReturnType<typeof tip>>;
    try {
      await waitFor(
        async () => {
          healed = await tip();
          return (
            healed !== undefined &&
            healed.chainWork >= (best.get(0) ?? 0n) &&
            healed.chainWork >= (best.get(1) ?? 0n)
          );
        },
        {
          what: "one tip with at least the work of either half after the heal",
          timeoutMs: 90_000,
          intervalMs: 1_000,
        },
      );
    } catch (e) {
      // Say what each node saw, and any bans, before failing.
      for (const [id, st] of await net.statuses())
        console.log(
          `${id}: height ${st.height} tip ${st.tip.slice(0, 12)} work ${st.chainWork} peers ${st.peers.map((p) => p.ip).join(",")}`,
        );
      console.log("bans:", JSON.stringify(net.recorder.bans));
      throw e;
    }
    attackSignal.abort();
    await attacks;
    await net.stop();

    const record = net.recorder.build({
      scenario: "simnet-small",
      seed: SEED,
      startedAt: net.startedAt,
      endedAt: Date.now(),
      config: {
        nodes: 8,
        miners: 2,
        latencyMs: 30,
        jitterMs: 10,
        lossRate: 0.01,
        bandwidthBytesPerSec: null,
        targetSpacingSec: 10,
        durationSec: 0,
      },
    });
    const honest = honestNodeIds(record);
    expect(honest.size).toBe(8);
    // Zero honest bans (attackers may be banned: the flooder should be).
    expect(record.bans.filter((b) => b.bannedNode !== null && honest.has(b.bannedNode))).toEqual([]);
    // The eclipse victim kept at least one honest peer in every sample taken during the attack.
    const samples = record.eclipse?.samples ?? [];
    expect(samples.length).toBeGreaterThan(0);
    expect(Math.min(...samples.map((s) => s.honestPeers))).toBeGreaterThanOrEqual(1);
    // Blocks were recorded with their miners and parents.
    expect(record.blocks.length).toBeGreaterThanOrEqual(3);
    expect(record.blocks.every((b) => b.parent.length === 64 && b.miner !== null)).toBe(true);
  }, 360_000);
});
