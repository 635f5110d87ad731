import { type Scenario, untilDeadline } from "./scenario.js";

/** Unpaced miners: blocks come faster than 10 a minute; honest fast relaying must never be banned. */
export const fast: Scenario = {
  name: "fast",
  summary: "50 nodes, 4 unpaced miners (blocks faster than 10/min): honest relay under load",
  defaults: { nodes: 50, miners: 4, pace: false, durationSec: 180 },
  run: untilDeadline,
};
