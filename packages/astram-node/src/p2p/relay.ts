import {
  type Block,
  bytesToHex,
  encodeP2pMessage,
  hexToBytes,
  InventoryType,
  type Transaction,
  VerifyError,
} from "astram-core";
import type { AcceptResult } from "../chain/chainstate.js";
import type { ChainSync } from "./chain-sync.js";
import type { P2pContext } from "./context.js";
import type { Peer } from "./peer.js";

/**
 * Relay as the seed describes it: new blocks and transactions are announced with Inv to peers that
 * do not have them, peers ask with GetData, and Block/Tx answer. Nothing is announced while the node
 * is catching up (the tip is announced once it is synced).
 */
export class Relay {
  private announceTipWhenSynced = false;

  constructor(
    private readonly ctx: P2pContext,
    private readonly sync: ChainSync,
  ) {}

  /** The node accepted a block (from anywhere). */
  readonly onNodeBlock = (block: Block, result: AcceptResult): void => {
    if (result.status !== "connected" && result.status !== "reorganized") return;
    if (this.sync.isSyncing()) {
      this.announceTipWhenSynced = true;
      return;
    }
    this.announce(InventoryType.Block, block.hash);
  };

  /** A transaction entered the mempool (from anywhere). */
  readonly onNodeTx = (entry: { tx: { txid: string } }): void => {
    this.announce(InventoryType.Transaction, entry.tx.txid);
  };

  /** Every second: once synced, announce the tip that catching up held back. */
  maintain(): void {
    if (this.announceTipWhenSynced && !this.sync.isSyncing()) {
      this.announceTipWhenSynced = false;
      this.announce(InventoryType.Block, this.ctx.node.chain.tip.hash);
    }
  }

  onInv(peer: Peer, type: InventoryType, hashes: readonly Uint8Array[]): void {
    const { node, limits } = this.ctx;
    if (hashes.length > limits.maxInventoryItems) {
      this.ctx.misbehave(peer, 20, `Inv of ${hashes.length} items`);
      return;
    }
    const wanted: Uint8Array[] = [];
    if (type === InventoryType.Block) {
      for (const raw of hashes) {
        if (raw.length !== 32) continue;
        const hash = bytesToHex(raw);
        peer.knownInventory.add(hash);
        if (!node.chain.hasBlock(hash) && !this.sync.downloader.isInFlight(hash)) wanted.push(raw);
      }
      // Only announcements of blocks we lack count: they are the ones that cost us a download.
      // Over the limit they are ignored (the periodic header sync still finds real blocks);
      // a peer far over it is flooding and is scored.
      const count = wanted.length > 0 ? peer.announcements.add(wanted.length) : 0;
      if (count > limits.blockAnnouncementsPerMinute) {
        if (count > 3 * limits.blockAnnouncementsPerMinute) {
          this.ctx.misbehave(peer, 20, `${count} block announcements in a minute`);
        }
        return;
      }
      if (wanted.length > 0) this.sync.requestBlocks(peer, wanted);
    } else if (type === InventoryType.Transaction) {
      for (const raw of hashes) {
        if (raw.length !== 32) continue;
        const txid = bytesToHex(raw);
        peer.knownInventory.add(txid);
        if (!node.mempool.has(txid) && !node.store.hasTransaction(txid)) wanted.push(raw);
      }
      if (wanted.length > 0)
        peer.send({ type: "GetData", objectType: InventoryType.Transaction, hashes: wanted });
    }
  }

  serveData(peer: Peer, type: InventoryType, hashes: readonly Uint8Array[]): void {
    const { node, limits } = this.ctx;
    if (hashes.length > limits.maxInventoryItems) {
      this.ctx.misbehave(peer, 20, `GetData of ${hashes.length} items`);
      return;
    }
    for (const raw of hashes) {
      if (raw.length !== 32) continue;
      const hash = bytesToHex(raw);
      if (type === InventoryType.Block) {
        const bytes = node.store.getBlockBytes(hash);
        if (!bytes) continue;
        // The stored bytes are the bincode Block: prefix the Block variant index (8).
        const payload = new Uint8Array(bytes.length + 1);
        payload[0] = 8;
        payload.set(bytes, 1);
        peer.knownInventory.add(hash);
        peer.sendPayload(payload);
      } else if (type === InventoryType.Transaction) {
        const entry = node.mempool.get(hash);
        if (entry) {
          peer.knownInventory.add(hash);
          peer.send({ type: "Tx", tx: entry.tx });
        }
      }
    }
  }

  onTx(peer: Peer, tx: Transaction): void {
    const { node, log } = this.ctx;
    peer.knownInventory.add(tx.txid);
    if (node.mempool.has(tx.txid)) return;
    try {
      node.submitTransaction(tx, { peer: peer.id });
    } catch (e) {
      if (!(e instanceof VerifyError)) throw e;
      log.debug({ peer: peer.id, txid: tx.txid, code: e.code }, "transaction from peer not accepted");
      if (e.action.kind === "ban") this.ctx.misbehave(peer, e.action.score, `invalid transaction: ${e.code}`);
    }
  }

  /** Announces an object to every ready peer that does not already have it. */
  private announce(type: InventoryType, hash: string): void {
    const payload = encodeP2pMessage({ type: "Inv", objectType: type, hashes: [hexToBytes(hash)] });
    for (const p of this.ctx.ready()) {
      if (p.knownInventory.has(hash)) continue;
      p.knownInventory.add(hash);
      p.sendPayload(payload);
    }
  }
}
