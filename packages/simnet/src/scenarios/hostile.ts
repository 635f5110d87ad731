import { eclipse } from "../attack/eclipse.js";
import { sendInvalidBlocks } from "../attack/invalid-blocks.js";
import { floodJunkAnnouncements } from "../attack/junk-flooder.js";
import { attackerHost } from "../node/address-plan.js";
import type { SimNode } from "../node/sim-node.js";
import { type Scenario, type ScenarioContext, untilDeadline } from "./scenario.js";

/** Connections the eclipse attacker tries, each from its own 127.66.x.y address. */
export const ECLIPSE_CONNECTIONS = 40;

/**
 * Attackers in 127.66.0.0/16 against honest nodes: a junk-announcement flooder (random hashes and
 * repeats of known blocks) against one node, an invalid-block sender against another, and an
 * eclipse attempt (many connections from one /16) against a third, all while the miners mine.
 * Every attack is bounded in count and stops at the deadline.
 */
export async function runAttacks(
  ctx: ScenarioContext,
  targets: { flood: SimNode; invalid: SimNode; victim: SimNode },
) {
  const { net } = ctx;
  const attack = new AbortController();
  const stop = () => attack.abort();
  ctx.signal.addEventListener("abort", stop);
  const endAt = setTimeout(stop, Math.max(0, ctx.deadline - Date.now() - 5_000));
  const relay = (n: SimNode) => ({ host: n.relay.host, port: n.relay.port });
  const known = () => net.recorder.knownHashes(20);
  const honestApi = () => net.nodes.find((n) => n.api)?.api;
  net.registerAttacker("flooder", attackerHost(0));
  net.registerAttacker("invalid-blocks", attackerHost(1));
  for (let i = 0; i < ECLIPSE_CONNECTIONS; i++) net.registerAttacker(`eclipse${i}`, attackerHost(10 + i));
  net.watchEclipse(targets.victim);
  net.recorder.event(
    "attack-start",
    `flood ${targets.flood.id}, invalid ${targets.invalid.id}, eclipse ${targets.victim.id}`,
  );
  ctx.log(
    `attacks start: flood ${targets.flood.id}, invalid blocks ${targets.invalid.id}, eclipse ${targets.victim.id}`,
  );
  try {
    const [flood, invalid, ecl] = await Promise.all([
      floodJunkAnnouncements(
        {
          ...relay(targets.flood),
          from: attackerHost(0),
          knownHashes: known,
          perSecond: 20,
          maxAnnouncements: 5_000,
        },
        attack.signal,
      ),
      sendInvalidBlocks(
        {
          ...relay(targets.invalid),
          from: attackerHost(1),
          api: honestApi,
          intervalMs: 2_000,
          maxBlocks: 50,
        },
        attack.signal,
      ),
      eclipse({ ...relay(targets.victim), connections: ECLIPSE_CONNECTIONS, firstIndex: 10 }, attack.signal),
    ]);
    ctx.log(
      `attacks done: flood sent ${flood.sent} (dropped ${flood.dropped}×), invalid blocks sent ${invalid.sent} (dropped ${invalid.dropped}), eclipse held ${ecl.held}/${ecl.attempted}`,
    );
    net.recorder.event("attack-stop", JSON.stringify({ flood, invalid, eclipse: ecl }));
  } finally {
    clearTimeout(endAt);
    ctx.signal.removeEventListener("abort", stop);
  }
}

export const hostile: Scenario = {
  name: "hostile",
  summary:
    "50 nodes, 4 paced miners; junk-announcement flood, invalid blocks and an eclipse attempt from one /16",
  defaults: { nodes: 50, miners: 4, pace: true, durationSec: 240 },
  async run(ctx) {
    const followers = ctx.net.nodes.filter((n) => n.spec.role === "follower");
    const pick = (i: number) => followers[i % Math.max(1, followers.length)] ?? ctx.net.nodes[0]!;
    await runAttacks(ctx, { flood: pick(0), invalid: pick(1), victim: pick(2) });
    await untilDeadline(ctx);
  },
};
