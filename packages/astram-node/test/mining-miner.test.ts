import { existsSync } from "node:fs";
import { Writable } from "node:stream";
import { MemoryChain } from "astram-core/testing";
import { type Chainstate, formatHashrate, Mempool, Miner, type MinerOptions } from "astram-node";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { ADDON_PATH } from "../src/mining/native-kernel.js";
import { addrA, addrB, FEE, keyA, mineBlocks, ONE, type OpenChain, openChain, params } from "./helpers.js";

const nativeBuilt = existsSync(ADDON_PATH);

/** Polls until check() is true (no timing assertions: the test timeout is the only limit). */
async function until(check: () => boolean, what: string): Promise<void> {
  while (!check()) {
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(check(), what).toBe(true);
}

/** The chain as the miner sees it, with an unreachable difficulty so that a template stays in place. */
function unsolvable(chain: Chainstate): Chainstate {
  return new Proxy(chain, {
    get(target, prop) {
      if (prop === "nextDifficulty") return () => 60;
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

const running: { miner: Miner; c: OpenChain }[] = [];
afterEach(async () => {
  for (const { miner, c } of running.splice(0)) {
    await miner.stop();
    await c.close();
  }
});

function setup(blocks: number, opts: Partial<MinerOptions> & { chain?: (c: Chainstate) => Chainstate } = {}) {
  const ref = new MemoryChain(params);
  const c = openChain();
  for (const b of mineBlocks(ref, blocks)) c.chain.acceptBlock(b);
  const mempool = new Mempool(c.store, { chainId: params.chainId });
  c.chain.on("update", (u) => {
    for (const b of u.connected) mempool.removeForBlock(b.transactions);
  });
  const { chain: wrap, ...rest } = opts;
  const miner = new Miner({
    chain: wrap ? wrap(c.chain) : c.chain,
    mempool,
    minerAddress: addrB,
    threads: 1,
    ...rest,
  });
  running.push({ miner, c });
  return { ref, c, mempool, miner };
}

describe("miner", () => {
  it("mines valid blocks on N worker threads and reports hashrate, threads, backend and blocks found", async () => {
    const { c, miner } = setup(0, { threads: 2 });
    await miner.start();
    await until(() => c.chain.height >= 4, "four blocks mined");
    const s = miner.status();
    expect(s).toMatchObject({
      running: true,
      threads: 2,
      backend: nativeBuilt ? "native" : "wasm",
      gpu: null,
    });
    expect(s.blocksFound).toBeGreaterThanOrEqual(4);
    expect(miner.blocksFound).toBe(s.blocksFound);
    expect(s.hashrate).toBeGreaterThan(0);
    expect(s.hashrateText).toMatch(/^\d+(\.\d+)? (H|kH|MH|GH)\/s$/);
    for (let h = 1; h <= 4; h++) {
      const block = c.store.getBlock(c.chain.atHeight(h)!.hash)!;
      expect(block.transactions[0]!.outputs[0]!.to).toBe(addrB);
    }
    await miner.stop();
    expect(miner.status().running).toBe(false);
  });

  it("switches templates when the tip changes, and when the mempool pays more", async () => {
    const { ref, c, mempool, miner } = setup(4, { chain: unsolvable, templateRefreshMs: 20 });
    await miner.start();
    await until(() => miner.status().template?.height === 5, "template on the tip");
    expect(miner.status().template).toEqual({ height: 5, difficulty: 60, transactions: 0 });

    c.chain.acceptBlock(ref.mine({ miner: addrA }));
    miner.notify();
    await until(() => miner.status().template?.height === 6, "template on the new tip");

    const coins = ref.utxosOf(addrA);
    mempool.add(ref.spend(keyA, [coins[0]!], [{ to: addrB, amount: ONE }], FEE));
    miner.notify();
    await until(() => miner.status().template?.transactions === 1, "template with the new transaction");
    expect(miner.status().template?.height).toBe(6);
    expect(miner.blocksFound).toBe(0);
  });

  it("bumps the timestamp and searches again when a template's nonce space is exhausted", async () => {
    // One nonce per template: at difficulty 1 most templates miss and get a new timestamp.
    const { c, miner } = setup(0, { nonceSpace: 1n });
    await miner.start();
    await until(() => c.chain.height >= 3 && miner.timestampBumps >= 3, "blocks found after bumps");
    await miner.stop();
    // Every block the chain accepted was found at nonce 0, most of them after timestamp bumps.
    for (let h = 1; h <= c.chain.height; h++) {
      expect(c.store.getBlock(c.chain.atHeight(h)!.hash)!.header.nonce).toBe(0n);
    }
  });

  it("says so in its log and mines with WebAssembly where the native addon did not build", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const { c, miner } = setup(0, { nativeAddonPath: "/nonexistent/astram_mining.node", log: pino(sink) });
    await miner.start();
    await until(() => c.chain.height >= 2, "blocks mined with the wasm kernel");
    expect(miner.backend).toBe("wasm");
    expect(miner.status().kernel).toBe("simd128");
    const log = lines.join("");
    expect(log).toMatch(/native mining kernel unavailable: using the WebAssembly mining kernel/);
    expect(log).toMatch(/was not built/);
    expect(log).toMatch(/mining on 1 thread\(s\) with the wasm kernel \(simd128\)/);
  });

  it("formats hashrates in H/s, kH/s, MH/s and GH/s", () => {
    expect(formatHashrate(0)).toBe("0 H/s");
    expect(formatHashrate(950)).toBe("950 H/s");
    expect(formatHashrate(12_340)).toBe("12.34 kH/s");
    expect(formatHashrate(23_400_000)).toBe("23.40 MH/s");
    expect(formatHashrate(2e9)).toBe("2.00 GH/s");
  });
});
