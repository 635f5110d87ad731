// Issue 4: import a 2,000-block devnet chain carrying 100,000 signed transactions into an empty node,
// beside the raw signature-verification rate; and the time of a 100-block reorg.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { publicKeyFromPrivate, signDigest, signingDigest, verifyDigest } from "astram-core";
import { opsPerSecond } from "../../../bench/lib.js";
import { ChainStore, Chainstate } from "../dist/index.js";
import { benchChain, key, mineOn, params } from "./build-chain.js";

export default async function () {
  const blocks = benchChain(2000, 50, (m) => console.log(m));
  const txCount = blocks.reduce((s, b) => s + b.transactions.length - 1, 0);
  const dir = mkdtempSync(join(tmpdir(), "astram-bench-"));
  const rows = [];
  try {
    const store = ChainStore.open(dir, params.networkId);
    const chain = new Chainstate(store, params);
    chain.init();
    const t0 = performance.now();
    for (const b of blocks) chain.acceptBlock(b);
    const seconds = (performance.now() - t0) / 1000;
    await store.close();

    // The same chain into another empty store in runs of 64 blocks per commit (the sync path).
    const batchDir = mkdtempSync(join(tmpdir(), "astram-bench-"));
    let batchSeconds;
    try {
      const batchStore = ChainStore.open(batchDir, params.networkId);
      const batchChain = new Chainstate(batchStore, params);
      batchChain.init();
      const b0 = performance.now();
      for (let i = 0; i < blocks.length; i += 64)
        batchChain.acceptBlocks(blocks.slice(i, i + 64).map((block) => ({ block })));
      batchSeconds = (performance.now() - b0) / 1000;
      await batchStore.close();
    } finally {
      rmSync(batchDir, { recursive: true, force: true });
    }
    const reopened = ChainStore.open(dir, params.networkId);
    const reorgChain = new Chainstate(reopened, params);
    reorgChain.init();

    const pub = publicKeyFromPrivate(key);
    const digest = signingDigest(new Uint8Array(300));
    const sig = signDigest(digest, key);
    const verifies = opsPerSecond(() => verifyDigest(sig, digest, pub));
    const ceiling = {
      name: "raw signature verifications (the ceiling)",
      value: verifies,
      unit: "verifies/s",
    };
    rows.push({
      name: `import ${blocks.length} blocks, one commit each`,
      value: blocks.length / seconds,
      unit: "blocks/s",
    });
    rows.push({
      name: `import ${txCount} transactions, one block per commit`,
      value: txCount / seconds,
      unit: "tx/s",
      ref: ceiling,
    });
    rows.push({
      name: `import ${blocks.length} blocks, 64 per commit (sync)`,
      value: blocks.length / batchSeconds,
      unit: "blocks/s",
    });
    rows.push({
      name: `import ${txCount} transactions, 64 blocks per commit`,
      value: txCount / batchSeconds,
      unit: "tx/s",
      ref: ceiling,
    });

    // A 101-block branch from height 1900 replaces the last 100 blocks (each carrying 50 txs).
    const fork = reorgChain.atHeight(1900);
    const branch = [];
    let prev = { header: fork.header, hash: fork.hash };
    for (let h = 1901; h <= 2001; h++) {
      prev = mineOn(prev, h, [], 0n, fork.header.difficulty);
      branch.push(prev);
    }
    for (const b of branch.slice(0, -1)) reorgChain.acceptBlock(b);
    const r0 = performance.now();
    const result = reorgChain.acceptBlock(branch[branch.length - 1]);
    const reorgMs = performance.now() - r0;
    if (result.status !== "reorganized" || result.disconnected !== 100)
      throw new Error(`expected a 100-block reorg, got ${JSON.stringify(result.status)}`);
    rows.push({
      name: "100-block reorg (disconnect 100 blocks of 50 txs, connect 101)",
      value: reorgMs,
      unit: "ms",
      ref: { name: "importing those 100 blocks", value: (100 / blocks.length) * seconds * 1000, unit: "ms" },
    });
    await reopened.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
