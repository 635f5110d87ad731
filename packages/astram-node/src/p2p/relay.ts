import {
  type Block,
  bytesToHex,
  encodeP2pMessage,
  FEATURES,
  hexToBytes,
  InventoryType,
  type Transaction,
  VerifyError,
} from "astram-core";
import type { AcceptResult } from "../chain/chainstate.js";
import type { ChainSync } from "./chain-sync.js";
import type { P2pContext } from "./context.js";
import { isIgnored, noteJunk } from "./junk-policy.js";
import type { Peer } from "./peer.js";

/** Announcements carry at most this many new blocks; a longer run is announced by its tip only. */
const MAX_BLOCKS_PER_ANNOUNCEMENT = 8;
/** Blocks up to this size (together) are pushed to every pushing peer... */
const PUSH_ALL_BYTES = 256 * 1024;
/** ...larger ones to this many (Bitcoin's compact-block high-bandwidth peers are 3). */
const PUSH_PEERS = 3;
/** Blocks a peer may have announced to us and not yet delivered (more are junk). */
export const MAX_ANNOUNCED_IN_FLIGHT = 16;

/**
 * Relay: every block that becomes part of the best chain goes at once to each peer that does not
 * have it: whole to peers that negotiated block push (one trip per hop), by its header to peers that
 * negotiated header announcements (they fetch it at once), by Inv to the others (the original
 * protocol); transactions by Inv. Blocks are relayed whether or not the node is catching up.
 * Announcements received are followed under the junk rule of junk-policy.ts.
 */
export class Relay {
  /** Blocks connected since the last announcement (announced together, once per event-loop turn). */
  private connected: Block[] = [];
  private announceTimer: NodeJS.Immediate | null = null;

  constructor(
    private readonly ctx: P2pContext,
    private readonly sync: ChainSync,
  ) {}

  /** The node accepted a block (from anywhere). */
  readonly onNodeBlock = (block: Block, result: AcceptResult): void => {
    this.sync.noteSeen(block.hash);
    if (result.status !== "connected" && result.status !== "reorganized") return;
    this.connected.push(block);
    if (this.connected.length > MAX_BLOCKS_PER_ANNOUNCEMENT) this.connected.shift();
    this.announceTimer ??= setImmediate(() => this.announceBlocks());
  };

  /** A transaction entered the mempool (from anywhere). */
  readonly onNodeTx = (entry: { tx: { txid: string } }): void => {
    this.announceInv(InventoryType.Transaction, entry.tx.txid);
  };

  stop(): void {
    if (this.announceTimer !== null) clearImmediate(this.announceTimer);
    this.announceTimer = null;
    this.connected = [];
  }

  /** Announces the blocks connected since the last call that are still on the best chain. */
  private announceBlocks(): void {
    this.announceTimer = null;
    const chain = this.ctx.node.chain;
    let blocks = this.connected.filter((b) => {
      const e = chain.getEntry(b.hash);
      return e !== undefined && chain.isOnBestChain(e);
    });
    this.connected = [];
    if (blocks.length === 0) return;
    // A run broken by a reorg is announced by its last block; the peer asks for what connects it.
    if (blocks.some((b, i) => i > 0 && b.header.previousHash !== blocks[i - 1]!.hash))
      blocks = blocks.slice(-1);
    // Whole blocks go to pushing peers: to all of them when small, else to the PUSH_PEERS lowest-ping.
    const pushers = this.ctx.ready().filter((p) => p.features.has(FEATURES.pushBlocks));
    const payloads = new Map(
      pushers.length === 0 ? [] : blocks.map((b) => [b.hash, encodeP2pMessage({ type: "Block", block: b })]),
    );
    const bytes = [...payloads.values()].reduce((n, p) => n + p.length, 0);
    const pushTo = new Set(
      bytes <= PUSH_ALL_BYTES
        ? pushers
        : pushers.sort((a, b) => (a.pingMs ?? 1e9) - (b.pingMs ?? 1e9)).slice(0, PUSH_PEERS),
    );
    for (const peer of this.ctx.ready()) {
      const fresh = blocks.filter((b) => !peer.knownInventory.has(b.hash));
      if (fresh.length === 0) continue;
      for (const b of fresh) peer.knownInventory.add(b.hash);
      if (pushTo.has(peer)) {
        for (const b of fresh) peer.sendPayload(payloads.get(b.hash)!);
      } else if (peer.features.has(FEATURES.announceHeaders)) {
        peer.send({ type: "Headers", headers: fresh.map((b) => b.header) });
      } else {
        peer.send({
          type: "Inv",
          objectType: InventoryType.Block,
          hashes: fresh.map((b) => hexToBytes(b.hash)),
        });
      }
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
      let junk = 0;
      for (const raw of hashes) {
        if (raw.length !== 32) continue;
        const hash = bytesToHex(raw);
        if (peer.heardFrom.has(hash) || peer.servedTo.has(hash)) {
          junk++;
          continue;
        }
        peer.heardFrom.add(hash);
        peer.knownInventory.add(hash);
        const entry = node.chain.getEntry(hash);
        if (entry) peer.height = Math.max(peer.height, entry.height + 1);
        else if (!this.sync.downloader.isInFlight(hash)) wanted.push(raw);
      }
      // An honest peer announces a few blocks and delivers them at once; announcing more while
      // earlier ones are still undelivered is junk.
      const room = Math.max(0, MAX_ANNOUNCED_IN_FLIGHT - peer.blocksInFlight.size);
      junk += Math.max(0, wanted.length - room);
      if (junk > 0) noteJunk(this.ctx, peer, "repeated or undeliverable block announcements", junk);
      if (wanted.length === 0 || room === 0 || isIgnored(this.ctx, peer)) return;
      this.sync.requestBlocks(peer, wanted.slice(0, room));
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
        peer.servedTo.add(hash);
        // It asked for the block, so it will have it: its height as the dashboard shows it.
        const entry = node.chain.getEntry(hash);
        if (entry) peer.height = Math.max(peer.height, entry.height + 1);
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

  /** Announces an object by Inv to every ready peer that does not already have it. */
  private announceInv(type: InventoryType, hash: string): void {
    const payload = encodeP2pMessage({ type: "Inv", objectType: type, hashes: [hexToBytes(hash)] });
    for (const p of this.ctx.ready()) {
      if (p.knownInventory.has(hash)) continue;
      p.knownInventory.add(hash);
      p.sendPayload(payload);
    }
  }
}
