// astram-core benchmarks: header hashing, signature verification, block encode/decode.
import { createPublicKey, hash, verify } from "node:crypto";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { opsPerSecond } from "../../../bench/lib.js";
import {
  blockHeaderHash,
  decodeBlock,
  encodeBlock,
  headerHashInput,
  hexToBytes,
  keccak256,
  NETWORKS,
  publicKeyFromPrivate,
  signatureVerifier,
  signDigest,
  signingDigest,
  transactionPreimage,
  verifyDigest,
} from "../dist/index.js";
import { MemoryChain } from "../dist/testing/index.js";

const SPKI_PREFIX = Buffer.from("3056301006072a8648ce3d020106052b8104000a034200", "hex");

export default async function () {
  const rows = [];
  const header = {
    index: 123456,
    previousHash: "ab".repeat(32),
    merkleRoot: "cd".repeat(32),
    timestamp: 1_800_000_000,
    nonce: 42n,
    difficulty: 5,
  };
  const input = headerHashInput(header);
  const ref = opsPerSecond(() => hash("sha256", hash("sha256", input, "buffer"), "hex"));
  const ours = opsPerSecond(() => blockHeaderHash(header));
  rows.push({
    name: "header hash (encode fixint + sha256d + hex)",
    value: ours,
    unit: "hashes/s",
    ref: { name: "node:crypto sha256d of the same 172 bytes", value: ref, unit: "hashes/s" },
  });

  // Keccak-256 of a transaction-sized preimage (every eth_hash): hash-wasm vs @noble/hashes.
  const txSized = new Uint8Array(250).map((_, i) => i);
  rows.push({
    name: "keccak256 of 250 bytes (hash-wasm)",
    value: opsPerSecond(() => keccak256(txSized)),
    unit: "hashes/s",
    ref: {
      name: "@noble/hashes keccak_256",
      value: opsPerSecond(() => keccak_256(txSized)),
      unit: "hashes/s",
    },
  });

  // Signature verification: the consensus verifier vs OpenSSL's ECDSA through node:crypto.
  const priv = hexToBytes("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
  const pub = publicKeyFromPrivate(priv);
  const preimage = transactionPreimage({
    inputs: [{ txid: "11".repeat(32), vout: 0 }],
    outputs: [{ to: "0x" + "22".repeat(20), amount: 10n ** 18n }],
    timestamp: 1_800_000_000,
  });
  const digest = signingDigest(preimage);
  const sig = signDigest(digest, priv);
  const key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, pub]), format: "der", type: "spki" });
  if (!verify("sha256", preimage, { key, dsaEncoding: "ieee-p1363" }, sig))
    throw new Error("OpenSSL rejects our signature");
  const openssl = opsPerSecond(() => verify("sha256", preimage, { key, dsaEncoding: "ieee-p1363" }, sig));
  const chosen = opsPerSecond(() => verifyDigest(sig, signingDigest(preimage), pub));
  rows.push({
    name: `signature verify (${signatureVerifier}, incl. SHA-256 of the preimage)`,
    value: chosen,
    unit: "verifies/s",
    ref: { name: "OpenSSL secp256k1 ECDSA via node:crypto", value: openssl, unit: "verifies/s" },
  });

  // Block codec throughput on a block of 500 signed transfers.
  const chain = new MemoryChain(NETWORKS.devnet);
  const minerKey = hexToBytes("00".repeat(31) + "01");
  const miner = "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf";
  for (let i = 0; i < 3; i++) chain.mine({ miner });
  const coin = chain.utxosOf(miner)[0];
  const txs = [];
  for (let i = 0; i < 500; i++) {
    txs.push(
      chain.spend(
        minerKey,
        [{ ...coin, vout: 0 }],
        [{ to: "0x" + "33".repeat(20), amount: 10n ** 15n }],
        10n ** 15n,
        i,
      ),
    );
  }
  const block = chain.buildBlock({ miner, transactions: txs, fees: 0n });
  const bytes = encodeBlock(block);
  const mb = bytes.length / 1e6;
  const enc = opsPerSecond(() => encodeBlock(block), { minMs: 1000 });
  const dec = opsPerSecond(() => decodeBlock(bytes), { minMs: 1000 });
  const copy = opsPerSecond(() => Buffer.from(bytes), { minMs: 500 });
  rows.push({
    name: `block encode (${txs.length} txs, ${bytes.length} bytes)`,
    value: enc * mb,
    unit: "MB/s",
    ref: { name: "Buffer copy of the same bytes", value: copy * mb, unit: "MB/s" },
  });
  rows.push({
    name: "block decode",
    value: dec * mb,
    unit: "MB/s",
    ref: { name: "Buffer copy of the same bytes", value: copy * mb, unit: "MB/s" },
  });
  return rows;
}
