// Issue 15: block template selection for the largest mempool (10,000 transactions) in the worst
// chain shape the package limits allow: 400 chains of 25, each child paying more than its parent
// (the shape that made the old selection take one transaction per pass), about 5.8 MB, more than
// a 4 MiB block holds. Reference: sorting the same 10,000 entries by fee rate, in the same run.
import { performance } from "node:perf_hooks";
import {
  addressFromPrivateKey,
  hexToBytes,
  MAX_BLOCK_SIZE,
  NETWORKS,
  RAM_PER_ASRM,
  signTransaction,
} from "astram-core";
import { Mempool } from "../dist/mempool/mempool.js";

const CHAINS = Number(process.env.BENCH_MEMPOOL_CHAINS ?? 400);
const LENGTH = 25;
const REPS = Number(process.env.BENCH_MEMPOOL_REPS ?? 7);
const key = hexToBytes("00".repeat(31) + "07");
const owner = addressFromPrivateKey(key);
const payee = `0x${"ab".repeat(20)}`;
const FEE = 10n ** 15n;
const PAY = 10n ** 15n;

/** Confirmed coins to start each chain from (the chain itself is not what is measured). */
function fundingView() {
  const utxos = new Map();
  for (let i = 0; i < CHAINS; i++) {
    const txid = `aa${i.toString(16).padStart(62, "0")}`;
    utxos.set(`${txid}:0`, { txid, vout: 0, to: owner, amount: RAM_PER_ASRM });
  }
  return {
    view: {
      getUtxo: (o) => utxos.get(`${o.txid}:${o.vout}`),
      hasTransaction: () => false,
      ethNonce: () => 0,
    },
    coins: [...utxos.values()],
  };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export default async function run() {
  const { view, coins } = fundingView();
  const now = Math.floor(Date.now() / 1000);
  const mempool = new Mempool(view, { chainId: NETWORKS.devnet.chainId, now: () => now });
  const txs = [];
  for (const coin of coins) {
    let input = coin;
    for (let i = 0; i < LENGTH; i++) {
      const fee = FEE * BigInt(i + 1);
      const change = input.amount - PAY - fee;
      const tx = signTransaction(
        {
          inputs: [{ txid: input.txid, vout: input.vout }],
          outputs: [
            { to: payee, amount: PAY },
            { to: owner, amount: change },
          ],
          timestamp: now,
        },
        key,
      );
      txs.push(tx);
      input = { txid: tx.txid, vout: 1, to: owner, amount: change };
    }
  }
  const admitStart = performance.now();
  for (const tx of txs) mempool.add(tx);
  const admitSeconds = (performance.now() - admitStart) / 1000;

  const maxBytes = MAX_BLOCK_SIZE - 4096;
  let chosen = [];
  const select = [];
  for (let r = 0; r < REPS; r++) {
    const t = performance.now();
    chosen = mempool.selectForBlock(maxBytes, now);
    select.push(performance.now() - t);
  }
  const sort = [];
  for (let r = 0; r < REPS; r++) {
    const entries = mempool.all();
    const t = performance.now();
    entries.sort((a, b) => (b.feeRate > a.feeRate ? 1 : b.feeRate < a.feeRate ? -1 : a.addedAt - b.addedAt));
    sort.push(performance.now() - t);
  }
  const bytes = chosen.reduce((s, e) => s + e.size, 0);
  return [
    {
      name: `template selection, ${mempool.size.toLocaleString("en-US")} pending txs (${CHAINS} chains of ${LENGTH}, children paying more), median of ${REPS}`,
      value: median(select),
      unit: "ms",
      ref: { name: "sorting the same entries by fee rate", value: median(sort), unit: "ms" },
      note: `${chosen.length.toLocaleString("en-US")} txs / ${(bytes / 1e6).toFixed(2)} MB chosen of ${(mempool.totalBytes / 1e6).toFixed(2)} MB`,
    },
    {
      name: "admission of those transactions (signature, inputs, package limits)",
      value: txs.length / admitSeconds,
      unit: "tx/s",
    },
  ];
}
