import type { AstramNode } from "../node.js";
import type { NodeMetrics } from "./metrics.js";
import { nodeStatus } from "./queries/node-status.js";
import { NODE_VERSION } from "./version.js";

type Labels = Record<string, string>;

const escapeLabel = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');

/** Writes metrics in the Prometheus text exposition format (version 0.0.4). */
class Exposition {
  private readonly lines: string[] = [];

  metric(name: string, type: "gauge" | "counter", help: string, samples: [Labels, number][]): this {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) {
      const keys = Object.keys(labels);
      const l = keys.length ? `{${keys.map((k) => `${k}="${escapeLabel(labels[k]!)}"`).join(",")}}` : "";
      this.lines.push(`${name}${l} ${Number.isFinite(value) ? value : 0}`);
    }
    return this;
  }

  one(name: string, type: "gauge" | "counter", help: string, value: number): this {
    return this.metric(name, type, help, [[{}, value]]);
  }

  text(): string {
    return this.lines.join("\n") + "\n";
  }
}

function fromMap(map: Map<string, number>, label: string): [Labels, number][] {
  return [...map.entries()].map(([k, v]) => [{ [label]: k }, v]);
}

/** GET /metrics: chain, mempool, peers, mining, counters and process figures. */
export function renderMetrics(node: AstramNode, metrics: NodeMetrics): string {
  const s = nodeStatus(node, metrics);
  const mem = process.memoryUsage();
  const peers = node.peers();
  const http = [...metrics.httpRequests.entries()].map(([k, v]): [Labels, number] => {
    const [method, route, status] = k.split("\u0000");
    return [{ method: method!, route: route!, status: status! }, v];
  });
  return new Exposition()
    .metric("astram_info", "gauge", "Node version and network (value is always 1).", [
      [{ version: NODE_VERSION, network: node.params.networkId, chain_id: String(node.params.chainId) }, 1],
    ])
    .one(
      "astram_chain_height",
      "gauge",
      "Height of the best chain's tip (genesis is 0).",
      s.blockchain.height,
    )
    .one(
      "astram_chain_tip_timestamp_seconds",
      "gauge",
      "Timestamp of the tip block.",
      s.blockchain.tip_timestamp,
    )
    .one(
      "astram_chain_difficulty",
      "gauge",
      "Difficulty (leading zero hex digits) of the next block.",
      s.blockchain.difficulty,
    )
    .one(
      "astram_chain_work",
      "gauge",
      "Cumulative work of the best chain (sum of 16^difficulty).",
      Number(node.chain.tip.chainWork),
    )
    .one("astram_utxo_set_size", "gauge", "Unspent outputs in the UTXO set.", s.blockchain.utxo_count)
    .one("astram_mempool_transactions", "gauge", "Pending transactions.", s.mempool.pending_transactions)
    .one("astram_mempool_bytes", "gauge", "Encoded bytes of pending transactions.", s.mempool.bytes)
    .one(
      "astram_mempool_fees_asrm",
      "gauge",
      "Sum of pending fees in ASRM.",
      Number(node.mempool.totalFees()) / 1e18,
    )
    .one(
      "astram_signature_cache_entries",
      "gauge",
      "Verified signatures remembered for the blocks that will carry them.",
      node.signatureCache.size,
    )
    .one(
      "astram_signature_cache_hits_total",
      "counter",
      "Signature checks skipped because the same check passed before.",
      node.signatureCache.hits,
    )
    .metric("astram_peers", "gauge", "Connected peers by direction.", [
      [{ direction: "inbound" }, peers.filter((p) => p.direction === "inbound").length],
      [{ direction: "outbound" }, peers.filter((p) => p.direction === "outbound").length],
    ])
    .one("astram_mining_active", "gauge", "1 while the miner runs.", s.mining.active ? 1 : 0)
    .one("astram_mining_hashrate", "gauge", "Mining hashrate in hashes per second.", s.mining.hashrate)
    .one(
      "astram_mining_blocks_found_total",
      "counter",
      "Blocks this node's miner found.",
      s.mining.blocks_mined,
    )
    .metric(
      "astram_blocks_accepted_total",
      "counter",
      "Blocks accepted since start, by result.",
      fromMap(metrics.blocksAccepted, "result"),
    )
    .metric(
      "astram_transactions_accepted_total",
      "counter",
      "Transactions admitted to the mempool, by source.",
      fromMap(metrics.txsAccepted, "source"),
    )
    .metric(
      "astram_transactions_rejected_total",
      "counter",
      "Transactions the HTTP API and JSON-RPC refused, by reason.",
      fromMap(metrics.txsRejected, "reason"),
    )
    .metric(
      "astram_block_validation_failures_total",
      "counter",
      "Invalid blocks seen, by reason.",
      fromMap(metrics.validationFailures, "reason"),
    )
    .metric("astram_http_requests_total", "counter", "HTTP API requests, by method, route and status.", http)
    .metric(
      "astram_rpc_requests_total",
      "counter",
      "Ethereum JSON-RPC calls, by method.",
      fromMap(metrics.rpcRequests, "method"),
    )
    .metric(
      "astram_rpc_errors_total",
      "counter",
      "Ethereum JSON-RPC error responses, by error code.",
      fromMap(metrics.rpcErrors, "code"),
    )
    .one("process_uptime_seconds", "gauge", "Seconds since the node started.", s.node.uptime_seconds)
    .one("process_resident_memory_bytes", "gauge", "Resident set size.", mem.rss)
    .one("nodejs_heap_used_bytes", "gauge", "V8 heap in use.", mem.heapUsed)
    .text();
}
