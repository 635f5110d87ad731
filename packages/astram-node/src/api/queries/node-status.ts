import { bigintToHex, formatAsrm } from "astram-core";
import { DEFAULT_MEMPOOL_LIMITS } from "../../mempool/mempool.js";
import type { AstramNode, PeerSummary, SyncProgress } from "../../node.js";
import type { NodeMetrics } from "../metrics.js";
import { NODE_VERSION } from "../version.js";

/** What the miner reports; `backend` only when the miner exposes one (e.g. "cpu", "webgpu"). */
export interface MiningInfo {
  readonly active: boolean;
  readonly hashrate: number;
  readonly backend: string | null;
  readonly threads: number;
  readonly difficulty: number;
  readonly blocks_mined: number;
}

export function miningInfo(node: AstramNode): MiningInfo {
  const miner = node.miner;
  const backend = (miner as { backend?: unknown } | undefined)?.backend;
  return {
    active: miner?.isRunning ?? false,
    hashrate: miner?.hashrate ?? 0,
    backend: typeof backend === "string" ? backend : null,
    threads: miner?.threads ?? 0,
    difficulty: node.chain.nextDifficulty(),
    blocks_mined: miner?.blocksFound ?? 0,
  };
}

/** IPv4 of "1.2.3.4:8335" (undefined for IPv6 and names). */
function ipv4Of(address: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?::\d+)?$/.exec(address);
  return m ? m.slice(1, 5).map(Number) : undefined;
}

export function subnetDiversity(peers: readonly PeerSummary[]): {
  unique_24_subnets: number;
  unique_16_subnets: number;
} {
  const s24 = new Set<string>();
  const s16 = new Set<string>();
  for (const p of peers) {
    const ip = ipv4Of(p.address);
    if (!ip) continue;
    s24.add(ip.slice(0, 3).join("."));
    s16.add(ip.slice(0, 2).join("."));
  }
  return { unique_24_subnets: s24.size, unique_16_subnets: s16.size };
}

export function peerToJSON(p: PeerSummary) {
  return {
    id: p.id,
    address: p.address,
    direction: p.direction,
    height: p.height,
    version: p.version,
    connected_at: p.connectedAt,
    ban_score: p.banScore,
  };
}

export function syncToJSON(s: SyncProgress) {
  const span = s.highestHeight - s.startingHeight;
  return {
    syncing: s.syncing,
    starting_height: s.startingHeight,
    current_height: s.currentHeight,
    highest_height: s.highestHeight,
    progress_percent:
      !s.syncing || span <= 0 ? 100 : Math.floor(((s.currentHeight - s.startingHeight) / span) * 1000) / 10,
  };
}

/** UTXO-set size, read once per tip (the set only changes when the tip does). */
const utxoCountCache = new WeakMap<AstramNode, { tip: string; count: number }>();
function utxoCount(node: AstramNode): number {
  const tip = node.chain.tip.hash;
  const cached = utxoCountCache.get(node);
  if (cached?.tip === tip) return cached.count;
  const count = node.store.utxoCount();
  utxoCountCache.set(node, { tip, count });
  return count;
}

/**
 * The `/status` document: node, chain (real tip hash, next difficulty), mempool, peers, mining,
 * the miner's wallet and validation failures. Every figure comes from memory or an O(1) index read.
 */
export function nodeStatus(node: AstramNode, metrics: NodeMetrics) {
  const tip = node.chain.tip;
  const peers = node.peers();
  const limits = { ...DEFAULT_MEMPOOL_LIMITS, ...node.options.mempoolLimits };
  const minerAddress = node.settings.minerAddress ?? null;
  const stats = minerAddress ? node.store.addressStats(minerAddress) : undefined;
  const balance = stats ? stats.received - stats.sent : 0n;
  const heights: Record<string, number> = {};
  for (const p of peers) heights[p.id] = p.height;
  return {
    node: {
      version: NODE_VERSION,
      network: node.params.name,
      network_id: node.params.networkId,
      chain_id: node.params.chainId,
      uptime_seconds: Math.floor((Date.now() - node.startedAt) / 1000),
      started_at: new Date(node.startedAt).toISOString(),
    },
    blockchain: {
      height: tip.height,
      chain_tip: tip.hash,
      tip_timestamp: tip.header.timestamp,
      tip_difficulty: tip.header.difficulty,
      difficulty: node.chain.nextDifficulty(),
      chain_work: bigintToHex(tip.chainWork),
      target_spacing: node.params.targetSpacing,
      utxo_count: utxoCount(node),
    },
    sync: syncToJSON(node.syncProgress()),
    mempool: {
      pending_transactions: node.mempool.size,
      bytes: node.mempool.totalBytes,
      total_fees: bigintToHex(node.mempool.totalFees()),
      max_size: limits.maxCount,
      max_bytes: limits.maxBytes,
    },
    network: {
      connected_peers: peers.length,
      peers: peers.map(peerToJSON),
      peer_heights: heights,
      subnet_diversity: subnetDiversity(peers),
    },
    mining: miningInfo(node),
    wallet: {
      address: minerAddress,
      balance: bigintToHex(balance),
      balance_asrm: formatAsrm(balance),
    },
    security: {
      validation_failures_total: metrics.validationFailuresTotal(),
      validation_failures: [...metrics.validationFailures.entries()],
    },
    timestamp: new Date().toISOString(),
  };
}

export type NodeStatus = ReturnType<typeof nodeStatus>;
