// Every vector of spec/astram-facts.md section 17, byte for byte (fixtures/facts-vectors.json).
import {
  addressFromPrivateKey,
  assembleBlock,
  BincodeWriter,
  blockHeaderHash,
  bytesToHex,
  createCoinbase,
  decodeBlock,
  decodeP2pMessage,
  decodeTransaction,
  encodeBlock,
  encodeFrame,
  encodeP2pMessage,
  encodeTransaction,
  headerHashInput,
  hexToBytes,
  InventoryType,
  merkleRoot,
  minFee,
  publicKeyFromPrivate,
  searchNonce,
  signingDigest,
  signTransaction,
  toChecksumAddress,
  transactionPreimage,
  verifyDigest,
  walletFee,
  writeU256,
} from "astram-core";
import { describe, expect, it } from "vitest";
import vectors from "./fixtures/facts-vectors.json" with { type: "json" };

/** Fixed fast-check seed: every run replays the same cases (fast-check prints seed and path on failure). */
const SEED = 1367435346;

describe("17.1 header hash", () => {
  const j = vectors.headerHash.header;
  const header = {
    index: j.index,
    previousHash: j.previous_hash,
    merkleRoot: j.merkle_root,
    timestamp: j.timestamp,
    nonce: BigInt(j.nonce),
    difficulty: j.difficulty,
  };
  it("encodes the 172 fixint bytes and hashes them with sha256d", () => {
    const input = headerHashInput(header);
    expect(input.length).toBe(172);
    expect(bytesToHex(input)).toBe(vectors.headerHash.fixintHex);
    expect(blockHeaderHash(header)).toBe(vectors.headerHash.hash);
  });
});

describe("17.2 merkle", () => {
  for (const { txids, root } of vectors.merkle) {
    it(`${txids.length} txids`, () => expect(merkleRoot(txids)).toBe(root));
  }
});

describe("17.3 keys and addresses", () => {
  it("derives the uncompressed key, the address and the EIP-55 form", () => {
    const [k1, k2] = vectors.keys;
    const priv1 = hexToBytes(k1!.privateKey);
    expect(bytesToHex(publicKeyFromPrivate(priv1))).toBe(k1!.publicKey);
    expect(addressFromPrivateKey(priv1)).toBe(k1!.address);
    expect(toChecksumAddress(k1!.address)).toBe(k1!.checksum);
    expect(addressFromPrivateKey(hexToBytes(k2!.privateKey))).toBe(k2!.address);
  });
});

const cb = vectors.coinbase;
const coinbase = createCoinbase([{ to: cb.to, amount: BigInt(cb.amount) }], cb.timestamp);

describe("17.4 coinbase", () => {
  it("has the preimage, txid, eth_hash and 194-byte encoding", () => {
    expect(bytesToHex(transactionPreimage(coinbase))).toBe(cb.preimageHex);
    expect(coinbase.txid).toBe(cb.txid);
    expect(coinbase.ethHash).toBe(cb.ethHash);
    const bytes = encodeTransaction(coinbase);
    expect(bytes.length).toBe(cb.encodedSize);
    expect(decodeTransaction(bytes)).toEqual(coinbase);
  });
  it("encodes 1738800000 as zigzag varint and 8 ASRM as four limbs", () => {
    expect(bytesToHex(new BincodeWriter().i64(1738800000).finish())).toBe(
      vectors.varint.timestamp1738800000ZigzagHex,
    );
    const w = new BincodeWriter();
    writeU256(w, 8n * 10n ** 18n);
    expect(bytesToHex(w.finish())).toBe(vectors.varint.amount8AsrmHex);
  });
});

describe("17.5 genesis-style block", () => {
  const template = {
    index: 0,
    previousHash: "0".repeat(64),
    timestamp: 1738800000,
    nonce: 0n,
    difficulty: 1,
  };
  const g = vectors.genesisStyleBlock;
  it("nonce 0 fails difficulty 1, nonce 11 is the first to pass", () => {
    const b0 = assembleBlock(template, [coinbase]);
    expect(b0.header.merkleRoot).toBe(cb.txid);
    expect(b0.hash.startsWith(g.difficulty1.nonce0Prefix)).toBe(true);
    expect(b0.hash.endsWith(g.difficulty1.nonce0Suffix)).toBe(true);
    const found = searchNonce(b0.header);
    expect(found).toEqual({ nonce: BigInt(g.difficulty1.nonce), hash: g.difficulty1.hash });
  });
  it("difficulty 2 first passes at nonce 199", () => {
    const b = assembleBlock({ ...template, difficulty: 2 }, [coinbase]);
    expect(searchNonce(b.header)).toEqual({ nonce: BigInt(g.difficulty2.nonce), hash: g.difficulty2.hash });
  });
  it("encodes the difficulty-1 block to the 398 pinned bytes and back", () => {
    const block = assembleBlock({ ...template, nonce: 11n }, [coinbase]);
    expect(block.hash).toBe(g.difficulty1.hash);
    const bytes = encodeBlock(block);
    expect(bytes.length).toBe(g.encodedSize);
    expect(bytesToHex(bytes)).toBe(g.encodedHex);
    expect(decodeBlock(bytes)).toEqual(block);
  });
});

describe("17.6 signed transfer", () => {
  const t = vectors.transfer;
  const priv = hexToBytes(t.signerPrivateKey);
  const body = {
    inputs: [{ txid: cb.txid, vout: 0 }],
    outputs: t.outputs.map((o) => ({ to: o.to, amount: BigInt(o.amount) })),
    timestamp: t.timestamp,
  };
  const tx = signTransaction(body, priv);
  it("has the pinned preimage, digest, RFC 6979 signature, txid and eth_hash", () => {
    const preimage = transactionPreimage(body);
    expect(bytesToHex(preimage)).toBe(t.preimageHex);
    expect(bytesToHex(signingDigest(preimage))).toBe(t.digest);
    expect(tx.inputs[0]!.signature).toBe(t.signature);
    expect(tx.inputs[0]!.pubkey).toBe(vectors.keys[0]!.publicKey);
    expect(tx.txid).toBe(t.txid);
    expect(tx.ethHash).toBe(t.ethHash);
    expect(verifyDigest(hexToBytes(t.signature), hexToBytes(t.digest), publicKeyFromPrivate(priv))).toBe(
      true,
    );
  });
  it("encodes to 576 bytes with the pinned fees", () => {
    expect(encodeTransaction(tx).length).toBe(t.encodedSize);
    expect(minFee(t.encodedSize)).toBe(BigInt(t.minFee));
    expect(walletFee(t.encodedSize)).toBe(BigInt(t.walletFee));
  });
});

describe("17.7 P2P frames", () => {
  const f = vectors.frames;
  const frame = (m: Parameters<typeof encodeP2pMessage>[0]) => bytesToHex(encodeFrame(encodeP2pMessage(m)));
  const cases: [string, Parameters<typeof encodeP2pMessage>[0]][] = [
    [f.ping7, { type: "Ping", nonce: 7n }],
    [f.verAck, { type: "VerAck" }],
    [f.getHeadersEmpty, { type: "GetHeaders", locatorHashes: [] }],
    [
      f.handshakeMainnet,
      {
        type: "Handshake",
        info: {
          protocolVersion: 1,
          softwareVersion: "0.1.0",
          supportedFeatures: ["blocks", "transactions", "headers"],
          networkId: "Astram-mainnet",
          chainId: 1,
          height: 0,
          listeningPort: 8335,
        },
      },
    ],
    [
      f.getDataBlock,
      {
        type: "GetData",
        objectType: InventoryType.Block,
        hashes: [hexToBytes(vectors.genesisStyleBlock.difficulty1.hash)],
      },
    ],
  ];
  for (const [hex, msg] of cases) {
    it(`${msg.type} encodes and decodes`, () => {
      expect(frame(msg)).toBe(hex);
      expect(decodeP2pMessage(hexToBytes(hex).subarray(4))).toEqual(msg);
    });
  }
});

describe("17.9 fees", () => {
  it("min_fee and wallet_fee", () => {
    expect(minFee(300)).toBe(BigInt(vectors.fees.minFee300));
    expect(walletFee(300)).toBe(BigInt(vectors.fees.walletFee300));
    expect(minFee(0)).toBe(BigInt(vectors.fees.minFee0));
  });
});

describe("signing backends agree", () => {
  it("the native and noble signers give the same RFC 6979 low-S bytes", async () => {
    const { secp256k1 } = await import("@noble/curves/secp256k1.js");
    const fc = (await import("fast-check")).default;
    const { signDigest } = await import("astram-core");
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.integer({ min: 1, max: 2 ** 30 }),
        (digest, k) => {
          const key = new Uint8Array(32);
          new DataView(key.buffer).setUint32(28, k);
          expect(Buffer.from(signDigest(digest, key)).toString("hex")).toBe(
            Buffer.from(secp256k1.sign(digest, key, { prehash: false, lowS: true })).toString("hex"),
          );
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });
});
