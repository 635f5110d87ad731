import { bytesToHex, ETH_SIGNATURE_PREFIX, hexToBytes, keccak256, type Transaction } from "astram-core";
import type { Insertable, Kysely } from "kysely";
import { amountFromDb, amountToDb } from "../amounts.js";
import { chunks, getMeta, META, setMeta } from "../db/meta.js";
import type {
  AddressesTable,
  AddressTxsTable,
  Database,
  InputsTable,
  OutputsTable,
  TransactionsTable,
} from "../db/schema.js";
import { IndexInconsistencyError } from "../errors.js";
import type { FetchedBlock } from "../node-client.js";

interface SourceOutput {
  txid: string;
  vout: number;
  address: string;
  amount: bigint;
  blockHeight: number;
}

interface AddressDelta {
  received: bigint;
  sent: bigint;
  utxoDelta: number;
}

/** keccak256 of the raw Ethereum transaction an `eth:` signature carries ("0x…"), else null. */
export function ethRawHash(tx: Transaction): string | null {
  const sig = tx.inputs[0]?.signature;
  if (!sig?.startsWith(ETH_SIGNATURE_PREFIX)) return null;
  try {
    return "0x" + bytesToHex(keccak256(hexToBytes(sig.slice(ETH_SIGNATURE_PREFIX.length))));
  } catch {
    return null;
  }
}

/** Reads the unspent outputs `keys` ("txid:vout") refer to, from the index. */
async function loadSources(db: Kysely<Database>, keys: Set<string>): Promise<Map<string, SourceOutput>> {
  const out = new Map<string, SourceOutput>();
  const txids = [...new Set([...keys].map((k) => k.slice(0, k.lastIndexOf(":"))))];
  for (const part of chunks(txids, 1)) {
    const rows = await db
      .selectFrom("outputs")
      .select(["txid", "vout", "address", "amount", "block_height", "spent_txid"])
      .where("txid", "in", part)
      .execute();
    for (const r of rows) {
      const key = `${r.txid}:${r.vout}`;
      if (!keys.has(key)) continue;
      if (r.spent_txid !== null)
        throw new IndexInconsistencyError(`output ${key} is already spent by ${r.spent_txid} in the index`);
      out.set(key, {
        txid: r.txid,
        vout: r.vout,
        address: r.address,
        amount: amountFromDb(r.amount),
        blockHeight: r.block_height,
      });
    }
  }
  return out;
}

/** What applying one block changed (for progress and the running totals). */
export interface AppliedBlock {
  readonly height: number;
  readonly hash: string;
  readonly txCount: number;
}

/**
 * Indexes one best-chain block on top of the indexed tip, inside the caller's database transaction:
 * the block, its transactions, outputs, inputs with their sources (every input spends an output
 * indexed earlier or created earlier in this block), fees, per-address history rows and running
 * totals (bigint, written back as fixed-width text), the transaction count and the supply.
 */
export async function applyBlock(db: Kysely<Database>, fetched: FetchedBlock): Promise<AppliedBlock> {
  const { block, txSizes } = fetched;
  const height = block.header.index;

  // Outputs this block creates, then the sources of inputs that spend older outputs.
  const created = new Map<string, SourceOutput>();
  for (const tx of block.transactions)
    for (const [vout, o] of tx.outputs.entries())
      created.set(`${tx.txid}:${vout}`, {
        txid: tx.txid,
        vout,
        address: o.to.toLowerCase(),
        amount: o.amount,
        blockHeight: height,
      });
  const older = new Set<string>();
  for (const tx of block.transactions)
    for (const i of tx.inputs) {
      const key = `${i.txid}:${i.vout}`;
      if (!created.has(key)) older.add(key);
    }
  const sources = await loadSources(db, older);

  const txRows: Insertable<TransactionsTable>[] = [];
  const inputRows: Insertable<InputsTable>[] = [];
  const outputRows = new Map<string, Insertable<OutputsTable>>();
  const spentOlder: Insertable<OutputsTable>[] = [];
  const historyRows: Insertable<AddressTxsTable>[] = [];
  const totals = new Map<string, AddressDelta & { txs: number }>();
  let coinbaseTotal = 0n;
  let fees = 0n;
  let volume = 0n;

  for (const [position, tx] of block.transactions.entries()) {
    const coinbase = tx.inputs.length === 0;
    const deltas = new Map<string, AddressDelta>();
    const delta = (address: string): AddressDelta => {
      let d = deltas.get(address);
      if (!d) {
        d = { received: 0n, sent: 0n, utxoDelta: 0 };
        deltas.set(address, d);
      }
      return d;
    };
    let inputTotal = 0n;
    let sender: string | null = null;
    const owners = new Set<string>();
    for (const [vin, input] of tx.inputs.entries()) {
      const key = `${input.txid}:${input.vout}`;
      const src = created.get(key) ?? sources.get(key);
      if (!src)
        throw new IndexInconsistencyError(
          `block ${height} ${block.hash}: input ${vin} of ${tx.txid} spends ${key}, which is not an unspent indexed output`,
        );
      sources.delete(key);
      sender ??= src.address;
      owners.add(src.address);
      inputTotal += src.amount;
      const d = delta(src.address);
      d.sent += src.amount;
      d.utxoDelta -= 1;
      inputRows.push({
        txid: tx.txid,
        vin,
        prev_txid: src.txid,
        prev_vout: src.vout,
        address: src.address,
        amount: amountToDb(src.amount),
        pubkey: input.pubkey,
        block_height: height,
      });
      const spent = { spent_txid: tx.txid, spent_vin: vin, spent_height: height };
      const sameBlock = outputRows.get(key);
      if (sameBlock?.spent_txid) throw new IndexInconsistencyError(`block ${height}: ${key} is spent twice`);
      if (sameBlock) Object.assign(sameBlock, spent);
      else if (created.has(key))
        throw new IndexInconsistencyError(`block ${height}: ${tx.txid} spends ${key} before it is created`);
      else
        spentOlder.push({
          txid: src.txid,
          vout: src.vout,
          address: src.address,
          amount: amountToDb(src.amount),
          block_height: src.blockHeight,
          ...spent,
        });
    }
    let outputTotal = 0n;
    let paidOut = 0n;
    for (const [vout, o] of tx.outputs.entries()) {
      const address = o.to.toLowerCase();
      outputTotal += o.amount;
      if (!owners.has(address)) paidOut += o.amount;
      const d = delta(address);
      d.received += o.amount;
      d.utxoDelta += 1;
      outputRows.set(`${tx.txid}:${vout}`, {
        txid: tx.txid,
        vout,
        address,
        amount: amountToDb(o.amount),
        block_height: height,
        spent_txid: null,
        spent_vin: null,
        spent_height: null,
      });
    }
    const fee = coinbase ? 0n : inputTotal - outputTotal;
    if (fee < 0n)
      throw new IndexInconsistencyError(`block ${height}: ${tx.txid} pays out more than its inputs`);
    const moved = paidOut > 0n ? paidOut : outputTotal;
    if (coinbase) coinbaseTotal += outputTotal;
    else {
      fees += fee;
      volume += moved;
    }
    txRows.push({
      txid: tx.txid,
      eth_hash: tx.ethHash,
      eth_raw_hash: ethRawHash(tx),
      block_height: height,
      position,
      timestamp: tx.timestamp,
      size: txSizes[position] ?? 0,
      coinbase: coinbase ? 1 : 0,
      input_count: tx.inputs.length,
      output_count: tx.outputs.length,
      input_total: amountToDb(inputTotal),
      output_total: amountToDb(outputTotal),
      amount: amountToDb(moved),
      fee: amountToDb(fee),
      sender,
    });
    for (const [address, d] of deltas) {
      historyRows.push({
        address,
        block_height: height,
        position,
        txid: tx.txid,
        received: amountToDb(d.received),
        sent: amountToDb(d.sent),
        utxo_delta: d.utxoDelta,
      });
      const t = totals.get(address) ?? { received: 0n, sent: 0n, utxoDelta: 0, txs: 0 };
      t.received += d.received;
      t.sent += d.sent;
      t.utxoDelta += d.utxoDelta;
      t.txs += 1;
      totals.set(address, t);
    }
  }

  await db
    .insertInto("blocks")
    .values({
      height,
      hash: block.hash,
      previous_hash: block.header.previousHash,
      merkle_root: block.header.merkleRoot,
      timestamp: block.header.timestamp,
      difficulty: block.header.difficulty,
      nonce: block.header.nonce.toString(),
      tx_count: block.transactions.length,
      size: fetched.size,
      miner: block.transactions[0]?.outputs[0]?.to.toLowerCase() ?? null,
      coinbase_total: amountToDb(coinbaseTotal),
      fees: amountToDb(fees),
      volume: amountToDb(volume),
    })
    .execute();
  for (const part of chunks(txRows, 15)) await db.insertInto("transactions").values(part).execute();
  for (const part of chunks([...outputRows.values()], 8))
    await db.insertInto("outputs").values(part).execute();
  for (const part of chunks(spentOlder, 8))
    await db
      .insertInto("outputs")
      .values(part)
      .onConflict((oc) =>
        oc.columns(["txid", "vout"]).doUpdateSet((eb) => ({
          spent_txid: eb.ref("excluded.spent_txid"),
          spent_vin: eb.ref("excluded.spent_vin"),
          spent_height: eb.ref("excluded.spent_height"),
        })),
      )
      .execute();
  for (const part of chunks(inputRows, 8)) await db.insertInto("inputs").values(part).execute();
  for (const part of chunks(historyRows, 7)) await db.insertInto("address_txs").values(part).execute();

  // Running per-address totals: read, add with bigint, write back.
  const addresses = [...totals.keys()];
  const existing = new Map<string, AddressesTable>();
  for (const part of chunks(addresses, 1)) {
    const rows = await db.selectFrom("addresses").selectAll().where("address", "in", part).execute();
    for (const r of rows) existing.set(r.address, r);
  }
  const addressRows: AddressesTable[] = addresses.map((address) => {
    const t = totals.get(address)!;
    const e = existing.get(address);
    const received = (e ? amountFromDb(e.received) : 0n) + t.received;
    const sent = (e ? amountFromDb(e.sent) : 0n) + t.sent;
    return {
      address,
      balance: amountToDb(received - sent),
      received: amountToDb(received),
      sent: amountToDb(sent),
      tx_count: (e?.tx_count ?? 0) + t.txs,
      utxo_count: (e?.utxo_count ?? 0) + t.utxoDelta,
      first_height: e?.first_height ?? height,
      last_height: height,
    };
  });
  for (const part of chunks(addressRows, 8))
    await db
      .insertInto("addresses")
      .values(part)
      .onConflict((oc) =>
        oc.column("address").doUpdateSet((eb) => ({
          balance: eb.ref("excluded.balance"),
          received: eb.ref("excluded.received"),
          sent: eb.ref("excluded.sent"),
          tx_count: eb.ref("excluded.tx_count"),
          utxo_count: eb.ref("excluded.utxo_count"),
          last_height: eb.ref("excluded.last_height"),
        })),
      )
      .execute();

  const txCount = Number((await getMeta(db, META.txCount)) ?? "0") + block.transactions.length;
  const supply = BigInt((await getMeta(db, META.supply)) ?? "0") + coinbaseTotal - fees;
  const meta: Record<string, string> = { [META.txCount]: String(txCount), [META.supply]: supply.toString() };
  if (height === 0) meta[META.genesis] = block.hash;
  await setMeta(db, meta);
  return { height, hash: block.hash, txCount: block.transactions.length };
}
