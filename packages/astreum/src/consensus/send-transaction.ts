// The seed's send_transaction(node, tx) (facts §4.15, with the spec's fix that a node without a
// validation key can send): checks that the node is connected and has a latest block, stores the
// transaction's atoms, advertises its hash and body hash, hands it to the node's own queue when the
// node validates, and sends TRANSACTION(hash) to every validator on the validation route. With no
// validator known yet it asks its peers for their validators (ROUTE_REQUEST 1) and waits up to
// peer_timeout_interval seconds. Returns the transaction hash.
import type { Expr } from "../machine/expr.js";
import {
  LatestBlockUnavailableError,
  NodeNotConnectedError,
  NoValidatorAvailableError,
  UnsignedTransactionError,
} from "../node-errors.js";
import type { Peer } from "../relay/peer.js";
import { RouteId } from "../relay/route-messages.js";
import { PayloadType } from "../storage/payload-type.js";
import type { Block } from "./block.js";
import { sleep } from "./sleep.js";
import type { Transaction } from "./transaction.js";

/** What sendTransaction needs from a node (the Node class provides it). */
export interface TransactionSender {
  readonly isConnected: boolean;
  readonly latestBlock: Block | null;
  readonly isValidating: boolean;
  readonly peerTimeoutSeconds: number;
  readonly peerTimeoutIntervalSeconds: number;
  storeAtoms(atoms: readonly Expr[]): Promise<void>;
  addAtomAdvertisements(entries: [Uint8Array, PayloadType, number | null][]): unknown;
  /** Queues the transaction for this node's own blocks (when it validates). */
  queueLocalTransaction(tx: Transaction): boolean;
  validatorPeers(): Peer[];
  peersWithAddress(): Peer[];
  requestRoute(peer: Peer, route: RouteId): void;
  sendTransactionHash(peer: Peer, hash: Uint8Array): boolean;
}

export async function sendTransaction(node: TransactionSender, tx: Transaction): Promise<Uint8Array> {
  if (!node.isConnected) throw new NodeNotConnectedError();
  if (node.latestBlock === null) throw new LatestBlockUnavailableError();
  if (tx.signature === null) throw new UnsignedTransactionError();
  const hash = tx.hash();
  await node.storeAtoms(tx.atoms());
  const expires = Date.now() / 1000 + node.peerTimeoutSeconds;
  node.addAtomAdvertisements([
    [hash, PayloadType.LIST, expires],
    [tx.bodyHash(), PayloadType.LIST, expires],
  ]);
  const local = node.isValidating && node.queueLocalTransaction(tx);
  let validators = node.validatorPeers();
  if (validators.length === 0 && !local) {
    for (const p of node.peersWithAddress()) node.requestRoute(p, RouteId.VALIDATION);
    const deadline = Date.now() + node.peerTimeoutIntervalSeconds * 1000;
    while (validators.length === 0 && Date.now() < deadline) {
      await sleep(100);
      validators = node.validatorPeers();
    }
    if (validators.length === 0) throw new NoValidatorAvailableError();
  }
  for (const p of validators) node.sendTransactionHash(p, hash);
  return hash;
}
