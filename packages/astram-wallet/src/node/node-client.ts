import {
  type Address,
  BincodeReader,
  decodeTransaction,
  MIN_TRANSACTION_SIZE,
  readTransaction,
  type Transaction,
  type Utxo,
} from "astram-core";
import { NodeResponseError, NodeUnreachableError, TransactionRejectedError } from "../errors.js";
import { amountField, parseAmountValue } from "./amount-field.js";
import { type JsonValue, parseJsonBigint } from "./json-bigint.js";

/**
 * The node's HTTP API as the wallet uses it (facts §10 with the reference's bugs fixed). Responses
 * are read liberally: amounts may come as "0x" hex, decimal strings, JSON integers of any size or
 * `amount_raw` limbs; lists may be bare arrays or wrapped in an object.
 */
export interface NodeClientOptions {
  /** Per-request timeout in milliseconds (default 15 s). */
  timeoutMs?: number;
}

/** One entry of an address's history, as far as the node describes it. */
export interface HistoryEntry {
  readonly txid: string;
  /** Block height, or undefined while the transaction is pending. */
  readonly height: number | undefined;
  readonly timestamp: number | undefined;
  /** Paid to the address by this transaction (ram), when known. */
  readonly received: bigint | undefined;
  /** Taken from the address's outputs by this transaction (ram), when known. */
  readonly sent: bigint | undefined;
  readonly coinbase: boolean | undefined;
}

export interface TransactionStatus {
  readonly txid: string;
  readonly confirmed: boolean;
  readonly height: number | undefined;
  readonly confirmations: number | undefined;
  readonly transaction: Transaction | undefined;
}

export interface SubmitResult {
  /** "ok" when queued; "duplicate" when the node already had it. */
  readonly status: "ok" | "duplicate";
  readonly message: string | undefined;
}

/** A UTXO as the node lists it; `pendingSpent` when a mempool transaction already spends it. */
export interface WalletUtxo extends Utxo {
  readonly pendingSpent?: boolean;
}

/** UTXOs asked for per request. */
const UTXO_PAGE = 1000;

type JsonObject = { [key: string]: JsonValue };

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v) && typeof v !== "bigint";
}

function str(o: JsonObject, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = o[n];
    if (typeof v === "string") return v;
  }
  return undefined;
}

function int(o: JsonObject, ...names: string[]): number | undefined {
  for (const n of names) {
    const v = o[n];
    if (typeof v === "number" && Number.isSafeInteger(v)) return v;
    if (typeof v === "string" && /^\d{1,15}$/.test(v)) return Number(v);
  }
  return undefined;
}

/** The array a list endpoint returns: bare, or under one of `keys`. */
function listOf(body: JsonValue, keys: readonly string[]): JsonValue[] | undefined {
  if (Array.isArray(body)) return body;
  if (isObject(body)) for (const k of keys) if (Array.isArray(body[k])) return body[k] as JsonValue[];
  return undefined;
}

function describeCause(e: unknown): string {
  const err = e as {
    name?: string;
    code?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  if (err.name === "TimeoutError" || err.name === "AbortError") return "timed out";
  return err.cause?.code ?? err.code ?? err.cause?.message ?? err.message ?? String(e);
}

const TXID_RE = /^[0-9a-f]{64}$/;

export class NodeClient {
  readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(baseUrl: string, options: NodeClientOptions = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  private async request(
    path: string,
    init: { method?: string; body?: Uint8Array; contentType?: string } = {},
  ): Promise<{ status: number; body: JsonValue | undefined; text: string; url: string }> {
    const url = `${this.baseUrl}${path}`;
    let res: Response;
    try {
      const headers: Record<string, string> = { accept: "application/json" };
      if (init.contentType) headers["content-type"] = init.contentType;
      res = await fetch(url, {
        method: init.method ?? "GET",
        headers,
        ...(init.body ? { body: init.body } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      throw new NodeUnreachableError(this.baseUrl, describeCause(e));
    }
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      throw new NodeUnreachableError(this.baseUrl, describeCause(e));
    }
    let body: JsonValue | undefined;
    try {
      body = parseJsonBigint(text);
    } catch {
      body = undefined;
    }
    return { status: res.status, body, text, url };
  }

  private async getJson(path: string, opts: { allow404?: boolean } = {}): Promise<JsonValue | undefined> {
    const r = await this.request(path);
    if (r.status === 404 && opts.allow404) return undefined;
    if (r.status !== 200) throw new NodeResponseError(r.url, r.status, this.errorText(r));
    if (r.body === undefined) throw new NodeResponseError(r.url, 0, "the body is not JSON");
    return r.body;
  }

  private errorText(r: { body: JsonValue | undefined; text: string }): string {
    if (isObject(r.body)) {
      const m = str(r.body, "message", "error", "status");
      if (m) return m;
    }
    return r.text.slice(0, 200) || "(empty body)";
  }

  /** GET /status (the whole object). */
  async status(): Promise<JsonValue> {
    return (await this.getJson("/status")) as JsonValue;
  }

  /** GET /address/{a}/balance: the confirmed balance in ram. */
  async balance(address: Address): Promise<bigint> {
    const path = `/address/${address.toLowerCase()}/balance`;
    const body = await this.getJson(path);
    const v = isObject(body)
      ? amountField(body, ["balance", "balance_raw", "amount"])
      : parseAmountValue(body);
    if (v === undefined) throw new NodeResponseError(this.baseUrl + path, 0, "no readable balance");
    return v;
  }

  /**
   * GET /address/{a}/utxos: the address's confirmed unspent outputs, every page of them (the node
   * pages with `limit` and an `after=txid:vout` cursor; a node that ignores them returns one list).
   * `pendingSpent` is set when the node reports that a mempool transaction already spends it.
   */
  async utxos(address: Address): Promise<WalletUtxo[]> {
    const owner = address.toLowerCase();
    const out: WalletUtxo[] = [];
    const seen = new Set<string>();
    let after: string | undefined;
    for (let page = 0; page < 10_000; page++) {
      const path = `/address/${owner}/utxos?limit=${UTXO_PAGE}${after ? `&after=${after}` : ""}`;
      const body = await this.getJson(path);
      const list = listOf(body as JsonValue, ["utxos", "items", "data"]);
      if (!list) throw new NodeResponseError(this.baseUrl + path, 0, "expected a JSON array of UTXOs");
      let fresh = 0;
      for (const item of list) {
        if (!isObject(item)) throw new NodeResponseError(this.baseUrl + path, 0, "a UTXO is not an object");
        const txid = str(item, "txid")?.toLowerCase();
        const vout = int(item, "vout", "index");
        const to = (str(item, "to", "address", "owner") ?? owner).toLowerCase();
        const amount = amountField(item, ["amount", "amount_raw", "value"]);
        if (
          txid === undefined ||
          !TXID_RE.test(txid) ||
          vout === undefined ||
          vout > 0xffffffff ||
          amount === undefined
        )
          throw new NodeResponseError(
            this.baseUrl + path,
            0,
            `unreadable UTXO ${JSON.stringify(item, bigintJson)}`,
          );
        const key = `${txid}:${vout}`;
        after = key;
        if (seen.has(key)) continue;
        seen.add(key);
        fresh++;
        if (to !== owner) continue; // not ours: never spend it
        out.push(
          item.pending_spent === true
            ? { txid, vout, to, amount, pendingSpent: true }
            : { txid, vout, to, amount },
        );
      }
      if (list.length < UTXO_PAGE || fresh === 0) break;
    }
    return out;
  }

  /** GET /address/{a}/info (whatever the node reports; amounts left as the node wrote them). */
  async info(address: Address): Promise<JsonValue> {
    return (await this.getJson(`/address/${address.toLowerCase()}/info`)) as JsonValue;
  }

  /**
   * GET /address/{a}/history?limit=&offset=, newest first; undefined when the node does not serve it
   * (HTTP 404 for the route).
   */
  async history(address: Address, limit: number, offset: number): Promise<HistoryEntry[] | undefined> {
    const path = `/address/${address.toLowerCase()}/history?limit=${limit}&offset=${offset}`;
    const body = await this.getJson(path, { allow404: true });
    if (body === undefined) return undefined;
    // Either a bare list, or {pending: [...], transactions: [...]} (pending first, newest first).
    const confirmed = listOf(body, ["history", "transactions", "items", "entries"]);
    if (!confirmed) throw new NodeResponseError(this.baseUrl + path, 0, "expected a list of transactions");
    const pendingList = isObject(body) && Array.isArray(body.pending) ? (body.pending as JsonValue[]) : [];
    const list = [...pendingList, ...confirmed];
    const out: HistoryEntry[] = [];
    for (const item of list) {
      if (!isObject(item)) continue;
      const txid = str(item, "txid", "hash", "tx_hash");
      if (!txid) continue;
      const pending = item.status === "pending" || item.pending === true || item.confirmed === false;
      const height = pending ? undefined : int(item, "block_height", "height", "block_index");
      const coinbase = typeof item.coinbase === "boolean" ? item.coinbase : undefined;
      out.push({
        txid,
        height,
        timestamp: int(item, "timestamp", "time"),
        received: amountField(item, ["received", "amount_in", "incoming"]),
        sent: amountField(item, ["sent", "amount_out", "outgoing"]),
        coinbase,
      });
    }
    return out;
  }

  /**
   * Outpoints ("txid:vout") spent by transactions waiting in the node's mempool (GET /mempool),
   * or undefined when the node does not expose it.
   */
  async pendingSpends(): Promise<Set<string> | undefined> {
    let body: JsonValue | undefined;
    try {
      body = await this.getJson("/mempool", { allow404: true });
    } catch (e) {
      if (e instanceof NodeResponseError) return undefined;
      throw e;
    }
    if (!isObject(body)) return undefined;
    const spent = new Set<string>();
    const b64 = str(body, "transactions_b64");
    if (b64 !== undefined) {
      try {
        const r = new BincodeReader(Buffer.from(b64, "base64"));
        for (const tx of r.vec(readTransaction, MIN_TRANSACTION_SIZE, "mempool")) {
          for (const i of tx.inputs) spent.add(`${i.txid}:${i.vout}`);
        }
        return spent;
      } catch {
        // fall through to the JSON list
      }
    }
    const list = listOf(body, ["transactions", "txs"]);
    if (!list) return undefined;
    for (const tx of list) {
      if (!isObject(tx) || !Array.isArray(tx.inputs)) continue;
      for (const i of tx.inputs) {
        if (!isObject(i)) continue;
        const txid = str(i, "txid");
        const vout = int(i, "vout");
        if (txid !== undefined && vout !== undefined) spent.add(`${txid}:${vout}`);
      }
    }
    return spent;
  }

  /** POST /tx with the raw bincode transaction. A 4xx answer is a TransactionRejectedError. */
  async submitTransaction(encoded: Uint8Array): Promise<SubmitResult> {
    const r = await this.request("/tx", {
      method: "POST",
      body: encoded,
      contentType: "application/octet-stream",
    });
    const obj = isObject(r.body) ? r.body : undefined;
    const status = obj ? str(obj, "status") : undefined;
    const message = obj ? str(obj, "message", "error") : undefined;
    if (r.status >= 200 && r.status < 300) {
      if (status === "duplicate") return { status: "duplicate", message };
      if (status === undefined || status === "ok" || status === "accepted" || status === "queued")
        return { status: "ok", message };
      throw new TransactionRejectedError(message ?? status);
    }
    if (r.status >= 400 && r.status < 500 && r.status !== 404)
      throw new TransactionRejectedError(message ?? (r.text.slice(0, 200) || `HTTP ${r.status}`));
    throw new NodeResponseError(r.url, r.status, this.errorText(r));
  }

  /** GET /tx/{txid}: undefined when the node does not know the transaction. */
  async transaction(txid: string): Promise<TransactionStatus | undefined> {
    const body = await this.getJson(`/tx/${txid}`, { allow404: true });
    if (!isObject(body)) return undefined;
    const status = str(body, "status");
    const height = int(body, "block_height", "height");
    const confirmed = status === "confirmed" || (status !== "pending" && height !== undefined);
    let transaction: Transaction | undefined;
    const b64 = str(body, "transaction", "transaction_b64", "raw");
    if (b64 !== undefined) {
      try {
        transaction = decodeTransaction(Buffer.from(b64, "base64"));
      } catch {
        transaction = undefined;
      }
    }
    return {
      txid,
      confirmed,
      height: confirmed ? height : undefined,
      confirmations: int(body, "confirmations"),
      transaction,
    };
  }
}

/** JSON.stringify replacer for values that may hold bigints. */
export function bigintJson(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}
