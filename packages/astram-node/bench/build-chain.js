// Builds (and caches in the temp directory) deterministic devnet chains for the benchmarks.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  addressFromPrivateKey,
  assembleBlock,
  cappedReward,
  createCoinbase,
  decodeBlock,
  encodeBlock,
  encodeFrame,
  hexToBytes,
  NETWORKS,
  searchNonce,
  signTransaction,
} from "astram-core";
import { MemoryChain } from "astram-core/testing";

const CACHE = join(tmpdir(), "astram-bench-chains-v1");
export const params = NETWORKS.devnet;
export const key = hexToBytes("00".repeat(31) + "01");
export const miner = addressFromPrivateKey(key);
const sink = "0x" + "5a".repeat(20);

function readCache(file) {
  if (!existsSync(file)) return undefined;
  const bytes = readFileSync(file);
  const out = [];
  for (let o = 0; o < bytes.length; ) {
    const len = bytes.readUInt32BE(o);
    out.push(decodeBlock(bytes.subarray(o + 4, o + 4 + len)));
    o += 4 + len;
  }
  return out;
}

function writeCache(file, blocks) {
  mkdirSync(CACHE, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.concat(blocks.map((b) => encodeFrame(encodeBlock(b)))));
  renameSync(tmp, file);
}

/** Mines a block on `parent` with `txs` (coinbase pays reward + fees), on schedule (parent ts + spacing). */
export function mineOn(parent, height, txs, fees, difficulty) {
  const timestamp = parent.header.timestamp + params.targetSpacing;
  const coinbase = createCoinbase([{ to: miner, amount: cappedReward(height) + fees }], timestamp);
  const t = assembleBlock({ index: height, previousHash: parent.hash, timestamp, nonce: 0n, difficulty }, [
    coinbase,
    ...txs,
  ]);
  const found = searchNonce(t.header);
  return { header: { ...t.header, nonce: found.nonce }, transactions: t.transactions, hash: found.hash };
}

/**
 * `height` blocks; from block 5 on, `txPerBlock` signed transfers per block, each spending the change
 * of a transfer in the previous block (a fan-out in block 4 creates the first outputs).
 */
export function benchChain(height, txPerBlock, log = () => {}) {
  const file = join(CACHE, `chain-${height}-${txPerBlock}.bin`);
  const cached = readCache(file);
  if (cached?.length === height) return cached;
  const ref = new MemoryChain(params);
  // 576-byte transfers need 2.152e14 ram; each coin pays 2,000 of them.
  const FEE = 22n * 10n ** 13n;
  for (let i = 0; i < 3; i++) ref.mine({ miner });
  let coins = [];
  if (txPerBlock > 0) {
    const inputs = ref.blocks.slice(1, 4).map((b) => ({ txid: b.transactions[0].txid, vout: 0 }));
    const each = 46n * 10n ** 16n;
    const outputs = Array.from({ length: txPerBlock }, () => ({ to: miner, amount: each }));
    const fan = signTransaction({ inputs, outputs, timestamp: ref.tip.header.timestamp }, key);
    ref.mine({ miner, transactions: [fan] });
    coins = outputs.map((o, vout) => ({ txid: fan.txid, vout, amount: o.amount }));
  } else {
    ref.mine({ miner });
  }
  const start = Date.now();
  for (let h = 5; h <= height; h++) {
    const txs = coins.map((c) =>
      signTransaction(
        {
          inputs: [{ txid: c.txid, vout: c.vout }],
          outputs: [
            { to: sink, amount: 10n ** 12n },
            { to: miner, amount: c.amount - 10n ** 12n - FEE },
          ],
          timestamp: ref.tip.header.timestamp,
        },
        key,
      ),
    );
    coins = txs.map((t) => ({ txid: t.txid, vout: 1, amount: t.outputs[1].amount }));
    ref.connect(mineOn(ref.tip, h, txs, FEE * BigInt(txs.length), ref.nextDifficulty()));
    if (h % 500 === 0) log(`  built ${h}/${height} blocks (${Math.round((Date.now() - start) / 1000)} s)`);
  }
  const blocks = ref.blocks.slice(1);
  writeCache(file, blocks);
  return blocks;
}
