// A Kademlia-style route (facts §3.10) around a 32-byte own key: 256 buckets indexed by the number
// of leading bits a member's key shares with the own key, 16 members each (a full bucket refuses
// newcomers; who may replace whom is the peer admission's rule), distance = XOR read as a big-endian
// unsigned integer.
import { idKey } from "../storage/atom-id.js";
import { ROUTE_BUCKET_SIZE, ROUTE_BUCKETS } from "./constants.js";

/** Leading bits shared by two equal-length byte strings (their length × 8 when equal). */
export function sharedPrefixBits(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]! ^ b[i]!;
    if (x !== 0) return i * 8 + Math.clz32(x) - 24;
  }
  return a.length * 8;
}

/** Compares XOR distances to `target`: negative when `a` is closer than `b`, 0 when equal. */
export function compareDistance(target: Uint8Array, a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < target.length; i++) {
    const da = a[i]! ^ target[i]!;
    const db = b[i]! ^ target[i]!;
    if (da !== db) return da - db;
  }
  return 0;
}

export class Route<T = unknown> {
  private readonly buckets: Uint8Array[][] = Array.from({ length: ROUTE_BUCKETS }, () => []);
  private readonly members = new Map<string, { key: Uint8Array; value: T | undefined }>();

  constructor(
    readonly ownKey: Uint8Array,
    readonly bucketSize: number = ROUTE_BUCKET_SIZE,
  ) {}

  get size(): number {
    return this.members.size;
  }

  /** The bucket for `key`, or -1 for the own key. */
  bucketIndex(key: Uint8Array): number {
    const bits = sharedPrefixBits(this.ownKey, key);
    return bits >= ROUTE_BUCKETS ? -1 : bits;
  }

  /**
   * Adds a member (with an optional value, e.g. its Peer). True when it is in the route afterwards;
   * false for the own key or a full bucket. An existing member gets the new value.
   */
  add(key: Uint8Array, value?: T): boolean {
    const k = idKey(key);
    const held = this.members.get(k);
    if (held !== undefined) {
      if (value !== undefined) held.value = value;
      return true;
    }
    const b = this.bucketIndex(key);
    if (b < 0) return false;
    const bucket = this.buckets[b]!;
    if (bucket.length >= this.bucketSize) return false;
    const copy = Uint8Array.from(key);
    bucket.push(copy);
    this.members.set(k, { key: copy, value });
    return true;
  }

  /** True when the bucket for `key` has room (or `key` is already a member). */
  hasRoomFor(key: Uint8Array): boolean {
    if (this.members.has(idKey(key))) return true;
    const b = this.bucketIndex(key);
    return b >= 0 && this.buckets[b]!.length < this.bucketSize;
  }

  remove(key: Uint8Array): boolean {
    const k = idKey(key);
    if (!this.members.delete(k)) return false;
    const bucket = this.buckets[this.bucketIndex(key)]!;
    const i = bucket.findIndex((m) => idKey(m) === k);
    if (i >= 0) bucket.splice(i, 1);
    return true;
  }

  has(key: Uint8Array): boolean {
    return this.members.has(idKey(key));
  }

  get(key: Uint8Array): T | undefined {
    return this.members.get(idKey(key))?.value;
  }

  /** The values of the members of bucket `index` (members without a value are left out). */
  bucketValues(index: number): T[] {
    const out: T[] = [];
    for (const key of this.buckets[index] ?? []) {
      const v = this.members.get(idKey(key))?.value;
      if (v !== undefined) out.push(v);
    }
    return out;
  }

  /** Every member key. */
  keys(): Uint8Array[] {
    return [...this.members.values()].map((m) => m.key);
  }

  /**
   * The member closest to `hash` by XOR among those `accept` allows (default all), with its
   * value; null when there is none.
   */
  closest(
    hash: Uint8Array,
    accept?: (key: Uint8Array, value: T | undefined) => boolean,
  ): { key: Uint8Array; value: T | undefined } | null {
    let best: { key: Uint8Array; value: T | undefined } | null = null;
    for (const m of this.members.values()) {
      if (accept !== undefined && !accept(m.key, m.value)) continue;
      if (best === null || compareDistance(hash, m.key, best.key) < 0) best = m;
    }
    return best;
  }

  /** For each non-empty bucket, the member closest to `target` (what a route response lists). */
  closestPerBucket(
    target: Uint8Array,
    accept?: (key: Uint8Array, value: T | undefined) => boolean,
  ): { key: Uint8Array; value: T | undefined }[] {
    const out: { key: Uint8Array; value: T | undefined }[] = [];
    for (const bucket of this.buckets) {
      let best: Uint8Array | null = null;
      for (const key of bucket) {
        const m = this.members.get(idKey(key))!;
        if (accept !== undefined && !accept(key, m.value)) continue;
        if (best === null || compareDistance(target, key, best) < 0) best = key;
      }
      if (best !== null) out.push(this.members.get(idKey(best))!);
    }
    return out;
  }

  clear(): void {
    for (const b of this.buckets) b.length = 0;
    this.members.clear();
  }
}
