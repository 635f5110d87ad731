// Helpers for Node tests: loopback nodes with short intervals and no log files, and cleanup.
import { Node, type NodeConfig } from "astreum";

const open = new Set<Node>();

/** Loopback, ephemeral port, no default seed, no logs, fast verification rounds and fetch retries. */
export function testConfig(extra: NodeConfig = {}): NodeConfig {
  return {
    incoming_port: 0,
    default_seed: null,
    bindAddress: "127.0.0.1",
    logging_enabled: false,
    verify_blockchain_interval: 0.2,
    peer_timeout_interval: 0.5,
    atom_fetch_interval: 0.05,
    atom_fetch_retries: 40,
    ...extra,
  };
}

export function makeNode(extra: NodeConfig = {}): Node {
  const n = new Node(testConfig(extra));
  open.add(n);
  return n;
}

export async function closeAll(): Promise<void> {
  await Promise.all([...open].map((n) => n.close()));
  open.clear();
}

export function seedOf(n: Node): string {
  return `127.0.0.1:${n.config.incoming_port}`;
}
