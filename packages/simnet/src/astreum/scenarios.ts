import type { LinkParams } from "../link/link-model.js";
import { sleep } from "../wait.js";
import { AstreumNetwork } from "./astreum-network.js";
import type { AstreumRunRecord } from "./run-record.js";

export interface AstreumSettings {
  /** Nodes in all: one validator, the rest verifiers (late joiners included). */
  readonly nodes: number;
  /** Verifiers that join late (flood: during the flood; idle: after the idle period). */
  readonly joiners: number;
  /** Seconds the scenario's main phase lasts once the network is up. */
  readonly durationSec: number;
  readonly link: LinkParams;
  readonly seed: number;
  readonly verifyIntervalSec: number;
  /** Fake handshakes per second (flood). */
  readonly floodRate: number;
  /** Seconds without transactions before the joiners come (idle). */
  readonly idleSec: number;
  readonly workdir: string;
  readonly cli?: string;
  readonly log?: (line: string) => void;
  readonly signal?: AbortSignal;
}

export type AstreumScenarioName = "baseline" | "flood" | "restart" | "idle" | "small";

export interface AstreumScenario {
  readonly name: AstreumScenarioName;
  readonly summary: string;
  readonly defaults: Partial<AstreumSettings>;
  run(net: AstreumNetwork, s: AstreumSettings): Promise<void>;
}

/** Generous bound for the network to settle on one head. */
const SETTLE_MS = 120_000;

async function startNetwork(net: AstreumNetwork, s: AstreumSettings, verifiers: number): Promise<void> {
  await net.addNode("validator");
  for (let i = 0; i < verifiers; i++) await net.addNode("verifier");
  await net.waitAllOnHead(SETTLE_MS, s.signal);
  net.mark("network-up");
}

async function joinLate(
  net: AstreumNetwork,
  s: AstreumSettings,
  count: number,
  gapMs: number,
): Promise<void> {
  for (let i = 0; i < count; i++) {
    await net.addNode("verifier", true);
    await sleep(gapMs, s.signal);
  }
}

/** kill -9 the validator, restart it on its state directory, wait for every node to follow. */
async function restartValidator(net: AstreumNetwork, s: AstreumSettings): Promise<void> {
  const v = net.validator!;
  await net.kill(v);
  await sleep(2_000, s.signal);
  const before = net.headOf(v)?.height ?? 0;
  await net.restart(v);
  await net.waitAllAtHeight(before + 1, SETTLE_MS, s.signal);
}

export const ASTREUM_SCENARIOS: readonly AstreumScenario[] = [
  {
    name: "baseline",
    summary: "1 validator and 19 verifiers follow the chain for the duration",
    defaults: { nodes: 20, joiners: 0, durationSec: 120 },
    async run(net, s) {
      await startNetwork(net, s, s.nodes - 1);
      await sleep(s.durationSec * 1000, s.signal);
    },
  },
  {
    name: "flood",
    summary: "a flooder sends fake handshakes to every node while late verifiers join",
    defaults: { nodes: 20, joiners: 4, durationSec: 60, floodRate: 1000 },
    async run(net, s) {
      await startNetwork(net, s, s.nodes - 1 - s.joiners);
      const floodEnds = Date.now() + s.durationSec * 1000;
      net.flood(s.floodRate, Math.ceil(s.floodRate * s.durationSec));
      await sleep(2_000, s.signal);
      // Joiners spread over the first half of the flood.
      await joinLate(net, s, s.joiners, Math.max(500, (s.durationSec * 500) / Math.max(1, s.joiners)));
      await sleep(Math.max(0, floodEnds - Date.now()), s.signal);
      net.stopFlood();
      await net.waitAllOnHead(SETTLE_MS, s.signal);
    },
  },
  {
    name: "restart",
    summary: "the validator is killed with -9 and restarted on its state directory",
    defaults: { nodes: 20, joiners: 0, durationSec: 30 },
    async run(net, s) {
      await startNetwork(net, s, s.nodes - 1);
      await sleep(s.durationSec * 500, s.signal);
      await restartValidator(net, s);
      await sleep(s.durationSec * 500, s.signal);
    },
  },
  {
    name: "idle",
    summary: "no transactions for a while (block gaps grow), then new verifiers join",
    defaults: { nodes: 10, joiners: 3, durationSec: 20, idleSec: 120 },
    async run(net, s) {
      await startNetwork(net, s, s.nodes - 1 - s.joiners);
      net.mark("idle-start");
      await sleep(s.idleSec * 1000, s.signal);
      await joinLate(net, s, s.joiners, 1_000);
      await net.waitAllOnHead(SETTLE_MS, s.signal);
      await sleep(s.durationSec * 1000, s.signal);
    },
  },
  {
    name: "small",
    summary: "npm test: 1 validator, 3 verifiers, a flood while a verifier joins, a validator restart",
    defaults: { nodes: 5, joiners: 1, durationSec: 8, floodRate: 300 },
    async run(net, s) {
      await startNetwork(net, s, s.nodes - 1 - s.joiners);
      net.flood(s.floodRate, Math.ceil(s.floodRate * s.durationSec));
      await sleep(1_000, s.signal);
      await joinLate(net, s, s.joiners, 0);
      await sleep(s.durationSec * 1000 - 1_000, s.signal);
      net.stopFlood();
      await net.waitAllOnHead(SETTLE_MS, s.signal);
      await restartValidator(net, s);
    },
  },
];

export function findAstreumScenario(name: string): AstreumScenario {
  const found = ASTREUM_SCENARIOS.find((x) => x.name === name);
  if (!found)
    throw new RangeError(
      `unknown scenario ${name}; one of: ${ASTREUM_SCENARIOS.map((x) => x.name).join(", ")}`,
    );
  return found;
}

/**
 * Runs one scenario on a fresh network; the network is closed whatever happens, and what was
 * recorded comes back with the error, if any (a bounded wait that ran out, Ctrl-C).
 */
export async function runAstreumScenario(
  scenario: AstreumScenario,
  s: AstreumSettings,
): Promise<{ record: AstreumRunRecord; error?: Error }> {
  const net = new AstreumNetwork({
    workdir: s.workdir,
    link: s.link,
    seed: s.seed,
    verifyIntervalSec: s.verifyIntervalSec,
    ...(s.cli === undefined ? {} : { cli: s.cli }),
    ...(s.log === undefined ? {} : { log: s.log }),
  });
  let error: Error | undefined;
  let record: AstreumRunRecord | undefined;
  try {
    await scenario.run(net, s);
  } catch (err) {
    error = err instanceof Error ? err : new Error(String(err));
  } finally {
    // Recorded before the nodes stop: their clean shutdown is not part of the run.
    record = net.record(scenario.name, s.floodRate);
    await net.close();
  }
  return error === undefined ? { record } : { record, error };
}
