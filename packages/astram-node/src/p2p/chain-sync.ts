import {
  type Block,
  type BlockHeader,
  blockHeaderHash,
  bytesToHex,
  FEATURES,
  hexToBytes,
  InventoryType,
  MAX_REORG_DEPTH,
  VerifyError,
} from "astram-core";
import { SignatureVerifier } from "../chain/signature-verifier.js";
import type { AstramNode, SyncProgress } from "../node.js";
import { BlockDownloader } from "./block-downloader.js";
import type { P2pContext } from "./context.js";
import { HeaderTree } from "./header-tree.js";
import { isIgnored, noteJunk } from "./junk-policy.js";
import type { Peer } from "./peer.js";

/** A block received and not yet accepted; `solicited` when we had asked for it. */
interface Arrival {
  readonly peer: Peer;
  readonly block: Block;
  readonly solicited: boolean;
}

/** A view of node.chain resolved on each use (the chainstate is created when the node starts). */
function lazyChain(node: AstramNode): AstramNode["chain"] {
  return new Proxy({} as AstramNode["chain"], {
    get: (_t, k) => {
      const v = Reflect.get(node.chain, k, node.chain);
      return typeof v === "function" ? v.bind(node.chain) : v;
    },
  });
}

/**
 * Headers-first sync: GetHeaders with a locator of the best chain, each header validated before its
 * block is requested, blocks fetched from several peers in parallel, stalled requests moved to other
 * peers, missing parents of orphans fetched, progress logged; and the serving side of GetHeaders.
 */
export class ChainSync {
  readonly headers: HeaderTree;
  readonly downloader: BlockDownloader;
  private lastProgressLog = 0;
  private lastProgressHeight = 0;
  /** Blocks received and not yet accepted (see onBlock), and the pending flush. */
  private arrivals: Arrival[] = [];
  private flushTimer: NodeJS.Immediate | null = null;
  /** Runs of blocks in order: each is accepted after the one before it. */
  private pipeline: Promise<void> = Promise.resolve();
  private readonly verifier: SignatureVerifier;
  /** When recent blocks were first seen (bounded, oldest forgotten first). */
  private readonly firstSeen = new Map<string, number>();
  private stopped = false;
  /** The height the current round of catching up started from; null when not syncing. */
  private roundStart: number | null = null;

  constructor(private readonly ctx: P2pContext) {
    const node = ctx.node;
    this.verifier = new SignatureVerifier(node.signatureCache, node.settings.verifyThreads);
    this.headers = new HeaderTree(lazyChain(node), node.params, node.now);
    this.downloader = new BlockDownloader(
      ctx.limits,
      (peer, hashes) =>
        peer.send({ type: "GetData", objectType: InventoryType.Block, hashes: hashes.map(hexToBytes) }),
      (hash) => node.chain.hasBlock(hash),
      Date.now,
      // Ask only peers that vouched for the block's header (or a later one on its branch).
      (peer, hash, height) => this.headers.canServe(hash, peer.id) ?? peer.height >= height + 1,
    );
  }

  /**
   * True while validated headers show a chain with more work than our tip whose blocks we lack. A
   * peer's claimed height never makes a node "syncing" (which would also be a way to silence it).
   */
  isSyncing(): boolean {
    return this.headers.bestAhead() !== undefined;
  }

  /** Where sync stands; a round of catching up starts when the node falls behind a peer. */
  syncProgress(): SyncProgress {
    const current = this.ctx.node.chain.height;
    const highest = Math.max(current, this.headers.bestAhead()?.height ?? 0);
    const syncing = this.isSyncing();
    this.noteRound(syncing, current);
    return {
      syncing,
      startingHeight: this.roundStart ?? current,
      currentHeight: current,
      highestHeight: highest,
    };
  }

  private noteRound(syncing: boolean, current: number): void {
    if (!syncing) this.roundStart = null;
    else this.roundStart ??= current;
  }

  /** A peer finished its handshake: catch up if it is ahead. */
  onPeerReady(peer: Peer): void {
    if (peer.height > this.ctx.node.chain.height + 1) this.requestHeaders(peer);
  }

  requestHeaders(peer: Peer, locator = this.ctx.node.chain.locator().map(hexToBytes)): void {
    peer.headersRequested++;
    peer.send({ type: "GetHeaders", locatorHashes: locator });
  }

  /** Answers GetHeaders from the first locator hash on our best chain (genesis when none). */
  serveHeaders(peer: Peer, locator: readonly Uint8Array[], stop: Uint8Array | undefined): void {
    if (locator.length > 500) {
      this.ctx.misbehave(peer, 20, "oversized locator");
      return;
    }
    const chain = this.ctx.node.chain;
    let start = 0;
    let first = true;
    for (const raw of locator) {
      const e = raw.length === 32 ? chain.getEntry(bytesToHex(raw)) : undefined;
      if (!e) continue;
      // The peer's own tip leads its locator: its live height for the dashboard.
      if (first) peer.height = Math.max(peer.height, e.height + 1);
      first = false;
      if (chain.isOnBestChain(e)) {
        start = e.height + 1;
        break;
      }
    }
    const stopHash = stop && stop.length === 32 ? bytesToHex(stop) : undefined;
    const headers = [];
    for (let h = start; h <= chain.height && headers.length < this.ctx.limits.maxHeadersPerMessage; h++) {
      const e = chain.atHeight(h)!;
      headers.push(e.header);
      if (e.hash === stopHash) break;
    }
    peer.send({ type: "Headers", headers });
  }

  onHeaders(peer: Peer, headers: readonly BlockHeader[]): void {
    const { limits } = this.ctx;
    if (headers.length > limits.maxHeadersPerMessage) {
      this.ctx.misbehave(peer, 50, "too many headers");
      return;
    }
    const solicited = peer.headersRequested > 0;
    if (solicited) peer.headersRequested--;
    if (headers.length === 0) return;
    if (!solicited && !this.noteAnnouncedHeaders(peer, headers)) return;
    let fresh: string[];
    try {
      fresh = this.headers.add(headers, peer.id);
    } catch (e) {
      if (!(e instanceof VerifyError)) throw e;
      this.ctx.misbehave(peer, e.action.kind === "ban" ? e.action.score : 0, `invalid header: ${e.code}`);
      return;
    }
    const last = headers[headers.length - 1]!;
    peer.height = Math.max(peer.height, last.index + 1);
    if (this.headers.height(headers[0]!.previousHash) === undefined) {
      // The peer's headers do not connect to what we know: ask again from our locator.
      this.requestHeaders(peer);
      return;
    }
    const wanted = fresh.length > 0 ? this.wantBestBranch(fresh) : [];
    if (!solicited) {
      // An announcement of a branch with more work: fetch its blocks from the announcer at once.
      if (wanted.length > 0 && !isIgnored(this.ctx, peer)) {
        const room = Math.max(0, limits.blocksInFlightPerPeer - peer.blocksInFlight.size);
        const mine = wanted.filter((h) => !this.downloader.isInFlight(h)).slice(0, room);
        if (mine.length > 0) this.requestBlocks(peer, mine.map(hexToBytes));
      }
      this.downloader.schedule(this.ctx.ready());
      return;
    }
    if (headers.length >= limits.maxHeadersPerMessage) {
      this.requestHeaders(peer, [hexToBytes(blockHeaderHash(last))]);
    }
    this.downloader.schedule(this.ctx.ready());
    this.progress();
  }

  /**
   * Queues the blocks of the best branch when it has more work than our tip (headers-first: a branch
   * that could not win is never downloaded); returns the hashes queued. `fresh` are the headers just
   * added: when they end at the best header only they are new to the queue, else the branch is walked.
   */
  private wantBestBranch(fresh: readonly string[]): string[] {
    const best = this.headers.bestAhead();
    if (!best) return [];
    const list =
      best.hash === fresh[fresh.length - 1]
        ? fresh.map((hash) => ({ hash, height: this.headers.height(hash)! }))
        : this.headers.wanted();
    for (const w of list) this.downloader.want(w.hash, w.height);
    return list.map((w) => w.hash);
  }

  /**
   * Junk accounting for unsolicited Headers (announcements); false when the message is to be
   * dropped (a peer over its junk bound with nothing new).
   */
  private noteAnnouncedHeaders(peer: Peer, headers: readonly BlockHeader[]): boolean {
    const chain = this.ctx.node.chain;
    let junk = 0;
    let unknown = 0;
    for (const h of headers) {
      const hash = blockHeaderHash(h);
      if (peer.heardFrom.has(hash) || peer.servedTo.has(hash)) junk++;
      peer.heardFrom.add(hash);
      peer.knownInventory.add(hash);
      const e = chain.getEntry(hash);
      if (e) peer.height = Math.max(peer.height, e.height + 1);
      else unknown++;
    }
    if (junk > 0) noteJunk(this.ctx, peer, "repeated header announcements", junk);
    return unknown > 0 && !peer.isClosed;
  }

  /** Records when a block was first seen here (received or made), for telling races from junk. */
  noteSeen(hash: string): void {
    if (this.firstSeen.has(hash)) return;
    this.firstSeen.set(hash, Date.now());
    if (this.firstSeen.size > 2000) this.firstSeen.delete(this.firstSeen.keys().next().value as string);
  }

  /** Requests announced blocks from the announcing peer. */
  requestBlocks(peer: Peer, hashes: readonly Uint8Array[]): void {
    for (const raw of hashes) this.downloader.markRequested(bytesToHex(raw), peer);
    peer.send({ type: "GetData", objectType: InventoryType.Block, hashes: [...hashes] });
  }

  /**
   * A block arrived from a peer (requested or not). Blocks that arrive in the same turn of the
   * event loop (one socket read often holds several) are accepted together, in one store commit.
   */
  onBlock(peer: Peer, block: Block): void {
    const { node } = this.ctx;
    const solicited = this.downloader.received(block.hash, peer);
    // Whatever happens to it below, the peer has this block: we never send it back.
    const repeat = peer.heardFrom.has(block.hash);
    peer.heardFrom.add(block.hash);
    peer.knownInventory.add(block.hash);
    if (!solicited) {
      // Unasked-for blocks are welcome when new (pushed by a peer, or by the original protocol); a
      // copy of one we have is junk unless it crossed ours in flight (it arrived within
      // limits.pushRaceMs of our first copy), and a peer over its junk bound is not listened to.
      if (node.chain.hasBlock(block.hash)) {
        const first = this.firstSeen.get(block.hash);
        if (repeat || first === undefined || Date.now() - first > this.ctx.limits.pushRaceMs)
          noteJunk(this.ctx, peer, "unsolicited block we already have");
        return;
      }
      if (isIgnored(this.ctx, peer)) return;
      // Deeper than any reorg may reach: it can never join our chain, so it is not stored.
      if (block.header.index + MAX_REORG_DEPTH < node.chain.height) {
        noteJunk(this.ctx, peer, "unsolicited block below the reorg limit");
        return;
      }
    }
    this.noteSeen(block.hash);
    if (this.stopped) return;
    this.arrivals.push({ peer, block, solicited });
    this.flushTimer ??= setImmediate(() => this.flush());
  }

  /**
   * Hands the blocks that arrived since the last flush on. While syncing, their signatures are
   * first verified on worker threads (the main thread meanwhile connects the previous run); runs
   * are accepted strictly in arrival order.
   */
  flush(): void {
    if (this.flushTimer !== null) clearImmediate(this.flushTimer);
    this.flushTimer = null;
    const batch = this.arrivals;
    this.arrivals = [];
    if (batch.length === 0) return;
    const signed = batch.filter((a) => a.block.transactions.length > 1).map((a) => a.block);
    const verified = signed.length > 0 && this.isSyncing() ? this.verifier.prepare(signed) : undefined;
    this.pipeline = this.pipeline
      .then(() => verified)
      .then(() => this.accept(batch))
      .catch((e: unknown) => this.ctx.log.error({ err: (e as Error).message }, "accepting blocks failed"));
  }

  /** Takes blocks again after stop(). */
  start(): void {
    this.stopped = false;
  }

  /** Flushes, waits until every received block is accepted, and stops the verifier threads. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.flush();
    await this.pipeline;
    await this.verifier.stop();
  }

  private accept(batch: readonly Arrival[]): void {
    this.noteRound(this.isSyncing(), this.ctx.node.chain.height);
    const outcomes = this.ctx.node.submitBlocks(
      batch.map(({ peer, block }) => ({ block, source: { peer: peer.id } })),
    );
    for (const [i, outcome] of outcomes.entries()) {
      const { peer, block, solicited } = batch[i]!;
      if (outcome instanceof VerifyError) {
        this.ctx.log.warn(
          { peer: peer.id, hash: block.hash, code: outcome.code, reason: outcome.reason },
          "invalid block from peer",
        );
        if (outcome.action.kind === "ban")
          this.ctx.misbehave(peer, outcome.action.score, `invalid block: ${outcome.code}`);
        continue;
      }
      if (outcome.status === "orphan") {
        // A pushing peer may be a block ahead of what reached us; anyone else sends junk.
        if (!solicited && !peer.features.has(FEATURES.pushBlocks))
          noteJunk(this.ctx, peer, "unsolicited block that connects to nothing we know");
        // Its header stays pending until it connects (an evicted orphan is fetched again); ask for
        // the headers that connect it unless they are already being downloaded.
        if (!this.headers.has(block.hash)) this.requestHeaders(peer);
      } else {
        this.headers.remove(block.hash);
      }
      peer.height = Math.max(peer.height, block.header.index + 1);
    }
    this.downloader.schedule(this.ctx.ready());
    this.progress();
  }

  /** True while blocks are awaited from the peer or the best chain ahead is one it vouched for. */
  dependsOn(peer: Peer): boolean {
    const best = this.headers.bestAhead();
    return (
      peer.blocksInFlight.size > 0 ||
      (best !== undefined && this.headers.canServe(best.hash, peer.id) === true)
    );
  }

  peerGone(peer: Peer): void {
    this.downloader.peerGone(peer);
    for (const hash of this.headers.dropSource(peer.id)) this.downloader.forget(hash);
  }

  /** Every second: re-want headers whose blocks went missing, move stalled requests, drop stallers. */
  maintain(): void {
    const { node, limits } = this.ctx;
    if (this.downloader.queued < limits.blocksInFlightPerPeer * 4 && this.headers.size > 0) {
      for (const { hash, height } of this.headers.wanted()) {
        if (!node.chain.hasBlock(hash) && !this.downloader.isInFlight(hash))
          this.downloader.want(hash, height);
      }
    }
    this.downloader.checkTimeouts(this.ctx.ready(), (peer, missed) => {
      noteJunk(this.ctx, peer, "requested blocks not delivered", missed);
      peer.stalls++;
      if (peer.stalls >= limits.maxStalls) peer.close("stalled during block download");
    });
  }

  /** Every 15 s: ask every peer for headers past our tip. */
  periodic(): void {
    for (const p of this.ctx.ready()) this.requestHeaders(p);
  }

  private progress(): void {
    const peers = this.ctx.ready();
    const target = Math.max(0, ...peers.map((p) => p.height - 1));
    const height = this.ctx.node.chain.height;
    if (target <= height) return;
    const now = Date.now();
    if (now - this.lastProgressLog < 2000) return;
    // The rate since the previous line (none on the first), and the time left at that rate.
    const rate =
      this.lastProgressLog > 0 && height > this.lastProgressHeight
        ? ((height - this.lastProgressHeight) * 1000) / (now - this.lastProgressLog)
        : undefined;
    this.lastProgressLog = now;
    this.lastProgressHeight = height;
    this.ctx.log.info(
      {
        height,
        target,
        percent: Math.floor((height / Math.max(target, 1)) * 100),
        peers: peers.length,
        queued: this.downloader.queued,
        ...(rate === undefined
          ? {}
          : { blocksPerSecond: Math.round(rate), etaSeconds: Math.ceil((target - height) / rate) }),
      },
      `syncing: block ${height} of ${target}`,
    );
  }
}
