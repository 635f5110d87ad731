import { EventEmitter } from "node:events";
import { type Block, parseEthTransfer, VerifyError } from "astram-core";
import type { MempoolEntry } from "../mempool/mempool.js";
import type { AstramNode } from "../node.js";
import { RpcError } from "./errors.js";
import { ethHashOf } from "./eth-format.js";
import { FilterRegistry } from "./filters.js";
import { NonceQueue } from "./nonce-queue.js";
import { admitEthTransfer } from "./send-raw-transaction.js";

export interface EthStateEvents {
  /** A block joined the best chain (in order; after a reorg, the new branch's blocks). */
  head: [Block];
  /** A transaction entered the mempool: its Ethereum hash. */
  pending: [string];
}

/**
 * What the Ethereum JSON-RPC keeps per node, shared by every endpoint serving it: the queue of
 * future nonces (promoted whenever a transaction enters the mempool or the tip moves), the polled
 * filters, and the head and pending-transaction events subscriptions follow.
 */
export class EthState extends EventEmitter<EthStateEvents> {
  readonly queue = new NonceQueue();
  readonly filters = new FilterRegistry();
  private promoting = false;

  constructor(private readonly node: AstramNode) {
    super();
    this.setMaxListeners(0);
    node.on("tx", (entry) => {
      const hash = ethHashOf(entry.tx);
      this.filters.push("pendingTransaction", hash);
      this.emit("pending", hash);
      if (entry.ethSender) this.promote(entry.ethSender);
    });
    node.chain.on("update", (u) => {
      for (const b of u.connected) {
        this.filters.push("block", "0x" + b.hash);
        this.emit("head", b);
      }
    });
    node.mempool.onReplaced((removed) => this.requeue(removed.slice(1)));
    node.chain.on("update", () => {
      for (const sender of this.queue.senders()) {
        this.queue.dropBelow(sender, BigInt(node.store.ethNonce(sender)));
        this.promote(sender);
      }
    });
  }

  /** Moves `sender`'s queued transfers into the mempool while their nonce is the next one. */
  promote(sender: string): void {
    if (this.promoting) return;
    this.promoting = true;
    try {
      for (;;) {
        const next = this.node.store.ethNonce(sender) + this.node.mempool.pendingEthCount(sender);
        const queued = this.queue.take(sender, BigInt(next));
        if (!queued) return;
        try {
          admitEthTransfer(this.node, queued.auth);
        } catch (e) {
          if (!(e instanceof RpcError)) throw e;
          this.node.log.info({ hash: queued.auth.hash, reason: e.message }, "queued transfer dropped");
          return;
        }
      }
    } finally {
      this.promoting = false;
    }
  }

  /**
   * Later nonces a replacement took out of the mempool (they followed the replaced transaction)
   * wait again in the queue and come back as soon as the replacement is in.
   */
  private requeue(removed: readonly MempoolEntry[]): void {
    for (const e of removed) {
      const signature = e.tx.inputs[0]?.signature;
      if (!e.ethSender || !signature?.startsWith("eth:")) continue;
      try {
        const auth = parseEthTransfer(signature.slice(4), this.node.params.chainId);
        this.queue.add(auth, auth.nonce - 1n, this.node.now());
      } catch (err) {
        if (!(err instanceof RpcError) && !(err instanceof VerifyError)) throw err;
      }
    }
  }
}

const states = new WeakMap<AstramNode, EthState>();

/** The node's JSON-RPC state, made on first use (after the node started: it needs the mempool). */
export function ethState(node: AstramNode): EthState {
  let s = states.get(node);
  if (!s) {
    s = new EthState(node);
    states.set(node, s);
  }
  return s;
}
