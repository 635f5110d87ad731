// Issue 4: import a 2,000-block devnet chain carrying 100,000 signed transactions into an empty node,
// beside the raw signature-verification rate; and the time of a 100-block reorg.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { publicKeyFromPrivate, SignatureCache, signDigest, signingDigest, verifyDigest } from "astram-core";
import { opsPerSecond } from "../../../bench/lib.js";
import { ChainStore, Chainstate, SignatureVerifier } from "../dist/index.js";
import { benchChain, key, mineOn, params } from "./build-chain.js";

/** Seconds to import `blocks` into an empty store in runs of 64 blocks per commit. */
async function importInRuns(blocks, withWorker) {
  const dir = mkdtempSync(join(tmpdir(), "astram-bench-"));
  const cache = new SignatureCache();
  const verifier = new SignatureVerifier(cache, withWorker ? 1 : 0);
  try {
    const store = ChainStore.open(dir, params.networkId);
    const chain = new Chainstate(store, params, { signatureCache: cache });
    chain.init();
    const t0 = performance.now();
    let pipeline = Promise.resolve();
    for (let i = 0; i < blocks.length; i += 64) {
      const run = blocks.slice(i, i + 64);
      const verified = verifier.prepare(run);
      pipeline = pipeline.then(() => verified).then(() => chain.acceptBlocks(run));
      await new Promise((r) => setImmediate(r)); // the next run arrives while this one waits
    }
    await pipeline;
    const seconds = (performance.now() - t0) / 1000;
    await verifier.stop();
    await store.close();
    return seconds;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

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

    // The same chain into other empty stores in runs of 64 blocks per commit: on the main thread
    // alone, then as sync does it, with the next run's signatures verified on a worker thread while
    // the main thread connects the current run.
    const batchSeconds = await importInRuns(blocks, false);
    const pipelinedSeconds = await importInRuns(blocks, true);
    const reopened = ChainStore.open(dir, params.networkId);
    const reorgChain = new Chainstate(reopened, params);
    reorgChain.init();
    // --reindex of the same store: UTXO set and indexes rebuilt from the stored blocks (signatures
    // were checked when the blocks arrived), 64 blocks per commit.
    const x0 = performance.now();
    reorgChain.reindex();
    const reindexSeconds = (performance.now() - x0) / 1000;

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
      name: `import ${blocks.length} blocks, 64 per commit, main thread only`,
      value: blocks.length / batchSeconds,
      unit: "blocks/s",
    });
    rows.push({
      name: `import ${txCount} transactions, 64 blocks per commit`,
      value: txCount / batchSeconds,
      unit: "tx/s",
      ref: ceiling,
    });
    rows.push({
      name: `import ${blocks.length} blocks, 64 per commit, signatures on a worker thread (sync)`,
      value: blocks.length / pipelinedSeconds,
      unit: "blocks/s",
    });
    rows.push({
      name: `import ${txCount} transactions, 64 blocks per commit, signatures on a worker thread`,
      value: txCount / pipelinedSeconds,
      unit: "tx/s",
      ref: ceiling,
    });

    rows.push({
      name: `reindex ${blocks.length} blocks / ${txCount} transactions`,
      value: blocks.length / reindexSeconds,
      unit: "blocks/s",
      ref: { name: "importing them, one commit per block", value: blocks.length / seconds, unit: "blocks/s" },
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
