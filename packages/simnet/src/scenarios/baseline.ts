import { type Scenario, untilDeadline } from "./scenario.js";

/** 50 nodes, 4 paced miners, a random topology from 1–2 seeds each and address gossip. */
export const baseline: Scenario = {
  name: "baseline",
  summary: "50 nodes, 4 paced miners; the network just runs (propagation, stale rate, resources)",
  defaults: { nodes: 50, miners: 4, pace: true, durationSec: 300 },
  run: untilDeadline,
};
