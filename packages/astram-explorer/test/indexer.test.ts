import { join } from "node:path";
import {
  type Block,
  buildEthTransferTransaction,
  bytesToHex,
  outPointKey,
  parseEthTransfer,
} from "astram-core";
import { MemoryChain } from "astram-core/testing";
import { amountFromDb, type Explorer, META } from "astram-explorer";
import { type Hex, keccak256, parseGwei } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import {
  addrA,
  addrB,
  addrC,
  chainWithTransfers,
  FEE,
  getJson,
  indexedTo,
  keyA,
  ONE,
  params,
  startExplorer,
  startNode,
  tempDir,
} from "./helpers.js";

function dbOf(explorer: Explorer) {
  return explorer.database!.db;
}

/** Every table of an explorer database, sorted, for comparing two indexes of the same chain. */
async function dump(explorer: Explorer) {
  const db = dbOf(explorer);
  const sort = <T>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();
  return {
    blocks: sort(await db.selectFrom("blocks").selectAll().execute()),
    transactions: sort(await db.selectFrom("transactions").selectAll().execute()),
    outputs: sort(await db.selectFrom("outputs").selectAll().execute()),
    inputs: sort(await db.selectFrom("inputs").selectAll().execute()),
    address_txs: sort(await db.selectFrom("address_txs").selectAll().execute()),
    addresses: sort(await db.selectFrom("addresses").selectAll().execute()),
    meta: sort(await db.selectFrom("meta").selectAll().execute()),
  };
}

/** The index agrees with the reference chain: balances, UTXOs, spent flags, counts and supply. */
async function expectMatchesChain(explorer: Explorer, ref: MemoryChain) {
  const db = dbOf(explorer);
  for (const address of [addrA, addrB, addrC]) {
    const row = await db
      .selectFrom("addresses")
      .selectAll()
      .where("address", "=", address)
      .executeTakeFirst();
    expect(row ? amountFromDb(row.balance) : 0n).toBe(ref.balanceOf(address));
    expect(row?.utxo_count ?? 0).toBe(ref.utxosOf(address).length);
  }
  const unspent = new Set<string>();
  let supply = 0n;
  let txCount = 0;
  for (const b of ref.blocks) {
    txCount += b.transactions.length;
    for (const tx of b.transactions)
      for (const [vout] of tx.outputs.entries()) {
        const u = ref.getUtxo({ txid: tx.txid, vout });
        if (u) {
          unspent.add(outPointKey(u));
          supply += u.amount;
        }
      }
  }
  const outputs = await db.selectFrom("outputs").select(["txid", "vout", "spent_txid"]).execute();
  expect(
    outputs
      .filter((o) => o.spent_txid === null)
      .map((o) => `${o.txid}:${o.vout}`)
      .sort(),
  ).toEqual([...unspent].sort());
  const meta = new Map(
    (await db.selectFrom("meta").selectAll().execute()).map((r) => [r.key, r.value] as [string, string]),
  );
  expect(BigInt(meta.get(META.supply)!)).toBe(supply);
  expect(Number(meta.get(META.txCount))).toBe(txCount);
  expect(meta.get(META.genesis)).toBe(ref.blocks[0]!.hash);
  const blocks = await db.selectFrom("blocks").select(["height", "hash"]).orderBy("height").execute();
  expect(blocks.map((b) => b.hash)).toEqual(ref.blocks.map((b) => b.hash));
}

describe("indexer against a real node", () => {
  it("indexes blocks, transactions, input sources, fees, spent outputs and exact balances", async () => {
    const { ref, transfers } = chainWithTransfers(12);
    const node = await startNode({ blocks: ref.blocks.slice(1) });
    const explorer = await startExplorer(node.url, { serve: false });
    await indexedTo(explorer, ref.tip.hash);
    await expectMatchesChain(explorer, ref);

    const db = dbOf(explorer);
    for (const tx of transfers) {
      const row = await db
        .selectFrom("transactions")
        .selectAll()
        .where("txid", "=", tx.txid)
        .executeTakeFirstOrThrow();
      expect(amountFromDb(row.fee)).toBe(FEE);
      expect(amountFromDb(row.input_total) - amountFromDb(row.output_total)).toBe(FEE);
      const inputs = await db.selectFrom("inputs").selectAll().where("txid", "=", tx.txid).execute();
      expect(inputs).toHaveLength(tx.inputs.length);
      for (const i of inputs) {
        const src = await db
          .selectFrom("outputs")
          .selectAll()
          .where("txid", "=", i.prev_txid)
          .where("vout", "=", i.prev_vout)
          .executeTakeFirstOrThrow();
        expect(src.address).toBe(i.address);
        expect(src.amount).toBe(i.amount);
        expect(src.spent_txid).toBe(tx.txid);
      }
    }
    // Coinbases pay reward + the block's fees; supply grew by 8 ASRM per block exactly.
    const blocks = await db.selectFrom("blocks").selectAll().orderBy("height").execute();
    for (const [h, b] of blocks.entries()) {
      const fees = ref.blocks[h]!.transactions.length - 1;
      expect(amountFromDb(b.fees)).toBe(BigInt(fees) * FEE);
      expect(amountFromDb(b.coinbase_total) - amountFromDb(b.fees)).toBe(8n * ONE);
    }
    const supply = await db
      .selectFrom("meta")
      .select("value")
      .where("key", "=", META.supply)
      .executeTakeFirstOrThrow();
    expect(BigInt(supply.value)).toBe(8n * ONE * BigInt(ref.blocks.length));
  });

  it("resumes from its database after a restart, indexing only the new blocks", async () => {
    const { ref } = chainWithTransfers(10);
    const node = await startNode({ blocks: ref.blocks.slice(1, 7) });
    const file = join(tempDir(), "explorer.sqlite");
    const first = await startExplorer(node.url, { db: file, serve: false, keep: true });
    await indexedTo(first, ref.blocks[6]!.hash);
    expect(first.indexer!.status().blocksIndexed).toBe(7);
    await first.stop();

    node.submit(ref.blocks.slice(7));
    const second = await startExplorer(node.url, { db: file, serve: false });
    expect(second.indexer!.status().indexedHeight).toBe(6);
    await indexedTo(second, ref.tip.hash);
    expect(second.indexer!.status().blocksIndexed).toBe(4);
    await expectMatchesChain(second, ref);
  });

  it("rolls back orphaned blocks when the node switches to a heavier branch, ending as a fresh index", async () => {
    const { ref } = chainWithTransfers(10);
    const node = await startNode({ blocks: ref.blocks.slice(1) });
    const explorer = await startExplorer(node.url);
    await indexedTo(explorer, ref.tip.hash);
    const orphaned = ref.blocks.slice(7).flatMap((b: Block) => b.transactions.map((t) => t.txid));

    // A competing branch from height 6: two blocks more, paying C from A's coins.
    const fork = new MemoryChain(ref.params);
    for (let h = 1; h <= 6; h++) fork.connect(ref.blocks[h]!);
    for (let h = 7; h <= 12; h++) {
      const coin = fork.utxosOf(addrA)[1]!;
      fork.mine({
        miner: addrC,
        transactions: [fork.spend(keyA, [coin], [{ to: addrC, amount: 3n * ONE }], FEE)],
      });
    }
    node.submit(fork.blocks.slice(7));
    await indexedTo(explorer, fork.tip.hash);
    const status = explorer.indexer!.status();
    expect(status.reorgs).toBe(1);
    expect(status.blocksRolledBack).toBe(4);
    await expectMatchesChain(explorer, fork);

    // Orphaned transactions are no longer confirmed (the node may hold some in its mempool again).
    for (const txid of orphaned) {
      const { status: code, body } = await getJson(`${explorer.url}/api/tx/${txid}`);
      if (code === 200) expect(body.status).toBe("pending");
      else expect(code).toBe(404);
    }
    // Rolling back and re-indexing leaves exactly what indexing the new chain from scratch gives.
    const fresh = await startExplorer(node.url, { serve: false });
    await indexedTo(fresh, fork.tip.hash);
    expect(await dump(explorer)).toEqual(await dump(fresh));
  });

  it("indexes a transfer signed by an Ethereum wallet under the hash the wallet knows (keccak of the raw tx)", async () => {
    const ref = new MemoryChain(params);
    for (let h = 0; h < 3; h++) ref.mine({ miner: addrA });
    const account = privateKeyToAccount(`0x${bytesToHex(keyA)}`);
    const raw = await account.signTransaction({
      type: "legacy",
      chainId: params.chainId,
      nonce: 0,
      to: addrC as Hex,
      value: 2n * ONE,
      gas: 21_000n,
      gasPrice: parseGwei("50"),
    });
    const auth = parseEthTransfer(raw, params.chainId);
    const coin = ref.utxosOf(addrA)[0]!;
    const tx = buildEthTransferTransaction(auth, [coin], ref.tip.header.timestamp);
    ref.mine({ miner: addrA, transactions: [tx] });
    const node = await startNode({ blocks: ref.blocks.slice(1) });
    const explorer = await startExplorer(node.url);
    await indexedTo(explorer, ref.tip.hash);

    const walletHash = keccak256(raw);
    expect(walletHash).not.toBe(tx.ethHash);
    const { body } = await getJson(`${explorer.url}/api/tx/${walletHash}`);
    expect(body).toMatchObject({
      txid: tx.txid,
      eth_hash: walletHash,
      utxo_eth_hash: tx.ethHash,
      fee: String(21_000n * parseGwei("50")),
      amount: String(2n * ONE),
    });
    expect((await getJson(`${explorer.url}/api/tx/${tx.ethHash}`)).body.txid).toBe(tx.txid);
    const found = (await getJson(`${explorer.url}/api/search?q=${walletHash}`)).body;
    expect(found).toMatchObject({ type: "transaction", id: tx.txid });
  });

  it("refuses to index a node of another chain into the same database", async () => {
    const { ref } = chainWithTransfers(3);
    const node = await startNode({ blocks: ref.blocks.slice(1) });
    const file = join(tempDir(), "explorer.sqlite");
    const first = await startExplorer(node.url, { db: file, serve: false, keep: true });
    await indexedTo(first, ref.tip.hash);
    await first.stop();
    await node.stop();

    const testnetNode = await startNode({ network: "test" });
    const fatal = new Promise<Error>((resolve) => {
      void startExplorer(testnetNode.url, { db: file, serve: false, onFatal: resolve });
    });
    const err = await fatal;
    expect(err.name).toBe("ChainMismatchError");
    expect(err.message).toMatch(/another chain/);
  });
});
