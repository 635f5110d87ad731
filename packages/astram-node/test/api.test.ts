import {
  BincodeReader,
  decodeBlock,
  decodeTransaction,
  encodeBlock,
  encodeTransaction,
  readBlock,
  toChecksumAddress,
  transactionToJSON,
} from "astram-core";
import { MemoryChain } from "astram-core/testing";
import { describe, expect, it } from "vitest";
import { addrA, addrB, addrC, FEE, keyA, mineBlocks, ONE, params } from "./helpers.js";
import { mineNext, request, startTestNode } from "./service-helpers.js";

const hex = (v: bigint) => "0x" + v.toString(16);

/** A chain where A mined 4 blocks, then paid B 1 ASRM and C 2 ASRM in block 5. */
function chainWithTransfer() {
  const ref = new MemoryChain(params);
  mineBlocks(ref, 4);
  const coin = ref.utxosOf(addrA)[0]!;
  const tx = ref.spend(
    keyA,
    [coin],
    [
      { to: addrB, amount: ONE },
      { to: addrC, amount: 2n * ONE },
    ],
    FEE,
  );
  ref.mine({ miner: addrA, transactions: [tx] });
  return { ref, tx, coin };
}

describe("HTTP API: status and health", () => {
  it("/status reports the real tip hash, next difficulty, mempool, peers, mining and the miner's wallet", async () => {
    const { ref } = chainWithTransfer();
    const t = await startTestNode({ blocks: ref.blocks.slice(1), minerAddress: addrA });
    t.node.peers = () => [
      {
        id: "peer-1",
        address: "203.0.113.7:8335",
        direction: "outbound",
        height: 5,
        version: "0.1.0",
        connectedAt: 1_800_000_000_000,
        banScore: 0,
      },
      {
        id: "peer-2",
        address: "203.0.114.9:8335",
        direction: "inbound",
        height: 4,
        version: "0.1.0",
        connectedAt: 1_800_000_000_000,
        banScore: 10,
      },
    ];
    try {
      const { status, body } = await request(`${t.api}/status`);
      expect(status).toBe(200);
      expect(body.blockchain.height).toBe(5);
      expect(body.blockchain.chain_tip).toBe(ref.tip.hash);
      expect(body.blockchain.chain_tip).toMatch(/^[0-9a-f]{64}$/);
      expect(body.blockchain.difficulty).toBe(ref.nextDifficulty());
      expect(body.blockchain.utxo_count).toBe([...t.node.store.allUtxos()].length);
      expect(body.node).toMatchObject({ version: "0.1.0", network: "devnet", chain_id: 1337 });
      expect(body.mempool).toMatchObject({ pending_transactions: 0, total_fees: "0x0", max_size: 10_000 });
      expect(body.network.connected_peers).toBe(2);
      expect(body.network.peer_heights).toEqual({ "peer-1": 5, "peer-2": 4 });
      expect(body.network.subnet_diversity).toEqual({ unique_24_subnets: 2, unique_16_subnets: 1 });
      expect(body.network.peers[1]).toMatchObject({
        address: "203.0.114.9:8335",
        direction: "inbound",
        ban_score: 10,
      });
      expect(body.mining).toMatchObject({ active: false, hashrate: 0, blocks_mined: 0 });
      expect(body.wallet).toEqual({
        address: addrA,
        balance: hex(ref.balanceOf(addrA)),
        balance_asrm: "37", // 5 rewards (fee included) minus 3 ASRM paid to B and C
      });
      expect(Date.parse(body.timestamp)).toBeGreaterThan(0);

      const health = await request(`${t.api}/health`);
      expect(health.body).toMatchObject({ status: "ok", height: 5, tip: ref.tip.hash });
    } finally {
      await t.stop();
    }
  });
});

describe("HTTP API: addresses", () => {
  it("balance, info (real sent totals) and utxos accept any case and agree with the chain", async () => {
    const { ref, coin } = chainWithTransfer();
    const t = await startTestNode({ blocks: ref.blocks.slice(1) });
    try {
      for (const form of [addrB, addrB.toUpperCase().replace("0X", "0x"), toChecksumAddress(addrB)]) {
        const { status, body } = await request(`${t.api}/address/${form}/balance`);
        expect(status).toBe(200);
        expect(body).toEqual({ address: addrB, balance: hex(ONE) });
      }
      const info = await request(`${t.api}/address/${toChecksumAddress(addrA)}/info`);
      const receivedA = ref.blocks
        .flatMap((b) => b.transactions.flatMap((tx) => tx.outputs))
        .filter((o) => o.to === addrA)
        .reduce((s, o) => s + o.amount, 0n);
      expect(info.body).toEqual({
        address: addrA,
        balance: hex(ref.balanceOf(addrA)),
        received: hex(receivedA),
        sent: hex(coin.amount),
        transaction_count: 6, // five coinbases and the transfer
        utxo_count: ref.utxosOf(addrA).length,
        eth_nonce: 0,
      });

      const utxosA = ref.utxosOf(addrA);
      const all = await request(`${t.api}/address/${addrA}/utxos`);
      expect(all.body).toHaveLength(utxosA.length);
      const first = all.body[0];
      const match = utxosA.find((u) => u.txid === first.txid && u.vout === first.vout)!;
      expect(first).toMatchObject({ to: addrA, pending_spent: false });
      expect(BigInt(first.amount)).toBe(match.amount);
      // amount_raw: the reference's exact u64 limbs (JSON numbers beyond 2^53 are written exactly).
      expect(all.text).toContain(`"amount_raw":[${BigInt(first.amount)},0,0,0]`);

      const page1 = await request(`${t.api}/address/${addrA}/utxos?limit=2`);
      const last = page1.body[1];
      const page2 = await request(`${t.api}/address/${addrA}/utxos?limit=10&after=${last.txid}:${last.vout}`);
      expect([...page1.body, ...page2.body].map((u: { txid: string }) => u.txid)).toEqual(
        all.body.map((u: { txid: string }) => u.txid),
      );
    } finally {
      await t.stop();
    }
  });

  it("rejects malformed addresses, bad EIP-55 checksums and out-of-range or unknown query parameters", async () => {
    const t = await startTestNode();
    try {
      const bad = await request(`${t.api}/address/0x1234/balance`);
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ status: "error", code: "bad-request" });
      expect(bad.body.message).toMatch(/address/);
      // The EIP-55 form with one letter's case flipped: still mixed case, but the checksum fails.
      const mixed = toChecksumAddress(addrB);
      const i = mixed.slice(2).search(/[a-fA-F]/) + 2;
      const c = mixed[i]!;
      const flipped =
        mixed.slice(0, i) + (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()) + mixed.slice(i + 1);
      const checksum = await request(`${t.api}/address/${flipped}/balance`);
      expect(checksum.status).toBe(400);
      expect(checksum.body.code).toBe("bad-address");
      expect((await request(`${t.api}/address/${addrA}/utxos?limit=0`)).status).toBe(400);
      expect((await request(`${t.api}/address/${addrA}/utxos?limit=20000`)).status).toBe(400);
      expect((await request(`${t.api}/address/${addrA}/history?limit=abc`)).status).toBe(400);
      const unknown = await request(`${t.api}/address/${addrA}/history?page=2`);
      expect(unknown.status).toBe(400);
      expect(unknown.body.message).toMatch(/additional properties/);
      const nope = await request(`${t.api}/no/such/route`);
      expect(nope.status).toBe(404);
      expect(nope.body).toMatchObject({ status: "error", code: "not-found" });
    } finally {
      await t.stop();
    }
  });

  it("history is paginated newest first with what each transaction paid and took", async () => {
    const { ref, tx, coin } = chainWithTransfer();
    const t = await startTestNode({ blocks: ref.blocks.slice(1) });
    try {
      const a = await request(`${t.api}/address/${addrA}/history?limit=2`);
      expect(a.body).toMatchObject({ address: addrA, total: 6, offset: 0, limit: 2, pending: [] });
      expect(a.body.transactions.map((e: { block_height: number }) => e.block_height)).toEqual([5, 5]);
      const spend = a.body.transactions.find((e: { txid: string }) => e.txid === tx.txid);
      const change = tx.outputs.find((o) => o.to === addrA)!.amount;
      expect(spend).toMatchObject({
        status: "confirmed",
        block_hash: ref.tip.hash,
        position: 1,
        received: hex(change),
        sent: hex(coin.amount),
        net: "-" + hex(coin.amount - change),
        coinbase: false,
      });
      const rest = await request(`${t.api}/address/${addrA}/history?limit=10&offset=2`);
      expect(rest.body.transactions.map((e: { block_height: number }) => e.block_height)).toEqual([
        4, 3, 2, 1,
      ]);
      expect(rest.body.transactions.every((e: { coinbase: boolean }) => e.coinbase)).toBe(true);
      const b = await request(`${t.api}/address/${addrB}/history`);
      expect(b.body.transactions).toHaveLength(1);
      expect(b.body.transactions[0]).toMatchObject({ txid: tx.txid, received: hex(ONE), sent: "0x0" });
      const empty = await request(`${t.api}/address/${"0x" + "ab".repeat(20)}/history`);
      expect(empty.body).toMatchObject({ total: 0, transactions: [], pending: [] });
    } finally {
      await t.stop();
    }
  });
});

describe("HTTP API: transactions", () => {
  it("POST /tx goes through the mempool: queued, duplicate, refusals as JSON; pending txs are found by id", async () => {
    const ref = new MemoryChain(params);
    mineBlocks(ref, 3);
    const t = await startTestNode({ blocks: ref.blocks.slice(1) });
    try {
      const coins = ref.utxosOf(addrA);
      const tx = ref.spend(keyA, [coins[0]!], [{ to: addrB, amount: ONE }], FEE);
      const ok = await request(`${t.api}/tx`, { body: encodeTransaction(tx) });
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({
        status: "ok",
        message: "tx queued",
        txid: tx.txid,
        eth_hash: tx.ethHash,
        fee: hex(FEE),
      });
      expect(t.node.mempool.has(tx.txid)).toBe(true);

      const dup = await request(`${t.api}/tx`, { body: encodeTransaction(tx) });
      expect(dup.status).toBe(200);
      expect(dup.body).toMatchObject({ status: "duplicate", txid: tx.txid });

      const conflict = ref.spend(keyA, [coins[0]!], [{ to: addrC, amount: ONE }], FEE);
      const c = await request(`${t.api}/tx`, { body: encodeTransaction(conflict) });
      expect(c.status).toBe(400);
      expect(c.body).toMatchObject({ status: "error", code: "txn-mempool-conflict" });
      expect(c.body.message).toMatch(/already spent by pending transaction/);

      const low = ref.spend(keyA, [coins[1]!], [{ to: addrC, amount: ONE }], 10n ** 13n);
      const l = await request(`${t.api}/tx`, { body: encodeTransaction(low) });
      expect(l.status).toBe(400);
      expect(l.body.code).toBe("fee-too-low");

      const garbage = await request(`${t.api}/tx`, { body: new Uint8Array([1, 2, 3]) });
      expect(garbage.status).toBe(400);
      expect(garbage.body).toMatchObject({ status: "error", code: "invalid-bincode" });
      expect(garbage.body.message).toMatch(/^invalid bincode/);

      // Pending: by txid and by eth hash, in /mempool and in the recipient's pending history.
      for (const id of [tx.txid, tx.ethHash]) {
        const got = await request(`${t.api}/tx/${id}`);
        expect(got.status).toBe(200);
        expect(got.body).toMatchObject({
          txid: tx.txid,
          status: "pending",
          block_height: null,
          confirmations: 0,
        });
        expect(decodeTransaction(Buffer.from(got.body.transaction, "base64"))).toEqual(tx);
        expect(got.body.json).toEqual(transactionToJSON(tx));
      }
      const mapping = await request(`${t.api}/eth_mapping/${tx.ethHash}`);
      expect(mapping.body).toEqual({
        eth_hash: tx.ethHash,
        Astram_txid: tx.txid,
        found: true,
        status: "pending",
      });
      const mempool = await request(`${t.api}/mempool`);
      expect(mempool.body).toMatchObject({ count: 1, total_fees: hex(FEE) });
      expect(mempool.body.transactions[0]).toMatchObject({ txid: tx.txid, inputs: 1, outputs: 2 });
      const r = new BincodeReader(Buffer.from(mempool.body.transactions_b64, "base64"));
      expect(r.u64n()).toBe(1);
      const hist = await request(`${t.api}/address/${addrB}/history`);
      expect(hist.body.pending).toHaveLength(1);
      expect(hist.body.pending[0]).toMatchObject({ txid: tx.txid, status: "pending", received: hex(ONE) });

      // Mined: confirmed with its block.
      const block = mineNext(t.node, addrA);
      const mined = await request(`${t.api}/tx/${tx.txid}`);
      expect(mined.body).toMatchObject({
        status: "confirmed",
        block_height: 4,
        block_hash: block.hash,
        position: 1,
        confirmations: 1,
      });
      expect((await request(`${t.api}/tx/${"00".repeat(32)}`)).status).toBe(404);
      expect((await request(`${t.api}/eth_mapping/0x${"00".repeat(32)}`)).body.found).toBe(false);
    } finally {
      await t.stop();
    }
  });
});

describe("HTTP API: blocks and mining", () => {
  it("serves blocks by height or hash (JSON or raw), recent summaries and bincode ranges", async () => {
    const { ref, tx } = chainWithTransfer();
    const t = await startTestNode({ blocks: ref.blocks.slice(1) });
    try {
      const byHeight = await request(`${t.api}/block/5`);
      const byHash = await request(`${t.api}/block/${ref.tip.hash.toUpperCase()}`);
      expect(byHeight.body).toEqual(byHash.body);
      expect(byHeight.body).toMatchObject({
        hash: ref.tip.hash,
        height: 5,
        in_best_chain: true,
        confirmations: 1,
        next_hash: null,
        previous_hash: ref.blocks[4]!.hash,
        tx_count: 2,
        size: encodeBlock(ref.tip).length,
      });
      expect(byHeight.body.transactions[1]).toEqual(transactionToJSON(tx));
      const raw = await fetch(`${t.api}/block/3?format=raw`);
      expect(raw.headers.get("content-type")).toBe("application/octet-stream");
      expect(decodeBlock(new Uint8Array(await raw.arrayBuffer()))).toEqual(ref.blocks[3]);
      expect((await request(`${t.api}/block/6`)).status).toBe(404);
      expect((await request(`${t.api}/block/xyz`)).status).toBe(400);

      const recent = await request(`${t.api}/blocks?limit=3`);
      expect(recent.body.height).toBe(5);
      expect(recent.body.blocks.map((b: { height: number }) => b.height)).toEqual([5, 4, 3]);
      expect(recent.body.blocks[0]).toMatchObject({ hash: ref.tip.hash, tx_count: 2, miner: addrA });

      const decodeVec = (b64: string) => {
        const r = new BincodeReader(Buffer.from(b64, "base64"));
        return Array.from({ length: r.u64n() }, () => readBlock(r));
      };
      const range = await request(`${t.api}/blockchain/range?from=1&to=3`);
      expect(range.body).toMatchObject({ count: 3, from: 1, to: 3, next: null, source: "database" });
      expect(decodeVec(range.body.blockchain)).toEqual(ref.blocks.slice(1, 4));
      const whole = await request(`${t.api}/blockchain`);
      expect(decodeVec(whole.body.blockchain)).toEqual(ref.blocks);
      expect((await request(`${t.api}/blockchain/db`)).body.count).toBe(6);
    } finally {
      await t.stop();
    }
  });

  it("/mining/submit takes a block through the node's block path and refuses invalid ones", async () => {
    const ref = new MemoryChain(params);
    mineBlocks(ref, 2);
    const t = await startTestNode({ blocks: ref.blocks.slice(1) });
    try {
      const next = ref.buildBlock({ miner: addrB });
      const b64 = Buffer.from(encodeBlock(next)).toString("base64");
      // Sent with its height written as a padded varint (0xFB + u16): the same block once decoded;
      // what the node stores and measures is the canonical encoding.
      const canonical = encodeBlock(next);
      expect(canonical[0]).toBe(3);
      const padded = Buffer.concat([Buffer.from([0xfb, 3, 0]), canonical.subarray(1)]).toString("base64");
      const ok = await request(`${t.api}/mining/submit`, { body: { block_b64: padded } });
      expect(ok.body).toEqual({ status: "ok", result: "connected", hash: next.hash, height: 3 });
      expect(t.node.chain.tip.hash).toBe(next.hash);
      expect(t.node.chain.tip.size).toBe(canonical.length);
      expect(Buffer.from(t.node.store.getBlockBytes(next.hash)!)).toEqual(Buffer.from(canonical));
      expect((await request(`${t.api}/mining/submit`, { body: { block_b64: b64 } })).body.status).toBe(
        "duplicate",
      );

      const bad = { ...ref.buildBlock({ miner: addrB, timestamp: ref.tip.header.timestamp + 20 }) };
      const tampered = { ...bad, header: { ...bad.header, nonce: bad.header.nonce + 1n } };
      const r = await request(`${t.api}/mining/submit`, {
        body: { block_b64: Buffer.from(encodeBlock(tampered)).toString("base64") },
      });
      expect(r.status).toBe(400);
      expect(r.body.status).toBe("error");
      expect(r.body.message).toMatch(/^block rejected: /);
      const security = (await request(`${t.api}/status`)).body.security;
      expect(security).toEqual({ validation_failures_total: 1, validation_failures: [[r.body.code, 1]] });
      const junk = await request(`${t.api}/mining/submit`, { body: { block_b64: "AAAA" } });
      expect(junk.status).toBe(400);
      expect(junk.body.message).toMatch(/^invalid block bincode/);
      expect((await request(`${t.api}/mining/submit`, { body: { block: b64 } })).status).toBe(400);

      const mining = await request(`${t.api}/mining`);
      expect(mining.body).toMatchObject({
        active: false,
        blocks_mined: 0,
        difficulty: t.node.chain.nextDifficulty(),
      });
      expect(mining.body.history.length).toBeGreaterThan(0);
    } finally {
      await t.stop();
    }
  });
});

describe("HTTP API: metrics and the public port", () => {
  it("/metrics is Prometheus text with chain, mempool and request counters", async () => {
    const { ref } = chainWithTransfer();
    const t = await startTestNode({ blocks: ref.blocks.slice(1) });
    try {
      await request(`${t.api}/status`);
      await request(`${t.api}/address/${addrA}/balance`);
      const res = await fetch(`${t.api}/metrics`);
      expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await res.text();
      expect(text).toMatch(/^# HELP astram_info /m);
      expect(text).toMatch(/^# TYPE astram_chain_height gauge$/m);
      expect(text).toMatch(/^astram_chain_height 5$/m);
      expect(text).toMatch(/^astram_mempool_transactions 0$/m);
      expect(text).toMatch(/^astram_signature_cache_entries 0$/m);
      expect(text).toMatch(/^# TYPE astram_signature_cache_hits_total counter$/m);
      expect(text).toMatch(/^astram_blocks_accepted_total\{result="connected"\} 5$/m);
      expect(text).toMatch(/^astram_http_requests_total\{method="GET",route="\/status",status="200"\} 1$/m);
      expect(text).toMatch(
        /^astram_http_requests_total\{method="GET",route="\/address\/:address\/balance",status="200"\} 1$/m,
      );
      for (const line of text.trim().split("\n")) {
        expect(line).toMatch(
          /^(# (HELP|TYPE) [a-z_]+ .+|[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? -?[0-9.e+]+)$/,
        );
      }
    } finally {
      await t.stop();
    }
  });

  it("the read-only public API serves reads only", async () => {
    const { ref, tx } = chainWithTransfer();
    const t = await startTestNode({ blocks: ref.blocks.slice(1) });
    try {
      expect((await request(`${t.pub}/status`)).body.blockchain.chain_tip).toBe(ref.tip.hash);
      expect((await request(`${t.pub}/address/${addrB}/balance`)).body.balance).toBe(hex(ONE));
      expect((await request(`${t.pub}/tx/${tx.txid}`)).body.status).toBe("confirmed");
      expect((await request(`${t.pub}/block/1`)).status).toBe(200);
      const post = await request(`${t.pub}/tx`, { body: encodeTransaction(tx) });
      expect(post.status).toBe(405);
      expect(post.body).toMatchObject({ status: "error", code: "read-only" });
      expect((await request(`${t.pub}/mining/submit`, { body: { block_b64: "AA==" } })).status).toBe(405);
      expect((await request(`${t.pub}/`)).status).toBe(404);
      expect((await request(`${t.pub}/metrics`)).status).toBe(404);
      const res = await fetch(`${t.pub}/status`, { headers: { origin: "https://example.org" } });
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      // The private API serves the dashboard and accepts writes.
      const page = await fetch(`${t.api}/`);
      expect(page.headers.get("content-type")).toMatch(/^text\/html/);
      expect(await page.text()).toContain("<title>Astram node</title>");
    } finally {
      await t.stop();
    }
  });
});
