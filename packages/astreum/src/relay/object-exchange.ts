// The storage protocol over the relay (facts §2.6, §2.7, §2.9, §3.8): fetching atoms and lists for
// the store, serving them to peers (with the fair-use gate), provider advertisements (OBJECT_PUT)
// and hints (OBJECT_PROVIDER).

import { isIPv4 } from "node:net";
import type { Logger } from "../logger.js";
import { deserializeExpr } from "../machine/atom.js";
import type { Expr } from "../machine/expr.js";
import { idKey, idsEqual } from "../storage/atom-id.js";
import type { AtomStore } from "../storage/atom-store.js";
import { NotAListError } from "../storage/errors.js";
import { paymentRequired } from "../storage/fair-use.js";
import { resolveList } from "../storage/lists.js";
import { PayloadType } from "../storage/payload-type.js";
import { NORMAL_OVERHEAD_BYTES, Topic } from "./constants.js";
import {
  decodeContact,
  decodeFound,
  decodeObjectRequest,
  decodeObjectResponse,
  decodePaymentRequired,
  encodeContact,
  encodeFoundAtom,
  encodeFoundList,
  encodeObjectRequest,
  encodeObjectResponse,
  encodePaymentRequired,
  foundListRecordBytes,
  ObjectRequestCode,
  ObjectResponseCode,
  type ProviderContact,
} from "./object-messages.js";
import type { Peer } from "./peer.js";
import { ProviderIndex } from "./provider-index.js";
import { compareDistance } from "./route.js";
import type { DropReason } from "./stats.js";

/** What the exchange needs from its relay node. */
export interface ExchangeHost {
  readonly publicKey: Uint8Array;
  readonly store: AtomStore | null;
  readonly paymentPublicKey: Uint8Array | null;
  readonly fairUseLimit: number;
  readonly fairUseRatio: number;
  readonly maxDatagramSize: number;
  readonly log: Logger;
  storageRequestPrice(): number;
  /** Our own contact (relay key, IPv4, port), or null when we have no IPv4 address to give. */
  ownContact(): ProviderContact | null;
  /** The registered peer closest to `id` by XOR, other than `exclude` (a peer, or a set of peer keys). */
  closestPeer(id: Uint8Array, exclude?: Peer | ReadonlySet<string>): Peer | null;
  /** A peer's contact (null without an IPv4 address). */
  contactOf(peer: Peer): ProviderContact | null;
  /** True while `peer` is still one to ask (registered, or proven and waiting for a route slot). */
  isReachable(peer: Peer): boolean;
  /** A peer to reach a contact: the registered one with its key, or a transient one at its address. */
  peerForContact(contact: ProviderContact): Peer | null;
  sendTopic(peer: Peer, topic: Topic, content: Uint8Array): boolean;
  drop(reason: DropReason): void;
}

interface Pending {
  type: PayloadType;
  since: number;
  /** Keys of the peers asked (provider hints to them are not followed again). */
  tried: Set<string>;
  redirects: number;
}

/** Bytes an OBJECT_RESPONSE FOUND adds around its data: code, id, payload type. */
const FOUND_HEADER_BYTES = 1 + 32 + 1;
const MAX_REDIRECTS = 8;
const PENDING_TTL_MS = 120_000;

export interface ExchangeStats {
  served: number;
  paymentRequired: number;
  providerHints: number;
  advertised: number;
  indexed: number;
  forwarded: number;
}

export class ObjectExchange {
  readonly providers: ProviderIndex;
  readonly stats: ExchangeStats = {
    served: 0,
    paymentRequired: 0,
    providerHints: 0,
    advertised: 0,
    indexed: 0,
    forwarded: 0,
  };
  private readonly pending = new Map<string, Pending>();
  private serving = 0;
  /** The peer whose FOUND response arrived last. */
  private lastServer: Peer | null = null;

  constructor(
    private readonly host: ExchangeHost,
    readonly maxConcurrentServes = 256,
    maxIndexedAtoms = 1_000_000,
  ) {
    this.providers = new ProviderIndex(maxIndexedAtoms);
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** The largest serialized atom a FOUND response can carry. */
  maxAtomBytes(): number {
    return this.host.maxDatagramSize - NORMAL_OVERHEAD_BYTES - FOUND_HEADER_BYTES;
  }

  // ---- fetching ----

  /**
   * Sends OBJECT_GET to the indexed provider, else to the peer that served us last (atoms come in
   * related groups: the peer that served a block holds its trie nodes, which nobody indexes), else
   * to the closest peer. A repeated request for the same id (the store re-requests every
   * atom_fetch_interval) goes to the next of those not asked yet, so one silent peer cannot stall a
   * fetch; once every peer was asked, the round starts over. True when sent.
   */
  requestAtom(id: Uint8Array, type: PayloadType): boolean {
    const key = idKey(id);
    let p = this.pending.get(key);
    const created = p === undefined;
    if (p === undefined) {
      p = { type, since: Date.now(), tried: new Set(), redirects: 0 };
      this.pending.set(key, p);
    } else {
      if (type === PayloadType.LIST) p.type = type;
      p.since = Date.now();
    }
    const get = encodeObjectRequest({
      code: ObjectRequestCode.GET,
      atomId: id,
      payloadType: p.type,
      data: new Uint8Array(0),
    });
    for (let round = 0; round < 2; round++) {
      const provider = this.providers.get(id);
      if (
        provider !== null &&
        !idsEqual(provider.publicKey, this.host.publicKey) &&
        !p.tried.has(idKey(provider.publicKey))
      ) {
        const peer = this.host.peerForContact(provider);
        if (peer !== null && this.host.sendTopic(peer, Topic.OBJECT_REQUEST, get)) {
          p.tried.add(peer.key);
          return true;
        }
      }
      const last = this.lastServer;
      if (last !== null && !p.tried.has(last.key) && this.host.isReachable(last)) {
        if (this.host.sendTopic(last, Topic.OBJECT_REQUEST, get)) {
          p.tried.add(last.key);
          return true;
        }
      }
      const peer = this.host.closestPeer(id, p.tried);
      if (peer !== null && this.host.sendTopic(peer, Topic.OBJECT_REQUEST, get)) {
        p.tried.add(peer.key);
        return true;
      }
      if (p.tried.size === 0) break;
      p.tried.clear();
    }
    if (created) this.pending.delete(key);
    return false;
  }

  // ---- advertising ----

  /**
   * Announces this node as the provider of `id` (the reference's _network_set): indexed here when
   * no known peer is closer to the id than we are, else sent as OBJECT_PUT to the closest peer.
   * False when we have no contact to give.
   */
  advertise(id: Uint8Array, type: PayloadType): boolean {
    const own = this.host.ownContact();
    if (own === null) return false;
    this.stats.advertised++;
    const closest = this.host.closestPeer(id);
    if (closest === null || compareDistance(id, this.host.publicKey, closest.publicKey) <= 0) {
      this.providers.set(id, own);
      this.stats.indexed++;
      return true;
    }
    const put = encodeObjectRequest({
      code: ObjectRequestCode.PUT,
      atomId: id,
      payloadType: type,
      data: encodeContact(own),
    });
    return this.host.sendTopic(closest, Topic.OBJECT_REQUEST, put);
  }

  // ---- incoming ----

  /** OBJECT_REQUEST from `peer`. Throws MessageDecodeError for malformed content. */
  onRequest(peer: Peer, content: Uint8Array): void {
    const r = decodeObjectRequest(content);
    if (r.code === ObjectRequestCode.PUT) {
      const contact = decodeContact(r.data);
      const closest = this.host.closestPeer(r.atomId);
      if (closest === null || compareDistance(r.atomId, this.host.publicKey, closest.publicKey) <= 0) {
        this.providers.set(r.atomId, contact);
        this.stats.indexed++;
      } else if (this.host.sendTopic(closest, Topic.OBJECT_REQUEST, content)) this.stats.forwarded++;
      return;
    }
    if (this.serving >= this.maxConcurrentServes) {
      this.host.drop("busy");
      return;
    }
    this.serving++;
    this.serveGet(peer, r.atomId, r.payloadType)
      .catch((err: unknown) => {
        this.host.drop("internal");
        this.host.log.error(`serving ${idKey(r.atomId)} failed: ${(err as Error).message}`);
      })
      .finally(() => {
        this.serving--;
      });
  }

  /** OBJECT_RESPONSE from `peer`. Throws MessageDecodeError for malformed content. */
  onResponse(peer: Peer, content: Uint8Array): void {
    const r = decodeObjectResponse(content);
    const key = idKey(r.atomId);
    const p = this.pending.get(key);
    if (p === undefined) {
      this.host.drop("unsolicited");
      return;
    }
    if (r.code === ObjectResponseCode.FOUND) {
      const found = decodeFound(r.data);
      const atoms = found.atoms.map((a) => deserializeExpr(a));
      const root = atoms[0]!;
      if (!idsEqual(root.hash(), r.atomId)) {
        this.host.drop("unsolicited");
        this.host.log.warn(`object from ${peer.key.slice(0, 16)} does not hash to ${key}`);
        return;
      }
      this.pending.delete(key);
      this.lastServer = peer;
      let bytes = 0;
      for (const a of found.atoms) bytes += a.length;
      peer.sharedStorageDownload += bytes;
      this.accept(root, atoms, found.payloadType).catch((err: unknown) => {
        this.host.log.error(`storing ${key} failed: ${(err as Error).message}`);
      });
      return;
    }
    if (r.code === ObjectResponseCode.PROVIDER) {
      this.stats.providerHints++;
      this.follow(r.atomId, p, decodeContact(r.data));
      return;
    }
    const pay = decodePaymentRequired(r.data);
    if (this.host.paymentPublicKey !== null) {
      // Payment channels are not part of 0.4.0: a paying node stops here.
      this.host.log.info(`peer ${peer.key.slice(0, 16)} asks payment for ${key}; not implemented, giving up`);
      this.pending.delete(key);
    } else if (pay.hint !== null) this.follow(r.atomId, p, pay.hint);
    else this.pending.delete(key);
  }

  /** Drops requests that have been waiting longer than the TTL. */
  prune(now: number = Date.now()): void {
    for (const [k, p] of this.pending) if (now - p.since > PENDING_TTL_MS) this.pending.delete(k);
  }

  clear(): void {
    this.pending.clear();
    this.lastServer = null;
  }

  // ---- internals ----

  private follow(id: Uint8Array, p: Pending, contact: ProviderContact): void {
    const ck = idKey(contact.publicKey);
    if (idsEqual(contact.publicKey, this.host.publicKey) || p.tried.has(ck) || p.redirects >= MAX_REDIRECTS)
      return;
    const target = this.host.peerForContact(contact);
    if (target === null) return;
    p.redirects++;
    p.tried.add(ck);
    const get = encodeObjectRequest({
      code: ObjectRequestCode.GET,
      atomId: id,
      payloadType: p.type,
      data: new Uint8Array(0),
    });
    this.host.sendTopic(target, Topic.OBJECT_REQUEST, get);
  }

  /** Stores a verified response: one atom, or the atoms of the list walk from the root. */
  private async accept(root: Expr, atoms: Expr[], type: PayloadType): Promise<void> {
    const store = this.host.store;
    if (store === null) return;
    let keep: Expr[] = [root];
    if (type === PayloadType.LIST && atoms.length > 1 && root.tag === 0) {
      const byId = new Map<string, Expr>();
      for (const a of atoms) byId.set(idKey(a.hash()), a);
      const walk = await resolveList(root, (h) => byId.get(idKey(h)) ?? null);
      keep = walk.atoms;
    }
    await store.deliver(keep);
  }

  private async serveGet(peer: Peer, id: Uint8Array, type: PayloadType): Promise<void> {
    const store = this.host.store;
    if (store !== null) {
      const root = await store.getLocal(id);
      if (root !== null) {
        const records = type === PayloadType.LIST ? await this.listRecords(store, root) : [root.serialize()];
        if (records[0]!.length > this.maxAtomBytes()) {
          this.host.log.warn(`atom ${idKey(id)} (${records[0]!.length} bytes) is too large for one datagram`);
          return;
        }
        let size = 0;
        for (const r of records) size += r.length;
        if (this.requiresPayment(peer, id, size)) return;
        const data = type === PayloadType.LIST ? encodeFoundList(records) : encodeFoundAtom(records[0]!);
        const response = encodeObjectResponse({ code: ObjectResponseCode.FOUND, atomId: id, data });
        if (this.host.sendTopic(peer, Topic.OBJECT_RESPONSE, response)) {
          peer.sharedStorageUpload += size;
          this.stats.served++;
        }
        return;
      }
    }
    // Not here: point the requester at the indexed provider, else at our closest other peer.
    let contact = this.providers.get(id);
    if (
      contact !== null &&
      (idsEqual(contact.publicKey, peer.publicKey) || idsEqual(contact.publicKey, this.host.publicKey))
    )
      contact = null;
    if (contact === null) {
      const closest = this.host.closestPeer(id, peer);
      if (closest !== null) contact = this.host.contactOf(closest);
    }
    // Nobody else to name: the requester's own contact ("not here, nobody else known"), which a
    // requester never follows. So every GET gets an answer naming its id: peer admission's
    // challenge relies on that.
    contact ??= {
      publicKey: peer.publicKey,
      host: isIPv4(peer.address.host) ? peer.address.host : "0.0.0.0",
      port: peer.address.port,
    };
    const hint = encodeObjectResponse({
      code: ObjectResponseCode.PROVIDER,
      atomId: id,
      data: encodeContact(contact),
    });
    this.host.sendTopic(peer, Topic.OBJECT_RESPONSE, hint);
  }

  /** The list's atoms, root first, each once, as many as fit one datagram. */
  private async listRecords(store: AtomStore, root: Expr): Promise<Uint8Array[]> {
    const rootBytes = root.serialize();
    if (root.tag !== 0) return [rootBytes];
    let atoms: Expr[];
    try {
      atoms = (await store.resolveListLocal(root)).atoms;
    } catch (err) {
      if (err instanceof NotAListError) return [rootBytes];
      throw err;
    }
    const budget = this.maxAtomBytes() - 1;
    const out: Uint8Array[] = [rootBytes];
    let used = foundListRecordBytes(rootBytes.length);
    const seen = new Set<string>([idKey(root.hash())]);
    for (const a of atoms) {
      const k = idKey(a.hash());
      if (seen.has(k)) continue;
      seen.add(k);
      const bytes = a.serialize();
      if (used + foundListRecordBytes(bytes.length) > budget) break;
      out.push(bytes);
      used += foundListRecordBytes(bytes.length);
    }
    return out;
  }

  /** The fair-use gate: true when the peer must pay (a payment-required reply is sent if we can). */
  private requiresPayment(peer: Peer, id: Uint8Array, size: number): boolean {
    const h = this.host;
    const gate = paymentRequired({
      size,
      fairUseLimit: h.fairUseLimit,
      fairUseRatio: h.fairUseRatio,
      upload: peer.sharedStorageUpload,
      download: peer.sharedStorageDownload,
    });
    if (!gate) return false;
    this.stats.paymentRequired++;
    if (h.paymentPublicKey === null) {
      h.log.warn(
        `peer ${peer.key.slice(0, 16)} is past its fair use and this node has no payment key; not serving`,
      );
      return true;
    }
    const data = encodePaymentRequired({
      paymentPublicKey: h.paymentPublicKey,
      sizeEstimate: BigInt(size),
      baseFee: BigInt(h.storageRequestPrice()),
      hint: null,
    });
    h.sendTopic(
      peer,
      Topic.OBJECT_RESPONSE,
      encodeObjectResponse({ code: ObjectResponseCode.PAYMENT_REQUIRED, atomId: id, data }),
    );
    return true;
  }
}
