// Helpers for Node tests: loopback nodes with short intervals and no log files, and cleanup.
import {
  createTransaction,
  type Ed25519KeyPair,
  generateKeyPair,
  Node,
  type NodeConfig,
  type Transaction,
} from "astreum";
import { waitFor } from "./relay-helpers.js";

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

/**
 * Waits until `key`'s account on `node` can pay a transfer, then signs a transfer of 1 to a fresh
 * recipient with the account's next counter.
 */
export async function nextTransfer(
  node: Node,
  key: Ed25519KeyPair,
): Promise<{ tx: Transaction; recipient: Uint8Array }> {
  await waitFor("funds", async () => ((await node.getAccount(key.publicKey))?.balance ?? 0n) >= 2n, 30_000);
  const recipient = generateKeyPair().publicKey;
  const account = (await node.getAccount(key.publicKey))!;
  const tx = createTransaction({
    chainId: node.config.chain_id,
    amount: 1,
    counter: account.counter + 1n,
    recipient,
    sender: key.publicKey,
  });
  tx.sign(key.secretKey);
  return { tx, recipient };
}
