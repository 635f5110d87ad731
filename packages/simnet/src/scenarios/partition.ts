import type { SimNode } from "../node/sim-node.js";
import { sleep } from "../wait.js";
import { type Scenario, type ScenarioContext, untilDeadline } from "./scenario.js";

/** Blocks each half mines on its own before the heal. */
export const PARTITION_BLOCKS = 3;

/** Waits (bounded by the context) until every running node reports one tip; true if it did. */
export async function waitForAgreement(ctx: ScenarioContext, what: string, maxMs: number): Promise<boolean> {
  const until = Math.min(ctx.deadline, Date.now() + maxMs);
  while (!ctx.signal.aborted && Date.now() < until) {
    if (await ctx.net.agreedTip()) return true;
    await sleep(1000, ctx.signal);
  }
  ctx.log(`no agreement on one tip ${what}`);
  return false;
}

/** Highest tip height among `nodes` (fresh /status). */
async function height(ctx: ScenarioContext, nodes: readonly SimNode[]): Promise<number> {
  const statuses = await ctx.net.statuses();
  return Math.max(-1, ...nodes.map((n) => statuses.get(n.id)?.height ?? -1));
}

/**
 * Two halves (each with half the miners) mine apart for PARTITION_BLOCKS blocks each, then heal;
 * the report measures the time until every honest node agrees on the most-work tip.
 */
export const partition: Scenario = {
  name: "partition",
  summary: `50 nodes, 4 paced miners; split in two halves that each mine ${PARTITION_BLOCKS} blocks, then heal`,
  defaults: { nodes: 50, miners: 4, pace: true, durationSec: 300 },
  async run(ctx) {
    const nodes = ctx.net.nodes;
    await waitForAgreement(ctx, "before the split", 60_000);
    const halves = [nodes.slice(0, Math.ceil(nodes.length / 2)), nodes.slice(Math.ceil(nodes.length / 2))];
    const start = await Promise.all(halves.map((h) => height(ctx, h)));
    ctx.net.split(halves);
    // Each half mines its blocks (bounded: at most half of the time left, so the heal can be seen).
    const until = Date.now() + (ctx.deadline - Date.now()) / 2;
    while (!ctx.signal.aborted && Date.now() < until) {
      const now = await Promise.all(halves.map((h) => height(ctx, h)));
      if (now.every((h, i) => h >= start[i]! + PARTITION_BLOCKS)) break;
      await sleep(1000, ctx.signal);
    }
    ctx.net.heal();
    if (await waitForAgreement(ctx, "after the heal", ctx.deadline - Date.now())) ctx.log("healed: one tip");
    await untilDeadline(ctx);
  },
};
