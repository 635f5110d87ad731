import {
  blockFromJSON,
  blockToJSON,
  CodecError,
  decodeBlock,
  decodeBlockHeader,
  decodeOutPoint,
  decodeP2pMessage,
  decodeTransaction,
  decodeUtxo,
  encodeBlock,
  encodeBlockHeader,
  encodeFrame,
  encodeOutPoint,
  encodeP2pMessage,
  encodeTransaction,
  encodeUtxo,
  FrameDecoder,
  FrameTooLargeError,
  MAX_FRAME_PAYLOAD,
  p2pMessageToJSON,
  transactionFromJSON,
  transactionToJSON,
  utxoFromJSON,
  utxoToJSON,
} from "astram-core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arbBlock, arbHeader, arbMessage, arbTransaction, arbUtxo } from "./arbitraries.js";

/** Fixed fast-check seed: every run replays the same cases (fast-check prints seed and path on failure). */
const SEED = 133851534;

describe("decode(encode(x)) = x", () => {
  it("BlockHeader", () =>
    fc.assert(
      fc.property(arbHeader, (h) => {
        expect(decodeBlockHeader(encodeBlockHeader(h))).toEqual(h);
      }),
      { seed: SEED },
    ));
  it("Transaction (and JSON)", () =>
    fc.assert(
      fc.property(arbTransaction, (t) => {
        expect(decodeTransaction(encodeTransaction(t))).toEqual(t);
        expect(transactionFromJSON(JSON.parse(JSON.stringify(transactionToJSON(t))))).toEqual(t);
      }),
      { seed: SEED },
    ));
  it("Block (and JSON)", () =>
    fc.assert(
      fc.property(arbBlock, (b) => {
        expect(decodeBlock(encodeBlock(b))).toEqual(b);
        expect(blockFromJSON(JSON.parse(JSON.stringify(blockToJSON(b))))).toEqual(b);
      }),
      { seed: SEED, numRuns: 200 },
    ));
  it("Utxo and OutPoint", () =>
    fc.assert(
      fc.property(arbUtxo, (u) => {
        expect(decodeUtxo(encodeUtxo(u))).toEqual(u);
        expect(utxoFromJSON(utxoToJSON(u))).toEqual(u);
        expect(decodeOutPoint(encodeOutPoint(u))).toEqual({ txid: u.txid, vout: u.vout });
      }),
      { seed: SEED },
    ));
  it("every P2P message", () =>
    fc.assert(
      fc.property(arbMessage, (m) => {
        expect(decodeP2pMessage(encodeP2pMessage(m))).toEqual(m);
        expect(() => JSON.stringify(p2pMessageToJSON(m))).not.toThrow();
      }),
      { seed: SEED, numRuns: 500 },
    ));
});

describe("hostile bytes", () => {
  const decoders = [
    decodeBlockHeader,
    decodeTransaction,
    decodeBlock,
    decodeUtxo,
    decodeOutPoint,
    decodeP2pMessage,
  ];
  it("random bytes never throw anything but CodecError", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        for (const decode of decoders) {
          try {
            decode(bytes);
          } catch (e) {
            expect(e).toBeInstanceOf(CodecError);
          }
        }
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });
  it("mutated valid messages never throw anything but CodecError", () => {
    fc.assert(
      fc.property(arbMessage, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat(), (m, pos, byte, cut) => {
        const bytes = encodeP2pMessage(m);
        const mutated = bytes.slice();
        if (mutated.length > 0) mutated[pos % mutated.length] = byte;
        for (const b of [
          mutated,
          bytes.subarray(0, cut % (bytes.length + 1)),
          new Uint8Array([...bytes, 0]),
        ]) {
          try {
            decodeP2pMessage(b);
          } catch (e) {
            expect(e).toBeInstanceOf(CodecError);
          }
        }
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
  it("a trailing byte after a whole message is rejected", () => {
    const bytes = encodeP2pMessage({ type: "VerAck" });
    expect(() => decodeP2pMessage(new Uint8Array([...bytes, 0]))).toThrow(CodecError);
  });
});

describe("frames", () => {
  it("reassembles frames split at every byte boundary", () => {
    fc.assert(
      fc.property(
        fc.array(arbMessage, { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (msgs, cuts) => {
          const stream = Buffer.concat(msgs.map((m) => encodeFrame(encodeP2pMessage(m))));
          const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
          const decoder = new FrameDecoder();
          const out: Uint8Array[] = [];
          let prev = 0;
          for (const p of [...points, stream.length]) {
            out.push(...decoder.push(stream.subarray(prev, p)));
            prev = p;
          }
          expect(out.map((p) => decodeP2pMessage(p))).toEqual(msgs);
          expect(decoder.pending).toBe(0);
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });
  it("rejects an oversize length prefix as soon as the 4 bytes arrive", () => {
    const decoder = new FrameDecoder();
    const head = new Uint8Array(4);
    new DataView(head.buffer).setUint32(0, MAX_FRAME_PAYLOAD + 1);
    expect(() => decoder.push(head)).toThrow(FrameTooLargeError);
    expect(() => encodeFrame(new Uint8Array(MAX_FRAME_PAYLOAD + 1))).toThrow(FrameTooLargeError);
  });
});
