// fast-check generators for every astram-core wire type.
import type { Block, BlockHeader, HandshakeInfo, P2pMessage, Transaction, Utxo } from "astram-core";
import fc from "fast-check";

const hex = (bytes: number) =>
  fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString("hex"));
const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const safeU64 = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const safeI64 = fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
const amount = fc.oneof(
  fc.bigInt({ min: 0n, max: 10n ** 30n }),
  fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }),
);
const text = fc.oneof(hex(32), fc.string({ maxLength: 20 }));

export const arbHeader: fc.Arbitrary<BlockHeader> = fc.record({
  index: safeU64,
  previousHash: text,
  merkleRoot: text,
  timestamp: safeI64,
  nonce: u64,
  difficulty: u32,
});

export const arbTransaction: fc.Arbitrary<Transaction> = fc.record({
  txid: text,
  ethHash: text,
  inputs: fc.array(
    fc
      .record({ txid: text, vout: u32, pubkey: text, signature: fc.option(text, { nil: undefined }) })
      .map((i) => (i.signature === undefined ? { txid: i.txid, vout: i.vout, pubkey: i.pubkey } : i)),
    { maxLength: 4 },
  ),
  outputs: fc.array(fc.record({ to: text, amount }), { maxLength: 4 }),
  timestamp: safeI64,
});

export const arbBlock: fc.Arbitrary<Block> = fc.record({
  header: arbHeader,
  transactions: fc.array(arbTransaction, { maxLength: 3 }),
  hash: text,
});

export const arbUtxo: fc.Arbitrary<Utxo> = fc.record({ txid: text, vout: u32, to: text, amount });

const arbInfo: fc.Arbitrary<HandshakeInfo> = fc.record({
  protocolVersion: u32,
  softwareVersion: fc.string(),
  supportedFeatures: fc.array(fc.string(), { maxLength: 4 }),
  networkId: fc.string(),
  chainId: safeU64,
  height: safeU64,
  listeningPort: fc.integer({ min: 0, max: 65535 }),
});

const hashes = fc.array(fc.uint8Array({ maxLength: 33 }), { maxLength: 5 });

export const arbMessage: fc.Arbitrary<P2pMessage> = fc.oneof(
  arbInfo.map((info) => ({ type: "Handshake" as const, info })),
  arbInfo.map((info) => ({ type: "HandshakeAck" as const, info })),
  fc.record({ version: fc.string(), height: safeU64 }).map((v) => ({ type: "Version" as const, ...v })),
  fc.constant({ type: "VerAck" as const }),
  fc
    .record({
      locatorHashes: hashes,
      stopHash: fc.option(fc.uint8Array({ maxLength: 32 }), { nil: undefined }),
    })
    .map((v) => ({ type: "GetHeaders" as const, ...v })),
  fc.array(arbHeader, { maxLength: 3 }).map((headers) => ({ type: "Headers" as const, headers })),
  fc.record({ objectType: fc.constantFrom(0, 1, 2), hashes }).map((v) => ({ type: "Inv" as const, ...v })),
  fc
    .record({ objectType: fc.constantFrom(0, 1, 2), hashes })
    .map((v) => ({ type: "GetData" as const, ...v })),
  arbBlock.map((block) => ({ type: "Block" as const, block })),
  arbTransaction.map((tx) => ({ type: "Tx" as const, tx })),
  u64.map((nonce) => ({ type: "Ping" as const, nonce })),
  u64.map((nonce) => ({ type: "Pong" as const, nonce })),
);
