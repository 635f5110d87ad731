import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Block, decodeBlock, encodeBlock, encodeFrame } from "astram-core";
import { MemoryChain } from "astram-core/testing";
import { addrA, addrB, FEE, keyA, ONE, params } from "./helpers.js";

const CACHE = join(tmpdir(), "astram-test-chains-v1");

/**
 * A deterministic valid devnet chain of `height` blocks (genesis excluded from the list), with a
 * transfer in every `txEvery`-th block. Built once per machine and cached in the temp directory,
 * since mining a few thousand blocks takes seconds.
 */
export function devChain(height: number, txEvery = 0): Block[] {
  const file = join(CACHE, `devnet-${height}-${txEvery}.bin`);
  if (existsSync(file)) {
    const bytes = readFileSync(file);
    const out: Block[] = [];
    for (let o = 0; o < bytes.length; ) {
      const len = bytes.readUInt32BE(o);
      out.push(decodeBlock(bytes.subarray(o + 4, o + 4 + len)));
      o += 4 + len;
    }
    if (out.length === height) return out;
  }
  const ref = new MemoryChain(params);
  for (let h = 1; h <= height; h++) {
    if (txEvery > 0 && h > 2 && h % txEvery === 0) {
      const coins = ref.utxosOf(addrA).slice(0, 1);
      ref.mine({ miner: addrA, transactions: [ref.spend(keyA, coins, [{ to: addrB, amount: ONE }], FEE)] });
    } else {
      ref.mine({ miner: addrA });
    }
  }
  const blocks = ref.blocks.slice(1);
  mkdirSync(CACHE, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.concat(blocks.map((b) => encodeFrame(encodeBlock(b)))));
  renameSync(tmp, file);
  return blocks;
}
