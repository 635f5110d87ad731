import type { RunRecord } from "./run-record.js";

export interface EclipseReport {
  victim: string;
  /** The first "attack-start" event, or the first sample when the record has none. */
  attackStartedAt: number | null;
  samples: number;
  /** Fewest honest peers the victim had from the attack's start on; null without samples then. */
  minHonestPeers: number | null;
  /** Whether the victim kept at least one honest peer in every sample; null when unmeasured. */
  keptHonestPeer: boolean | null;
}

/** The eclipse victim's honest-peer count under attack; null when the run attempted no eclipse. */
export function eclipseReport(record: RunRecord): EclipseReport | null {
  if (record.eclipse === undefined) return null;
  const starts = record.events.filter((event) => event.kind === "attack-start").map((event) => event.at);
  const attackStartedAt = starts.length > 0 ? Math.min(...starts) : null;
  const underAttack = record.eclipse.samples.filter(
    (sample) => attackStartedAt === null || sample.at >= attackStartedAt,
  );
  const minHonestPeers = underAttack.reduce<number | null>(
    (min, sample) => (min === null || sample.honestPeers < min ? sample.honestPeers : min),
    null,
  );
  const firstSampleAt = record.eclipse.samples.reduce<number | null>(
    (first, sample) => (first === null || sample.at < first ? sample.at : first),
    null,
  );
  return {
    victim: record.eclipse.victim,
    attackStartedAt: attackStartedAt ?? firstSampleAt,
    samples: underAttack.length,
    minHonestPeers,
    keptHonestPeer: minHonestPeers === null ? null : minHonestPeers >= 1,
  };
}
