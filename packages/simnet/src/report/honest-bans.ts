import { honestNodeIds, type RunRecord } from "./run-record.js";

export type RecordedBan = RunRecord["bans"][number];

export interface BanReport {
  total: number;
  /** Bans of an address that belongs to an honest node: the goal is none. */
  honest: RecordedBan[];
  /** Bans whose address belongs to no known node. */
  unattributed: number;
}

export function banReport(record: RunRecord): BanReport {
  const honest = honestNodeIds(record);
  return {
    total: record.bans.length,
    honest: record.bans.filter((ban) => ban.bannedNode !== null && honest.has(ban.bannedNode)),
    unattributed: record.bans.filter((ban) => ban.bannedNode === null).length,
  };
}
