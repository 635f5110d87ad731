import { honestNodeIds, type RunRecord } from "./run-record.js";

export interface HealReport {
  /** When the scenario healed the partition (ms). */
  healAt: number;
  detail?: string;
  /** First tip-sample time at or after the heal when every honest node's latest tip is the same block. */
  agreedAt: number | null;
  healTimeMs: number | null;
  agreedHash: string | null;
}

/**
 * For each "heal" event, how long until all honest nodes agree on the tip. Each node's tip is its
 * latest sample; the check runs after every sample time from the heal on. Honest nodes that never
 * reported a tip are left out (they cannot agree or disagree); null when agreement never came.
 */
export function healReports(record: RunRecord): HealReport[] {
  const honest = honestNodeIds(record);
  const samples = record.tips.filter((sample) => honest.has(sample.node)).sort((a, b) => a.at - b.at);
  const reporting = new Set(samples.map((sample) => sample.node));
  const heals = record.events.filter((event) => event.kind === "heal").sort((a, b) => a.at - b.at);
  return heals.map((heal) => {
    const latest = new Map<string, string>();
    const agreedHash = (): string | null => {
      if (latest.size < reporting.size || reporting.size === 0) return null;
      const [first] = latest.values();
      for (const hash of latest.values()) if (hash !== first) return null;
      return first ?? null;
    };
    let index = 0;
    for (; index < samples.length && (samples[index]?.at as number) <= heal.at; index++) {
      const sample = samples[index]!;
      latest.set(sample.node, sample.hash);
    }
    const report = { healAt: heal.at, ...(heal.detail === undefined ? {} : { detail: heal.detail }) };
    const atHeal = agreedHash();
    if (atHeal !== null) return { ...report, agreedAt: heal.at, healTimeMs: 0, agreedHash: atHeal };
    while (index < samples.length) {
      const at = samples[index]!.at;
      // Apply every sample taken at this instant before judging agreement.
      for (; index < samples.length && samples[index]!.at === at; index++) {
        const sample = samples[index]!;
        latest.set(sample.node, sample.hash);
      }
      const hash = agreedHash();
      if (hash !== null) return { ...report, agreedAt: at, healTimeMs: at - heal.at, agreedHash: hash };
    }
    return { ...report, agreedAt: null, healTimeMs: null, agreedHash: null };
  });
}
