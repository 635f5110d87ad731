import { randomBelow } from "../report/seeded-random.js";
import { sleep } from "../wait.js";
import type { Scenario } from "./scenario.js";

/**
 * Nodes killed with -9 at random and restarted on the same data directory a little later (a kill
 * every ~10 s, each down 5–20 s, at most a fifth of the followers down at once). Miners stay up so
 * the chain keeps its pace.
 */
export const churn: Scenario = {
  name: "churn",
  summary: "50 nodes, 4 paced miners; followers killed with -9 and restarted on the same data directory",
  defaults: { nodes: 50, miners: 4, pace: true, durationSec: 300 },
  async run(ctx) {
    const { net } = ctx;
    const followers = net.nodes.filter((n) => n.spec.role === "follower");
    const maxDown = Math.max(1, Math.floor(followers.length / 5));
    const restarts: Promise<void>[] = [];
    // Stop killing early enough that every restart lands before the deadline.
    while (!ctx.signal.aborted && Date.now() < ctx.deadline - 30_000) {
      const up = followers.filter((n) => n.running);
      if (followers.length - up.length < maxDown && up.length > 0) {
        const victim = up[randomBelow(net.random, up.length)]!;
        await net.kill(victim);
        ctx.log(`killed ${victim.id} (-9)`);
        const downMs = 5_000 + randomBelow(net.random, 15_000);
        restarts.push(
          sleep(downMs, ctx.signal).then(async () => {
            await net.restart(victim);
            ctx.log(`restarted ${victim.id}`);
          }),
        );
      }
      await sleep(10_000, ctx.signal);
    }
    await Promise.allSettled(restarts);
    for (const n of followers) if (!n.running) await net.restart(n);
    await sleep(Math.max(0, ctx.deadline - Date.now()), ctx.signal);
  },
};
