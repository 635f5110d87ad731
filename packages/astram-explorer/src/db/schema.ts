/**
 * The explorer's tables, as Kysely sees them. Amounts are fixed-width decimal text (see amounts.ts);
 * heights and positions are integers; timestamps are unix seconds. The same schema runs on SQLite
 * and PostgreSQL (src/db/migrate.ts creates it).
 *
 * | table         | one row per                                  | key                          |
 * | ------------- | -------------------------------------------- | ---------------------------- |
 * | meta          | setting or running total                     | key                          |
 * | blocks        | indexed best-chain block                     | height (hash unique)         |
 * | transactions  | transaction of an indexed block              | txid                         |
 * | outputs       | output, with the input that spent it         | (txid, vout)                 |
 * | inputs        | input, with the output it spends (its source) | (txid, vin)                 |
 * | address_txs   | (address, transaction) pair: history         | (address, block_height, position) |
 * | addresses     | address with running totals                  | address                      |
 */
export interface MetaTable {
  key: string;
  value: string;
}

export interface BlocksTable {
  height: number;
  hash: string;
  previous_hash: string;
  merkle_root: string;
  timestamp: number;
  difficulty: number;
  nonce: string;
  tx_count: number;
  /** Encoded block size in bytes. */
  size: number;
  /** Address of the coinbase's first output. */
  miner: string | null;
  /** Σ coinbase outputs. */
  coinbase_total: string;
  /** Σ fees of the block's other transactions (coinbase_total − fees is what the block issued). */
  fees: string;
  /** Σ amounts of the non-coinbase transactions (change excluded, see TransactionsTable.amount). */
  volume: string;
}

export interface TransactionsTable {
  txid: string;
  eth_hash: string;
  /** keccak256 of the raw signed Ethereum transaction for `eth:`-signed transactions (what wallets show). */
  eth_raw_hash: string | null;
  block_height: number;
  position: number;
  timestamp: number;
  size: number;
  /** 1 for the coinbase. */
  coinbase: number;
  input_count: number;
  output_count: number;
  input_total: string;
  output_total: string;
  /**
   * What the transaction moved: Σ outputs paid to addresses that own none of its inputs (change
   * excluded); Σ outputs when every output returns to an input's owner; Σ outputs for a coinbase.
   */
  amount: string;
  fee: string;
  /** Owner of the first input's source output (null for a coinbase). */
  sender: string | null;
}

export interface OutputsTable {
  txid: string;
  vout: number;
  address: string;
  amount: string;
  block_height: number;
  spent_txid: string | null;
  spent_vin: number | null;
  spent_height: number | null;
}

export interface InputsTable {
  txid: string;
  vin: number;
  prev_txid: string;
  prev_vout: number;
  /** Owner and amount of the spent output, copied when indexed. */
  address: string;
  amount: string;
  pubkey: string;
  block_height: number;
}

export interface AddressTxsTable {
  address: string;
  block_height: number;
  position: number;
  txid: string;
  /** Σ outputs of the transaction paid to the address. */
  received: string;
  /** Σ of the address's outputs the transaction spent. */
  sent: string;
  /** Outputs created for the address minus its outputs spent (to undo utxo_count). */
  utxo_delta: number;
}

export interface AddressesTable {
  address: string;
  balance: string;
  received: string;
  sent: string;
  tx_count: number;
  utxo_count: number;
  first_height: number;
  last_height: number;
}

export interface Database {
  meta: MetaTable;
  blocks: BlocksTable;
  transactions: TransactionsTable;
  outputs: OutputsTable;
  inputs: InputsTable;
  address_txs: AddressTxsTable;
  addresses: AddressesTable;
}
