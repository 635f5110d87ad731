import type { LinkParams } from "../link/link-model.js";
import type { Simnet } from "../simnet.js";

/** What a scenario runs with; every field can be overridden from the command line. */
export interface ScenarioSettings {
  readonly nodes: number;
  readonly miners: number;
  /** Paced miners hold the target block time; unpaced ones mine flat out. */
  readonly pace: boolean;
  /** Seconds the scenario runs once every node has started. */
  readonly durationSec: number;
  readonly link: LinkParams;
  readonly seed: number;
}

export interface ScenarioContext {
  readonly net: Simnet;
  readonly settings: ScenarioSettings;
  /** Aborted at the deadline or on SIGINT: every wait in a scenario must honour it. */
  readonly signal: AbortSignal;
  /** When the scenario must have returned (ms since the epoch). */
  readonly deadline: number;
  readonly log: (line: string) => void;
}

/** A scenario: its defaults and what it does over time once the nodes are up. */
export interface Scenario {
  readonly name: string;
  readonly summary: string;
  readonly defaults: Omit<ScenarioSettings, "link" | "seed">;
  run(ctx: ScenarioContext): Promise<void>;
}

/** Sleeps until the deadline (or abort): the part of a scenario where the network just runs. */
export function untilDeadline(ctx: ScenarioContext): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, Math.max(0, ctx.deadline - Date.now()));
    ctx.signal.addEventListener("abort", () => {
      clearTimeout(t);
      resolve();
    });
  });
}
