import { blockReward, toChecksumAddress } from "astram-core";
import type { MemoryChain } from "astram-core/testing";
import type { Explorer } from "astram-explorer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addrA,
  addrB,
  addrC,
  chainWithTransfers,
  FEE,
  getJson,
  indexedTo,
  keyB,
  ONE,
  startExplorer,
  startNode,
  type TestNode,
  until,
} from "./helpers.js";

describe("explorer API", () => {
  let ref: MemoryChain;
  let node: TestNode;
  let explorer: Explorer;
  let api: string;
  let pendingTxid: string;

  beforeAll(async () => {
    ref = chainWithTransfers(12).ref;
    node = await startNode({ blocks: ref.blocks.slice(1), keep: true });
    explorer = await startExplorer(node.url, { keep: true });
    api = explorer.url;
    await indexedTo(explorer, ref.tip.hash);
    // A pending transfer B -> C in the node's mempool.
    const pending = ref.spend(keyB, [ref.utxosOf(addrB)[0]!], [{ to: addrC, amount: ONE / 2n }], FEE);
    node.node.submitTransaction(pending, "local");
    pendingTxid = pending.txid;
    await until(() => explorer.indexer!.mempool.byId.has(pendingTxid));
  });
  afterAll(async () => {
    await explorer?.stop();
    await node?.stop();
  });

  it("lists blocks newest first with pages, and finds a block by height and by hash", async () => {
    const { body } = await getJson(`${api}/api/blocks?page=2&limit=5`);
    expect(body.total).toBe(13);
    expect(body.blocks.map((b: { height: number }) => b.height)).toEqual([7, 6, 5, 4, 3]);
    const b5 = ref.blocks[5]!;
    const byHeight = (await getJson(`${api}/api/blocks/5`)).body;
    expect(byHeight).toMatchObject({
      height: 5,
      hash: b5.hash,
      previous_hash: ref.blocks[4]!.hash,
      next_hash: ref.blocks[6]!.hash,
      tx_count: b5.transactions.length,
      confirmations: 8,
      miner: addrA,
      fees: String(FEE * BigInt(b5.transactions.length - 1)),
    });
    expect(byHeight.reward).toBe(String(8n * ONE + FEE * BigInt(b5.transactions.length - 1)));
    expect(byHeight.issued).toBe(String(8n * ONE));
    expect(byHeight.volume).toBe(String(ONE + (b5.transactions.length > 2 ? ONE / 4n : 0n)));
    expect(byHeight.transactions.map((t: { txid: string }) => t.txid)).toEqual(
      b5.transactions.map((t) => t.txid),
    );
    expect((await getJson(`${api}/api/blocks/hash/${b5.hash.toUpperCase()}`)).body.height).toBe(5);
    expect((await getJson(`${api}/api/block/${b5.hash}`)).body.height).toBe(5);
    expect((await getJson(`${api}/api/block/12`)).body.next_hash).toBeNull();
    expect((await getJson(`${api}/api/blocks/99`)).status).toBe(404);
    expect((await getJson(`${api}/api/blocks/abc`)).status).toBe(400);
  });

  it("shows a transaction by txid and by Ethereum hash with input sources, spent outputs, fee and confirmations", async () => {
    const tx = ref.blocks[4]!.transactions[1]!; // A -> B, 1 ASRM
    const { status, body } = await getJson(`${api}/api/tx/${tx.txid}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      txid: tx.txid,
      eth_hash: tx.ethHash,
      status: "confirmed",
      block_height: 4,
      block_hash: ref.blocks[4]!.hash,
      confirmations: 9,
      coinbase: false,
      fee: String(FEE),
      amount: String(ONE),
      output_total: String(8n * ONE - FEE),
    });
    const input = tx.inputs[0]!;
    expect(body.inputs[0]).toMatchObject({
      prev_txid: input.txid,
      prev_vout: input.vout,
      address: addrA,
      amount: String(8n * ONE),
      source_height: ref.blocks.findIndex((b) => b.transactions.some((t) => t.txid === input.txid)),
    });
    expect(body.outputs[0]).toMatchObject({ address: addrB, amount: String(ONE) });
    // B's 1 ASRM from block 4 was spent later by a B -> C transfer.
    const spentAt = ref.blocks.findIndex((b) =>
      b.transactions.some((t) => t.inputs.some((i) => i.txid === tx.txid && i.vout === 0)),
    );
    const spender = ref.blocks[spentAt]!.transactions.find((t) => t.inputs.some((i) => i.txid === tx.txid))!;
    expect(spentAt).toBeGreaterThan(4);
    expect(body.outputs[0].spent).toBe(true);
    expect(body.outputs[0].spent_by).toMatchObject({ txid: spender.txid, vin: 0, block_height: spentAt });
    expect(body.outputs[1]).toMatchObject({
      address: addrA,
      spent: !ref.getUtxo({ txid: tx.txid, vout: 1 }),
    });
    expect((await getJson(`${api}/api/tx/${tx.ethHash}`)).body.txid).toBe(tx.txid);
    expect(
      (await getJson(`${api}/api/transactions/${tx.ethHash.toUpperCase().replace("0X", "0x")}`)).body.txid,
    ).toBe(tx.txid);

    const coinbase = (await getJson(`${api}/api/tx/${ref.blocks[3]!.transactions[0]!.txid}`)).body;
    expect(coinbase).toMatchObject({ coinbase: true, inputs: [], fee: "0", reward: String(blockReward(3)) });
    expect((await getJson(`${api}/api/tx/${"ab".repeat(32)}`)).status).toBe(404);
    expect((await getJson(`${api}/api/tx/xyz`)).status).toBe(400);
  });

  it("shows a pending transaction from the mempool with its input source", async () => {
    const { body } = await getJson(`${api}/api/tx/${pendingTxid}`);
    expect(body).toMatchObject({ status: "pending", confirmations: 0, block_height: null, fee: String(FEE) });
    expect(body.inputs[0]).toMatchObject({ address: addrB, amount: String(ONE), unconfirmed_source: false });
    const m = (await getJson(`${api}/api/mempool`)).body;
    expect(m.count).toBe(1);
    expect(m.transactions[0]).toMatchObject({ txid: pendingTxid, fee: String(FEE), from: addrB });
  });

  it("reports an address's balance, received, sent, history pages and pending effect", async () => {
    const { body } = await getJson(`${api}/api/address/${toChecksumAddress(addrB)}`);
    const received = ref.blocks
      .flatMap((b) => b.transactions)
      .flatMap((t) => t.outputs)
      .filter((o) => o.to === addrB)
      .reduce((s, o) => s + o.amount, 0n);
    expect(body).toMatchObject({
      address: addrB,
      balance: String(ref.balanceOf(addrB)),
      received: String(received),
      sent: String(received - ref.balanceOf(addrB)),
      utxo_count: ref.utxosOf(addrB).length,
    });
    expect(body.pending).toMatchObject({ count: 1, sent: String(ONE) });
    const h1 = (await getJson(`${api}/api/address/${addrB}/history?limit=4`)).body;
    expect(h1.total).toBe(body.tx_count);
    expect(h1.pending).toHaveLength(1);
    expect(h1.transactions).toHaveLength(4);
    expect(h1.transactions[0].block_height).toBe(12);
    const h2 = (await getJson(`${api}/api/address/${addrB}/history?limit=4&page=2`)).body;
    expect(h2.pending).toHaveLength(0);
    expect(h2.transactions[0].block_height).toBeLessThan(h1.transactions[3].block_height);
    const net = [...h1.transactions, ...h2.transactions].map((t: { net: string }) => BigInt(t.net));
    expect(net.every((n) => n !== 0n)).toBe(true);
    // A mistyped checksum is refused; an address never seen is empty, not an error.
    const bad = toChecksumAddress(addrB).replace(/[a-f]/, (c) => c.toUpperCase());
    if (bad !== toChecksumAddress(addrB))
      expect((await getJson(`${api}/api/address/${bad}`)).status).toBe(400);
    const unseen = (await getJson(`${api}/api/address/0x${"12".repeat(20)}`)).body;
    expect(unseen).toMatchObject({ balance: "0", tx_count: 0, first_seen: null });
  });

  it("routes each kind of search to the right page", async () => {
    const tx = ref.blocks[4]!.transactions[1]!;
    const q = async (s: string) => (await getJson(`${api}/api/search?q=${encodeURIComponent(s)}`)).body;
    expect(await q("7")).toMatchObject({ type: "block", height: 7, path: "/block/7" });
    expect(await q(ref.blocks[7]!.hash)).toMatchObject({ type: "block", height: 7 });
    expect(await q(tx.txid)).toMatchObject({ type: "transaction", id: tx.txid, path: `/tx/${tx.txid}` });
    expect(await q(tx.ethHash)).toMatchObject({ type: "transaction", id: tx.txid });
    expect(await q(` ${toChecksumAddress(addrC)} `)).toMatchObject({
      type: "address",
      id: addrC,
      path: `/address/${addrC}`,
    });
    expect(await q(pendingTxid)).toMatchObject({ type: "transaction", status: "pending" });
    expect(await q("99999")).toMatchObject({ type: "none" });
    expect(await q("ff".repeat(32))).toMatchObject({ type: "none" });
    expect(await q("hello")).toMatchObject({ type: "none" });
  });

  it("computes stats, the rich list and chart series from the indexed chain", async () => {
    const s = (await getJson(`${api}/api/stats`)).body;
    const txs = ref.blocks.reduce((n, b) => n + b.transactions.length, 0);
    expect(s).toMatchObject({ height: 12, blocks: 13, transactions: txs, supply: String(13n * 8n * ONE) });
    expect(s.scheduled_issuance).toBe(String(13n * 8n * ONE));
    expect(s.difficulty).toBe(ref.tip.header.difficulty);
    // Blocks are 10 s apart (the devnet spacing): average 10 s; hashrate Σ 16^d / span, over blocks
    // 1..12 (genesis has a fixed timestamp and is left out).
    expect(s.average_block_time).toBe(10);
    expect(s.window_blocks).toBe(11);
    const work = ref.blocks.slice(2).reduce((w, b) => w + 16 ** b.header.difficulty, 0);
    expect(s.hashrate).toBeCloseTo(work / (ref.tip.header.timestamp - ref.blocks[1]!.header.timestamp), 6);
    expect(s.mempool.count).toBe(1);

    const r = (await getJson(`${api}/api/richlist`)).body;
    expect(r.supply).toBe(s.supply);
    expect(r.addresses[0]).toMatchObject({ rank: 1, address: addrA, balance: String(ref.balanceOf(addrA)) });
    const balances = r.addresses.map((a: { balance: string }) => BigInt(a.balance));
    expect(balances).toEqual([...balances].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)));
    expect(balances.reduce((x: bigint, y: bigint) => x + y, 0n)).toBe(BigInt(s.supply));

    const c = (await getJson(`${api}/api/charts?blocks=12&points=4`)).body;
    expect(c.points).toHaveLength(4);
    expect(c.points.at(-1)).toMatchObject({ height: 12, block_time: 10 });
  });

  it("serves the web UI at page paths and JSON errors elsewhere", async () => {
    for (const path of [
      "/",
      "/blocks",
      `/block/3`,
      `/tx/${"ab".repeat(32)}`,
      `/address/${addrA}`,
      "/charts",
    ]) {
      const res = await fetch(api + path);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain("<title>Astram Explorer</title>");
    }
    expect((await fetch(`${api}/static/app.js`)).status).toBe(200);
    const missing = await getJson(`${api}/api/nothing`);
    expect(missing).toMatchObject({ status: 404, body: { code: "not-found" } });
  });
});
