/**
 * The run record: everything the simnet runner observed during one scenario run. It is the contract
 * between the runner (which writes it) and the report (which only reads it). All times are ms since
 * the epoch on the one machine that ran every node, so they compare directly.
 */
export interface RunRecord {
  scenario: string;
  seed: number;
  startedAt: number; // ms since epoch
  endedAt: number;
  config: {
    nodes: number;
    miners: number;
    latencyMs: number;
    jitterMs: number;
    lossRate: number;
    bandwidthBytesPerSec: number | null;
    targetSpacingSec: number;
    durationSec: number;
  };
  nodes: { id: string; address: string; role: "miner" | "follower" | "attacker"; honest: boolean }[];
  /** Every block any honest node accepted; minedAt = when its miner accepted it (ms). miner = node id or null if unknown. */
  blocks: { hash: string; height: number; parent: string; miner: string | null; minedAt: number }[];
  /** First time each node accepted each block (connected, side branch or reorg), ms. */
  arrivals: { node: string; hash: string; at: number }[];
  /** Connection graph snapshots (undirected edges between node ids), taken every few seconds. */
  topology: { at: number; edges: [string, string][] }[];
  /** Tip samples per node over time. */
  tips: { node: string; at: number; height: number; hash: string }[];
  /** Bans that nodes made: ip banned, by which node. bannedNode = node id owning that ip, or null. */
  bans: { node: string; ip: string; bannedNode: string | null; at: number; reason: string }[];
  /** Resource samples per node. */
  resources: { node: string; at: number; rssBytes: number; cpuPercent: number }[];
  /** Scenario events: partition/heal/kill/restart/attack-start/attack-stop. */
  events: { at: number; kind: string; detail?: string }[];
  /** Eclipse attempt: the victim's count of honest peers over time. */
  eclipse?: { victim: string; samples: { at: number; honestPeers: number }[] };
}

export type RecordedBlock = RunRecord["blocks"][number];
export type RecordedNode = RunRecord["nodes"][number];
export type TopologySnapshot = RunRecord["topology"][number];

/** Ids of the honest nodes (miners and followers; attackers are never honest). */
export function honestNodeIds(record: RunRecord): Set<string> {
  return new Set(record.nodes.filter((node) => node.honest).map((node) => node.id));
}
