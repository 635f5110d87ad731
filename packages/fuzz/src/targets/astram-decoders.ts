import {
  CodecError,
  decodeBlock,
  decodeBlockHeader,
  decodeP2pMessage,
  decodeTransaction,
  encodeBlock,
  encodeBlockHeader,
  encodeFrame,
  encodeP2pMessage,
  encodeTransaction,
  FrameDecoder,
  FrameTooLargeError,
} from "astram-core";
import { astramSamples, p2pPayloads, params } from "./astram-samples.js";
import { checkRoundTrip } from "./round-trip.js";
import { type FuzzTarget, tokens } from "./target.js";

const CORE = /astram-core\/(dist|src)\/(codec|p2p|primitives)\//;

/** Varint markers and strings the decoders compare against. */
const BINCODE_TOKENS = [
  ...[[0xfb], [0xfc], [0xfd], [0xfe], [0xfb, 0xff, 0xff], [0xfc, 0xff, 0xff, 0xff, 0xff]].map((b) =>
    Uint8Array.from(b),
  ),
  ...tokens(params.networkId, "announce-headers/1", "addr-gossip/1", "eth:", "astram-node/0.1.0"),
];

const isCodecError = (e: unknown) => e instanceof CodecError;

export const p2pMessageTarget: FuzzTarget = {
  name: "p2p-message",
  description: "astram-core decodeP2pMessage over every message type, + decode(encode(m)) = m",
  coverage: CORE,
  maxLength: 8192,
  dictionary: BINCODE_TOKENS,
  seeds: p2pPayloads,
  run(input) {
    checkRoundTrip(decodeP2pMessage(input), encodeP2pMessage, decodeP2pMessage);
  },
  expected: isCodecError,
};

/**
 * A byte stream cut into chunks: byte 0 picks the chunk size (1–256), the rest is the stream
 * (4-byte length prefix frames) fed to one FrameDecoder, each payload decoded as a message.
 */
export const p2pFrameTarget: FuzzTarget = {
  name: "p2p-frame",
  description: "astram-core FrameDecoder over a chunked stream, each payload through decodeP2pMessage",
  coverage: CORE,
  maxLength: 8192,
  dictionary: [
    ...BINCODE_TOKENS,
    Uint8Array.of(0, 0, 0, 0),
    Uint8Array.of(0, 0x80, 0, 1),
    Uint8Array.of(0xff, 0xff, 0xff, 0xff),
  ],
  seeds() {
    const frames = p2pPayloads().map(encodeFrame);
    const stream = (list: Uint8Array[]) => {
      const out = new Uint8Array(1 + list.reduce((n, f) => n + f.length, 0));
      out[0] = 6;
      let o = 1;
      for (const f of list) {
        out.set(f, o);
        o += f.length;
      }
      return out;
    };
    return [stream(frames.slice(0, 4)), stream(frames.slice(4, 9)), stream(frames.slice(9))];
  },
  run(input) {
    if (input.length === 0) return;
    const size = input[0]! + 1;
    const decoder = new FrameDecoder();
    let held = 0;
    for (let i = 1; i < input.length; i += size) {
      const chunk = input.subarray(i, i + size);
      const payloads = decoder.push(chunk);
      for (const p of payloads) {
        held += p.length + 4;
        decodeP2pMessage(p);
      }
    }
    if (held + decoder.pending !== input.length - 1) throw new Error("FrameDecoder lost or invented bytes");
  },
  expected: (e) => e instanceof CodecError || e instanceof FrameTooLargeError,
};

export const blockTarget: FuzzTarget = {
  name: "block",
  description: "astram-core decodeBlock, + decode(encode(b)) = b",
  coverage: CORE,
  maxLength: 8192,
  dictionary: BINCODE_TOKENS,
  seeds: () => astramSamples().blocks.map(encodeBlock),
  run(input) {
    checkRoundTrip(decodeBlock(input), encodeBlock, decodeBlock);
  },
  expected: isCodecError,
};

export const transactionTarget: FuzzTarget = {
  name: "transaction",
  description: "astram-core decodeTransaction (native and Ethereum-carrying), + decode(encode(t)) = t",
  coverage: CORE,
  maxLength: 4096,
  dictionary: BINCODE_TOKENS,
  seeds: () => astramSamples().transactions.map(encodeTransaction),
  run(input) {
    checkRoundTrip(decodeTransaction(input), encodeTransaction, decodeTransaction);
  },
  expected: isCodecError,
};

export const headerTarget: FuzzTarget = {
  name: "header",
  description: "astram-core decodeBlockHeader, + decode(encode(h)) = h",
  coverage: CORE,
  maxLength: 512,
  dictionary: BINCODE_TOKENS,
  seeds: () => astramSamples().blocks.map((b) => encodeBlockHeader(b.header)),
  run(input) {
    checkRoundTrip(decodeBlockHeader(input), encodeBlockHeader, decodeBlockHeader);
  },
  expected: isCodecError,
};
