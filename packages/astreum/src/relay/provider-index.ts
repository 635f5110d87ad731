// The storage index (the reference's storage_index / storage_providers, facts §2.1): which
// provider to ask for an atom, learnt from OBJECT_PUT advertisements. Bounded: past `maxEntries`
// the oldest entries are forgotten first.
import { idKey } from "../storage/atom-id.js";
import type { ProviderContact } from "./object-messages.js";

export class ProviderIndex {
  private readonly entries = new Map<string, ProviderContact>();

  constructor(readonly maxEntries: number = 1_000_000) {}

  get size(): number {
    return this.entries.size;
  }

  set(atomId: Uint8Array, contact: ProviderContact): void {
    const k = idKey(atomId);
    this.entries.delete(k);
    this.entries.set(k, contact);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  get(atomId: Uint8Array): ProviderContact | null {
    return this.entries.get(idKey(atomId)) ?? null;
  }

  delete(atomId: Uint8Array): boolean {
    return this.entries.delete(idKey(atomId));
  }

  clear(): void {
    this.entries.clear();
  }
}
