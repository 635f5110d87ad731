// The atom advertisement list (the seed's `node.atom_advertisments`, facts §2.7): which atoms this
// node announces as their provider, each with a payload type and an expiry (absolute UNIX time in
// seconds, or null = forever). The relay re-advertises the live entries every
// `storage_index_interval` seconds and announces new entries at once.
import { idKey, isAtomId } from "./atom-id.js";
import { InvalidStorageArgumentError } from "./errors.js";
import { isPayloadType, PayloadType } from "./payload-type.js";

export interface AtomAdvertisement {
  readonly atomId: Uint8Array;
  readonly payloadType: PayloadType;
  /** Absolute UNIX time in seconds, or null for no expiry. */
  readonly expiresAt: number | null;
}

export type AdvertisementInput =
  | AtomAdvertisement
  | readonly [atomId: Uint8Array, payloadType?: PayloadType, expiresAt?: number | null];

export type AdvertisementListener = (added: readonly AtomAdvertisement[]) => void;

/** Seconds since the UNIX epoch (the unit of `expiresAt`). */
export function unixNow(): number {
  return Date.now() / 1000;
}

export class AtomAdvertisements {
  private readonly byKey = new Map<string, AtomAdvertisement>();
  private readonly listeners = new Set<AdvertisementListener>();

  /** The entries in the order they were first added (an id appears once). */
  get entries(): readonly AtomAdvertisement[] {
    return [...this.byKey.values()];
  }

  get size(): number {
    return this.byKey.size;
  }

  /**
   * Adds (or, for an id already listed, replaces) one entry and announces it to listeners.
   * Throws InvalidStorageArgumentError for an id that is not 32 bytes, a payload type other than
   * 1 or 2, or an expiry that is not a finite number or null.
   */
  add(
    atomId: Uint8Array,
    payloadType: PayloadType = PayloadType.ATOM,
    expiresAt: number | null = null,
  ): AtomAdvertisement {
    const [entry] = this.addMany([{ atomId, payloadType, expiresAt }]);
    return entry!;
  }

  /** Adds a batch (all checked before any is added) and announces it once. */
  addMany(inputs: Iterable<AdvertisementInput>): AtomAdvertisement[] {
    const batch = [...inputs].map(normalize);
    for (const e of batch) this.byKey.set(idKey(e.atomId), e);
    if (batch.length > 0) for (const l of this.listeners) l(batch);
    return batch;
  }

  /** Drops entries whose expiry is at or before `now` (seconds); returns how many were dropped. */
  expire(now: number = unixNow()): number {
    let dropped = 0;
    for (const [key, e] of this.byKey)
      if (e.expiresAt !== null && e.expiresAt <= now) {
        this.byKey.delete(key);
        dropped++;
      }
    return dropped;
  }

  /** Entries not expired at `now`. */
  live(now: number = unixNow()): AtomAdvertisement[] {
    return this.entries.filter((e) => e.expiresAt === null || e.expiresAt > now);
  }

  remove(atomId: Uint8Array): boolean {
    return this.byKey.delete(idKey(atomId));
  }

  /** Calls `listener` with every batch added from now on; returns the unsubscribe function. */
  onAdd(listener: AdvertisementListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function normalize(input: AdvertisementInput): AtomAdvertisement {
  const [atomId, payloadType, expiresAt] = Array.isArray(input)
    ? [input[0], input[1] ?? PayloadType.ATOM, input[2] ?? null]
    : [
        (input as AtomAdvertisement).atomId,
        (input as AtomAdvertisement).payloadType ?? PayloadType.ATOM,
        (input as AtomAdvertisement).expiresAt ?? null,
      ];
  if (!isAtomId(atomId)) throw new InvalidStorageArgumentError("advertisement atom id must be 32 bytes");
  if (!isPayloadType(payloadType))
    throw new InvalidStorageArgumentError(
      `advertisement payload type must be 1 or 2, got ${String(payloadType)}`,
    );
  if (expiresAt !== null && (typeof expiresAt !== "number" || !Number.isFinite(expiresAt)))
    throw new InvalidStorageArgumentError("advertisement expiry must be UNIX seconds or null");
  return Object.freeze({ atomId: Uint8Array.from(atomId), payloadType, expiresAt });
}
