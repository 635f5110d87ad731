import { indexHopDistances, randomPeerGraph } from "../src/report/random-peer-graph.js";
import type { RunRecord } from "../src/report/run-record.js";
import { seededRandom } from "../src/report/seeded-random.js";

type RecordedNode = RunRecord["nodes"][number];

export const T0 = 1_700_000_000_000;

/** A node entry; ids double as addresses on distinct loopback hosts. */
export function node(id: string, role: RecordedNode["role"] = "follower"): RecordedNode {
  return { id, address: `127.0.${id.charCodeAt(0)}.${id.length}:8335`, role, honest: role !== "attacker" };
}

/** A small hand-built run record; every list empty unless given. */
export function runRecord(parts: Partial<RunRecord> = {}): RunRecord {
  return {
    scenario: "hand-built",
    seed: 7,
    startedAt: T0,
    endedAt: T0 + 60_000,
    config: {
      nodes: parts.nodes?.length ?? 0,
      miners: parts.nodes?.filter((n) => n.role === "miner").length ?? 0,
      latencyMs: 100,
      jitterMs: 0,
      lossRate: 0,
      bandwidthBytesPerSec: null,
      targetSpacingSec: 10,
      durationSec: 60,
    },
    nodes: [],
    blocks: [],
    arrivals: [],
    topology: [],
    tips: [],
    bans: [],
    resources: [],
    events: [],
    ...parts,
  };
}

/**
 * A line of four honest nodes A-B-C-D (A mines) with an attacker X linked to A and D, 100 ms links.
 * Block b1 is mined by A at T0+1000 and reaches B, C, D after 150, 330, 480 ms (X too, ignored).
 */
export function lineRecord(): RunRecord {
  return runRecord({
    nodes: [node("A", "miner"), node("B"), node("C"), node("D"), node("X", "attacker")],
    topology: [
      { at: T0, edges: [["A", "D"]] },
      {
        at: T0 + 500,
        edges: [
          ["A", "B"],
          ["B", "C"],
          ["C", "D"],
          ["A", "X"],
          ["X", "D"],
        ],
      },
      { at: T0 + 2000, edges: [["A", "D"]] },
    ],
    blocks: [{ hash: "b1", height: 1, parent: "g", miner: "A", minedAt: T0 + 1000 }],
    arrivals: [
      { node: "A", hash: "b1", at: T0 + 1000 },
      { node: "B", hash: "b1", at: T0 + 1150 },
      { node: "C", hash: "b1", at: T0 + 1330 },
      { node: "D", hash: "b1", at: T0 + 1480 },
      { node: "X", hash: "b1", at: T0 + 1100 },
    ],
  });
}

/**
 * A synthetic run on a seeded random peer graph of `nodes` honest nodes (mean degree `degree`, the
 * first `miners` of them mining in turn every `spacingMs`): every block reaches every node after
 * exactly hops × (latency + perHopCostMs), so a fit must recover perHopCostMs. Tips, resources and a
 * topology snapshot are filled in so every part of the report has data.
 */
export function syntheticRecord(options: {
  scenario?: string;
  seed: number;
  nodes: number;
  degree: number;
  miners?: number;
  blocks: number;
  latencyMs: number;
  perHopCostMs: number;
  spacingMs?: number;
}): RunRecord {
  const { nodes: n, blocks: count, latencyMs, perHopCostMs } = options;
  const spacingMs = options.spacingMs ?? 10_000;
  const random = seededRandom(options.seed);
  const graph = randomPeerGraph(n, options.degree, random);
  const id = (i: number) => `n${i}`;
  const miners = options.miners ?? 1;
  const nodeList = Array.from({ length: n }, (_, i) => node(id(i), i < miners ? "miner" : "follower"));
  const edges: [string, string][] = [];
  graph.forEach((peers, i) => {
    for (const peer of peers) if (i < peer) edges.push([id(i), id(peer)]);
  });
  const record = runRecord({
    scenario: options.scenario ?? "synthetic",
    seed: options.seed,
    nodes: nodeList,
    topology: [{ at: T0, edges }],
    endedAt: T0 + (count + 1) * spacingMs,
  });
  record.config.latencyMs = latencyMs;
  record.config.targetSpacingSec = spacingMs / 1000;
  let parent = "genesis";
  for (let b = 0; b < count; b++) {
    const minerIndex = b % miners;
    const minedAt = T0 + (b + 1) * spacingMs;
    const hash = `blk${b + 1}`;
    record.blocks.push({ hash, height: b + 1, parent, miner: id(minerIndex), minedAt });
    const hops = indexHopDistances(graph, minerIndex);
    hops.forEach((h, i) => {
      if (h < 0) return;
      const at = minedAt + h * (latencyMs + perHopCostMs);
      record.arrivals.push({ node: id(i), hash, at });
      record.tips.push({ node: id(i), at: at + 1, height: b + 1, hash });
    });
    parent = hash;
  }
  for (let i = 0; i < n; i++) {
    record.resources.push({ node: id(i), at: T0, rssBytes: (90 + i) * 1024 * 1024, cpuPercent: 5 });
  }
  return record;
}
