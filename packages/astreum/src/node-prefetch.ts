// Fetching the atoms of blocks and transactions before they are decoded. Decoding asks for one atom
// at a time (a network wait each); list requests fetch a whole header or body chain in one round
// trip, so decoding afterwards reads local atoms. The peer that announced an object is asked first.
// Missing pieces are left to the decoder, which reports them.
import { isIPv4 } from "node:net";
import type { Block } from "./consensus/block.js";
import { ConsensusDecodeError, MissingAtomError } from "./consensus/errors.js";
import { chainItems, hashListIds } from "./consensus/expr-chain.js";
import { isAbsentHash } from "./machine/expr.js";
import type { Peer } from "./relay/peer.js";
import type { RelayNode } from "./relay/relay-node.js";
import { idsEqual, NIL_ID } from "./storage/atom-id.js";
import type { AtomStore } from "./storage/atom-store.js";
import { NotAListError } from "./storage/errors.js";

/** A missing or malformed piece: not the prefetcher's to report (the decoder reports it). */
function isLeftToDecoder(err: unknown): boolean {
  return (
    err instanceof MissingAtomError || err instanceof ConsensusDecodeError || err instanceof NotAListError
  );
}

export class Prefetcher {
  constructor(
    private readonly store: AtomStore,
    private readonly relay: RelayNode,
  ) {}

  /**
   * Fetches a header chain of `count` items and its body chain with list requests (a round trip
   * each), so decoding afterwards reads local atoms. Missing pieces are left to the decoder.
   */
  async object(id: Uint8Array, count: number, peer?: Peer): Promise<void> {
    if (peer !== undefined && !this.store.hasLocal(id)) this.hintProvider(id, peer);
    try {
      await this.store.resolveList(id);
      const header = await chainItems((h) => this.store.getLocal(h), id, count, "object");
      const body = header[0]!.hash;
      if (peer !== undefined && !this.store.hasLocal(body)) this.hintProvider(body, peer);
      await this.store.resolveList(body);
    } catch (err) {
      if (!isLeftToDecoder(err)) throw err;
    }
  }

  /** Fetches a block's transaction list and transactions (from `peer` first) before re-execution. */
  async transactions(block: Block, peer?: Peer): Promise<void> {
    const list = block.transactionsHash;
    if (isAbsentHash(list) || idsEqual(list, NIL_ID)) return;
    if (peer !== undefined && !this.store.hasLocal(list)) this.hintProvider(list, peer);
    try {
      await this.store.resolveList(list);
      const ids = await hashListIds((h) => this.store.getLocal(h), list, "transaction list");
      await Promise.all(ids.map((id) => this.object(id, 4, peer)));
    } catch (err) {
      if (!isLeftToDecoder(err)) throw err;
    }
  }

  /** Points atom requests for `id` at `peer` first (it announced the object). */
  hintProvider(id: Uint8Array, peer: Peer): void {
    if (!isIPv4(peer.address.host)) return;
    this.relay.exchange.providers.set(id, {
      publicKey: peer.publicKey,
      host: peer.address.host,
      port: peer.address.port,
    });
  }
}
