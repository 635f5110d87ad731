import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { astreumFigures } from "../src/astreum/figures.js";
import { findAstreumScenario, runAstreumScenario } from "../src/astreum/scenarios.js";
import { DEFAULT_LINK } from "../src/link/link-model.js";
import { liveChildren } from "../src/node/child-registry.js";

// 5 real `astreum node` processes (1 validator, 3 verifiers, 1 late joiner) behind UDP relays
// (20 ± 10 ms, 1% real loss): a flooder sends fake handshakes while the late verifier joins, then the
// validator is killed with -9 and restarted on its state directory. Invariants only; every wait is
// bounded (generously) and nothing is timed. Needs the built astreum CLI and simnet dist/.
const SEED = 16;
const workdir = mkdtempSync(join(tmpdir(), "astreum-simnet-"));
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

describe("astreum simnet: small scenario", () => {
  it("every honest node reaches the head, no fake peer is admitted or displaces an honest one, a restarted validator keeps its key", async () => {
    console.log(`astreum small scenario: seed ${SEED}`);
    const scenario = findAstreumScenario("small");
    const { record, error } = await runAstreumScenario(scenario, {
      nodes: 5,
      joiners: 1,
      durationSec: 8,
      floodRate: 300,
      idleSec: 0,
      verifyIntervalSec: 2,
      link: { ...DEFAULT_LINK, latencyMs: 20, jitterMs: 10, lossRate: 0.01 },
      seed: SEED,
      workdir,
    });
    const f = astreumFigures(record);
    console.log(
      JSON.stringify({ ...f, headLag: { max: f.headLag.max, mean: f.headLag.mean }, error: error?.message }),
    );
    expect(error).toBeUndefined();
    // Every honest node reached the validator's head (after the flood and after the restart).
    expect(f.finalAllOnHead).toBe(true);
    expect(f.lateJoiners.map((l) => l.adoptionSec !== null)).toEqual([true]);
    // The flood really ran, and admitted no fake peer, nor pushed an honest one out.
    expect(f.flood.sent).toBeGreaterThan(0);
    expect(f.fakePeersAdmitted).toBe(0);
    expect(f.honestPeersDisplaced).toBe(0);
    // The restarted validator kept its relay key and was followed again.
    expect(f.restarts).toHaveLength(1);
    expect(f.restarts[0]!.keyKept).toBe(true);
    expect(f.restarts[0]!.allFollowSec).not.toBeNull();
    expect(liveChildren()).toBe(0);
  }, 115_000);
});
