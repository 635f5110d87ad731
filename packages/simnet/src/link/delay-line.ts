import type { Socket } from "node:net";
import type { LinkDirection } from "./link-model.js";

/** Queued bytes above which the sending side is paused until the line drains. */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

type Item = { readonly at: number; readonly chunk: Buffer } | { readonly at: number; readonly end: true };

/**
 * One direction of a relayed connection: reads from `from`, asks the link model when each chunk
 * arrives, and writes it to `to` at that time, in order (one timer for the head of a FIFO, so two
 * chunks due in the same millisecond can never swap). The end of the stream travels like data.
 */
export class DelayLine {
  private readonly queue: Item[] = [];
  private timer: NodeJS.Timeout | undefined;
  private queuedBytes = 0;
  private stopped = false;
  /** Bytes delivered to the far side. */
  delivered = 0;
  /** The sending side closed its stream cleanly (its end is on the way). */
  ended = false;

  constructor(
    private readonly from: Socket,
    private readonly to: Socket,
    private readonly link: LinkDirection,
    private readonly onReset: () => void,
    private readonly now: () => number = Date.now,
  ) {
    from.on("data", (chunk: Buffer) => this.onChunk(chunk));
    from.on("end", () => {
      this.ended = true;
      this.push({ at: this.endTime(), end: true });
    });
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
  }

  private onChunk(chunk: Buffer): void {
    if (this.stopped) return;
    const fate = this.link.send(this.now(), chunk.length);
    if (fate.kind === "reset") {
      this.onReset();
      return;
    }
    this.queuedBytes += chunk.length;
    if (this.queuedBytes > MAX_QUEUED_BYTES) this.from.pause();
    this.push({ at: fate.at, chunk });
  }

  /** The end of the stream arrives no earlier than the last byte. */
  private endTime(): number {
    return Math.max(this.now(), this.queue.at(-1)?.at ?? 0);
  }

  private push(item: Item): void {
    if (this.stopped) return;
    this.queue.push(item);
    if (this.queue.length === 1) this.arm();
  }

  private arm(): void {
    const head = this.queue[0];
    if (!head || this.stopped) return;
    this.timer = setTimeout(() => this.flush(), Math.max(0, head.at - this.now()));
  }

  private flush(): void {
    this.timer = undefined;
    const now = this.now();
    while (this.queue.length > 0 && this.queue[0]!.at <= now) {
      const item = this.queue.shift()!;
      if ("end" in item) {
        this.to.end();
        continue;
      }
      this.queuedBytes -= item.chunk.length;
      this.delivered += item.chunk.length;
      if (!this.to.destroyed) this.to.write(item.chunk);
    }
    if (this.queuedBytes <= MAX_QUEUED_BYTES && this.from.isPaused()) this.from.resume();
    this.arm();
  }
}
