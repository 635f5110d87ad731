// Signatures already verified (the idea of Bitcoin Core's sigcache). A transaction whose inputs were
// checked on admission to the mempool, or by a verifier thread during sync, is not verified again
// when its block connects. An entry is the exact (signature, digest, public key) triple, so a hit
// proves that the very same check passed before; nothing else can make a signature pass.
import { bytesToHex } from "../crypto/hex.js";

/** Default bound: an entry is about 330 bytes, so about 33 MB at most. */
const DEFAULT_CAPACITY = 100_000;

export class SignatureCache {
  private readonly entries = new Set<string>();
  /** Checks skipped because the cache held them (for metrics and tests). */
  hits = 0;

  constructor(readonly capacity = DEFAULT_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError("capacity must be a positive integer");
  }

  /** The entry of one check: signature and public key as the input carries them (hex), the digest. */
  static key(signatureHex: string, digest: Uint8Array, pubkeyHex: string): string {
    return `${signatureHex}:${bytesToHex(digest)}:${pubkeyHex}`;
  }

  has(key: string): boolean {
    const hit = this.entries.has(key);
    if (hit) this.hits++;
    return hit;
  }

  /** Whether the check passed before; the entry is forgotten (a block's signatures are checked once). */
  take(key: string): boolean {
    const hit = this.entries.delete(key);
    if (hit) this.hits++;
    return hit;
  }

  /** Remembers a check that passed; the oldest entry is forgotten when the cache is full. */
  add(key: string): void {
    if (this.entries.has(key)) return;
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.values().next().value!);
    this.entries.add(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
