/**
 * P2P framing: a 4-byte big-endian payload length, then the payload. Pure (no sockets): the node
 * feeds received chunks to a FrameDecoder and writes encodeFrame() output.
 */

/** Largest payload a frame may carry (8 MiB). */
export const MAX_FRAME_PAYLOAD = 8 * 1024 * 1024;

export class FrameTooLargeError extends Error {
  override readonly name = "FrameTooLargeError";
  readonly code = "FRAME_TOO_LARGE";
  constructor(
    readonly length: number,
    readonly limit = MAX_FRAME_PAYLOAD,
  ) {
    super(`frame payload of ${length} bytes exceeds the ${limit}-byte limit`);
  }
}

export function encodeFrame(payload: Uint8Array): Uint8Array {
  if (payload.length > MAX_FRAME_PAYLOAD) throw new FrameTooLargeError(payload.length);
  const out = new Uint8Array(4 + payload.length);
  new DataView(out.buffer).setUint32(0, payload.length, false);
  out.set(payload, 4);
  return out;
}

/** Accumulates stream chunks and yields whole payloads. Rejects an oversize length at once. */
export class FrameDecoder {
  private chunks: Uint8Array[] = [];
  private buffered = 0;

  /** The largest payload accepted; may be raised later (e.g. once a peer has shaken hands). */
  constructor(public maxPayload = MAX_FRAME_PAYLOAD) {}

  /** Bytes held for a frame not yet complete. */
  get pending(): number {
    return this.buffered;
  }

  /** Adds a chunk and returns every payload it completes; throws FrameTooLargeError on a bad length. */
  push(chunk: Uint8Array): Uint8Array[] {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const out: Uint8Array[] = [];
    while (this.buffered >= 4) {
      const head = this.peek(4);
      const len = ((head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!) >>> 0;
      if (len > this.maxPayload) throw new FrameTooLargeError(len, this.maxPayload);
      if (this.buffered < 4 + len) break;
      const frame = this.take(4 + len);
      out.push(frame.subarray(4));
    }
    return out;
  }

  private peek(n: number): Uint8Array {
    const first = this.chunks[0]!;
    if (first.length >= n) return first.subarray(0, n);
    return this.merge().subarray(0, n);
  }

  private merge(): Uint8Array {
    if (this.chunks.length === 1) return this.chunks[0]!;
    const all = new Uint8Array(this.buffered);
    let o = 0;
    for (const c of this.chunks) {
      all.set(c, o);
      o += c.length;
    }
    this.chunks = [all];
    return all;
  }

  private take(n: number): Uint8Array {
    const all = this.chunks[0]!.length >= n ? this.chunks[0]! : this.merge();
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length > 0 ? [rest, ...this.chunks.slice(1)] : this.chunks.slice(1);
    this.buffered -= n;
    return out;
  }
}
