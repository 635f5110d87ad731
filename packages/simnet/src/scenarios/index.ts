import { baseline } from "./baseline.js";
import { churn } from "./churn.js";
import { fast } from "./fast.js";
import { hostile } from "./hostile.js";
import { partition } from "./partition.js";
import type { Scenario } from "./scenario.js";

export const SCENARIOS: readonly Scenario[] = [baseline, fast, partition, churn, hostile];

export function findScenario(name: string): Scenario {
  const s = SCENARIOS.find((x) => x.name === name);
  if (!s)
    throw new RangeError(`unknown scenario "${name}" (known: ${SCENARIOS.map((x) => x.name).join(", ")})`);
  return s;
}
