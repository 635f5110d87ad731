// The incoming queue (facts §3.5): datagrams that passed the PoW check wait here for the processor.
// Each item accounts its datagram length + 6 bytes against `incoming_queue_size_limit` (0 = no cap).
// An item that does not fit waits up to `incoming_queue_timeout` seconds for space (in a waiting
// line bounded by the same limit), then is dropped; with timeout 0 it is dropped at once. The
// queue's pressure sets the PoW difficulty the node demands.
import type { PeerAddress } from "./address.js";
import { QUEUE_ITEM_OVERHEAD } from "./constants.js";

export interface QueueItem {
  /** The message without its PoW nonce. */
  message: Uint8Array;
  from: PeerAddress;
  /** Bytes accounted against the limit. */
  size: number;
  /** Date.now() past which a waiting item is dropped. */
  deadline: number;
}

export type OfferResult = "queued" | "waiting" | "full";

/** Difficulty for queue pressure p (facts §3.5). */
export function difficultyForPressure(p: number): number {
  if (p < 0.7) return 1;
  if (p < 0.75) return 3;
  if (p < 0.8) return 5;
  if (p < 0.85) return 8;
  if (p < 0.9) return 12;
  if (p < 0.93) return 16;
  if (p < 0.95) return 19;
  if (p < 0.97) return 22;
  if (p < 0.98) return 24;
  return 26;
}

export class IncomingQueue {
  private items: QueueItem[] = [];
  private head = 0;
  private waiting: QueueItem[] = [];
  private waitingBytes = 0;
  private bytes = 0;

  constructor(
    /** Byte cap; 0 = none. */
    readonly limit: number,
    /** Milliseconds an item may wait for space; 0 = drop at once. */
    readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Bytes accounted by queued items (not those waiting). */
  get queuedBytes(): number {
    return this.bytes;
  }

  get length(): number {
    return this.items.length - this.head;
  }

  get waitingCount(): number {
    return this.waiting.length;
  }

  /** Queued bytes / limit, in [0, 1] (0 without a limit). */
  pressure(): number {
    return this.limit <= 0 ? 0 : Math.min(1, this.bytes / this.limit);
  }

  difficulty(): number {
    return this.limit <= 0 ? 1 : difficultyForPressure(this.pressure());
  }

  offer(message: Uint8Array, from: PeerAddress, datagramLength: number): OfferResult {
    const size = datagramLength + QUEUE_ITEM_OVERHEAD;
    const item: QueueItem = { message, from, size, deadline: 0 };
    if (this.limit <= 0 || (this.waiting.length === 0 && this.bytes + size <= this.limit)) {
      this.push(item);
      return "queued";
    }
    if (this.timeoutMs <= 0 || this.waitingBytes + size > this.limit) return "full";
    item.deadline = this.now() + this.timeoutMs;
    this.waiting.push(item);
    this.waitingBytes += size;
    return "waiting";
  }

  /** The next item, or null. Call release(item) when done with it. */
  take(): QueueItem | null {
    if (this.head >= this.items.length) return null;
    const item = this.items[this.head++]!;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Frees an item's bytes; returns how many waiting items timed out meanwhile (dropped). */
  release(item: QueueItem): number {
    this.bytes -= item.size;
    return this.admitWaiting();
  }

  /** Moves waiting items that now fit into the queue; drops expired ones; returns the dropped count. */
  admitWaiting(): number {
    if (this.waiting.length === 0) return 0;
    const now = this.now();
    let dropped = 0;
    let i = 0;
    for (; i < this.waiting.length; i++) {
      const w = this.waiting[i]!;
      if (w.deadline < now) {
        dropped++;
        this.waitingBytes -= w.size;
        continue;
      }
      if (this.bytes + w.size > this.limit) break;
      this.waitingBytes -= w.size;
      this.push(w);
    }
    if (i > 0) this.waiting = this.waiting.slice(i);
    return dropped;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
    this.waiting = [];
    this.waitingBytes = 0;
    this.bytes = 0;
  }

  private push(item: QueueItem): void {
    this.items.push(item);
    this.bytes += item.size;
  }
}
