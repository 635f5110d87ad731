// Long coverage-guided runs of every target: executions per second beside the bare target's rate
// (the same mutator over the committed corpus, no coverage) measured in the same run, and blocks
// covered beside blocks known. FUZZ_BENCH_SECONDS sets the guided run per target (default 20).

import { runInWorker } from "../dist/run-in-worker.js";
import { TARGETS } from "../dist/targets/index.js";

const SECONDS = Number(process.env.FUZZ_BENCH_SECONDS ?? 20);
const BARE_SECONDS = 4;
const SEED = 20_261_207;

const job = (target, extra) => ({
  target,
  seed: SEED,
  timeoutMs: 10_000,
  save: false,
  coverage: true,
  ...extra,
});

export default async function bench() {
  const rows = [];
  // What coverage costs when taken after every execution instead of per adaptive batch.
  const everyExec = await runInWorker(job("p2p-message", { seconds: BARE_SECONDS, fixedBatch: 1 }));
  const bareP2p = await runInWorker(job("p2p-message", { seconds: BARE_SECONDS, coverage: false }));
  rows.push({
    name: "p2p-message, coverage taken after every execution",
    value: everyExec.execsPerSecond,
    unit: "exec/s",
    ref: { name: "bare target", value: bareP2p.execsPerSecond, unit: "exec/s" },
    note: `${everyExec.coveredBlocks}/${everyExec.knownBlocks} blocks, coverage ${(everyExec.takeShare * 100).toFixed(0)}% of the time`,
  });
  for (const t of TARGETS) {
    const bare = await runInWorker(job(t.name, { seconds: BARE_SECONDS, coverage: false }));
    const s = await runInWorker(job(t.name, { seconds: SECONDS }));
    const found = s.finding ? `, FINDING ${s.finding.kind}: ${s.finding.message} (${s.finding.file})` : "";
    rows.push({
      name: `${t.name} coverage-guided, ${SECONDS} s`,
      value: s.execsPerSecond,
      unit: "exec/s",
      ref: { name: "bare target", value: bare.execsPerSecond, unit: "exec/s" },
      note: `${s.execs} execs, corpus ${s.corpusSize} (+${s.newInputs}), final batch ${s.batch}, coverage ${(s.takeShare * 100).toFixed(0)}% of the time${found}`,
    });
    rows.push({
      name: `${t.name} blocks covered`,
      value: s.coveredBlocks,
      unit: "blocks",
      ref: { name: "blocks known in its files", value: s.knownBlocks, unit: "blocks" },
      note: `functions ${s.coveredFunctions}/${s.knownFunctions}`,
    });
  }
  return rows;
}
