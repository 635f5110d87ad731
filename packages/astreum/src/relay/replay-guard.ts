// Replay protection. The 0.4.0 format carries no timestamp or counter, so a replay is recognised by
// its ChaCha20 nonce: every authenticated normal message's (sender, nonce) pair is remembered, and a
// second message with the same pair is dropped. Only messages that authenticated are remembered (a
// forger cannot make a genuine message look like a replay). Memory is bounded by two generations
// of `capacity` entries: at least the last `capacity` messages are always remembered.

export class ReplayGuard {
  private current = new Set<string>();
  private previous = new Set<string>();

  constructor(readonly capacity: number = 1 << 17) {}

  /** True when `key` was seen (a replay); otherwise remembers it and returns false. */
  seen(key: string): boolean {
    if (this.current.has(key) || this.previous.has(key)) return true;
    if (this.current.size >= this.capacity) {
      this.previous = this.current;
      this.current = new Set();
    }
    this.current.add(key);
    return false;
  }

  get size(): number {
    return this.current.size + this.previous.size;
  }

  clear(): void {
    this.current.clear();
    this.previous.clear();
  }
}
