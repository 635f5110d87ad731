import { BincodeReader, type Block, readBlockHeader, readTransaction, type Transaction } from "astram-core";
import { NodeResponseError, NodeUnreachableError } from "./errors.js";

/** A block as fetched from the node, with the encoded sizes the indexer records. */
export interface FetchedBlock {
  readonly block: Block;
  /** Encoded size of the whole block in bytes. */
  readonly size: number;
  /** Encoded size of each transaction (the size the fee rule uses). */
  readonly txSizes: readonly number[];
}

export interface NodeHealth {
  readonly height: number;
  readonly tip: string;
}

export interface NodeStatusInfo {
  readonly network: string;
  readonly chainId: number;
  readonly height: number;
  readonly tip: string;
  /** Difficulty the node requires of the next block. */
  readonly nextDifficulty: number;
  readonly targetSpacing: number;
}

export interface NodeMempoolEntry {
  readonly tx: Transaction;
  readonly txid: string;
  /** The hash wallets know the transaction by (keccak of the raw Ethereum tx when it has one). */
  readonly ethHash: string;
  readonly size: number;
  readonly fee: bigint;
  /** Unix seconds the node admitted it. */
  readonly addedAt: number;
}

export interface NodeMempool {
  readonly count: number;
  readonly bytes: number;
  readonly totalFees: bigint;
  readonly entries: readonly NodeMempoolEntry[];
}

/** Decodes a bincode Vec<Block>, keeping each block's and transaction's encoded size. */
export function decodeBlockList(bytes: Uint8Array): FetchedBlock[] {
  const r = new BincodeReader(bytes);
  const count = r.u64n("block count");
  const out: FetchedBlock[] = [];
  for (let i = 0; i < count; i++) {
    const start = r.offset;
    const header = readBlockHeader(r);
    const n = r.len(5, "transactions");
    const transactions: Transaction[] = [];
    const txSizes: number[] = [];
    for (let t = 0; t < n; t++) {
      const s = r.offset;
      transactions.push(readTransaction(r));
      txSizes.push(r.offset - s);
    }
    const hash = r.string("block hash");
    out.push({ block: { header, transactions, hash }, size: r.offset - start, txSizes });
  }
  r.expectEnd("block list");
  return out;
}

function decodeTransactionList(bytes: Uint8Array): Transaction[] {
  const r = new BincodeReader(bytes);
  const n = r.u64n("transaction count");
  const out: Transaction[] = [];
  for (let i = 0; i < n; i++) out.push(readTransaction(r));
  r.expectEnd("transaction list");
  return out;
}

type Json = Record<string, unknown>;

/**
 * The node's HTTP API, as the explorer uses it (reads only): /health, /status, /blocks,
 * /blockchain/range and /mempool. Every failure is a NodeUnreachableError or NodeResponseError.
 */
export class NodeClient {
  readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly timeoutMs = 30_000,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
  }

  private async get(path: string, signal?: AbortSignal): Promise<Json> {
    const url = this.baseUrl + path;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let res: Response;
    try {
      res = await fetch(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    } catch (e) {
      if (signal?.aborted) throw e;
      throw new NodeUnreachableError(`node ${this.baseUrl} unreachable (${path}): ${(e as Error).message}`);
    }
    const text = await res.text();
    if (!res.ok)
      throw new NodeResponseError(`node ${url} answered HTTP ${res.status}: ${text.slice(0, 200)}`);
    try {
      return JSON.parse(text) as Json;
    } catch {
      throw new NodeResponseError(`node ${url} answered something that is not JSON`);
    }
  }

  async health(signal?: AbortSignal): Promise<NodeHealth> {
    const j = await this.get("/health", signal);
    if (typeof j.height !== "number" || typeof j.tip !== "string")
      throw new NodeResponseError("node /health lacks height or tip");
    return { height: j.height, tip: j.tip };
  }

  async status(signal?: AbortSignal): Promise<NodeStatusInfo> {
    const j = await this.get("/status", signal);
    const node = (j.node ?? {}) as Json;
    const chain = (j.blockchain ?? {}) as Json;
    if (typeof chain.height !== "number" || typeof chain.chain_tip !== "string")
      throw new NodeResponseError("node /status lacks blockchain.height or chain_tip");
    return {
      network: String(node.network ?? "unknown"),
      chainId: Number(node.chain_id ?? 0),
      height: chain.height,
      tip: chain.chain_tip,
      nextDifficulty: Number(chain.difficulty ?? 0),
      targetSpacing: Number(chain.target_spacing ?? 0),
    };
  }

  /** Best-chain hashes of heights top, top-1, … (at most `limit`, highest first). */
  async blockHashes(top: number, limit: number, signal?: AbortSignal): Promise<Map<number, string>> {
    const j = await this.get(`/blocks?before=${top + 1}&limit=${Math.min(100, limit)}`, signal);
    const out = new Map<number, string>();
    for (const b of (j.blocks ?? []) as Json[]) out.set(Number(b.height), String(b.hash));
    return out;
  }

  /** Best-chain blocks from..to (the node may return fewer: it bounds each answer). */
  async range(from: number, to: number, signal?: AbortSignal): Promise<FetchedBlock[]> {
    const j = await this.get(`/blockchain/range?from=${from}&to=${to}`, signal);
    if (typeof j.blockchain !== "string")
      throw new NodeResponseError("node /blockchain/range lacks blockchain");
    try {
      return decodeBlockList(Buffer.from(j.blockchain, "base64"));
    } catch (e) {
      throw new NodeResponseError(`node /blockchain/range: undecodable blocks: ${(e as Error).message}`);
    }
  }

  async mempool(limit = 1000, signal?: AbortSignal): Promise<NodeMempool> {
    const j = await this.get(`/mempool?limit=${limit}`, signal);
    const txs =
      typeof j.transactions_b64 === "string"
        ? decodeTransactionList(Buffer.from(j.transactions_b64, "base64"))
        : [];
    const summaries = (j.transactions ?? []) as Json[];
    const entries: NodeMempoolEntry[] = txs.map((tx, i) => {
      const s = summaries[i] ?? {};
      return {
        tx,
        txid: tx.txid,
        ethHash: typeof s.eth_hash === "string" ? s.eth_hash : tx.ethHash,
        size: Number(s.size ?? 0),
        fee: typeof s.fee === "string" ? BigInt(s.fee) : 0n,
        addedAt: Number(s.added_at ?? 0),
      };
    });
    return {
      count: Number(j.count ?? entries.length),
      bytes: Number(j.bytes ?? 0),
      totalFees: typeof j.total_fees === "string" ? BigInt(j.total_fees) : 0n,
      entries,
    };
  }
}
