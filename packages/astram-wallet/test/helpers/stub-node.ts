import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  BincodeWriter,
  checkTransaction,
  checkTransactionInputs,
  createdOutputs,
  decodeTransaction,
  encodeTransaction,
  outPointKey,
  type Transaction,
  toLimbs,
  type Utxo,
  writeTransaction,
} from "astram-core";

/**
 * A small stand-in for the node's HTTP API (facts §10 shapes, bugs fixed), for isolated wallet tests
 * only: it validates submitted transactions with astram-core's consensus checks against its own UTXO
 * set, keeps a mempool, and "mines" on request. The end-to-end test runs the real node instead.
 */
export type AmountStyle = "limbs" | "hex" | "decimal";

export interface StubOptions {
  amountStyle?: AmountStyle;
  history?: boolean;
  /** "object" = {pending, transactions} as astram-node answers; "array" = a bare list. */
  historyShape?: "object" | "array";
  mempool?: boolean;
  /** Mark UTXOs spent by pending transactions with "pending_spent": true, as astram-node does. */
  reportPendingSpent?: boolean;
  /** Mine pending transactions this many ms after each accepted submission. */
  autoMineMs?: number;
}

interface Confirmed {
  tx: Transaction;
  height: number;
}

function hex(v: bigint): string {
  return `0x${v.toString(16)}`;
}

export class StubNode {
  readonly utxos = new Map<string, Utxo>();
  readonly pending: Transaction[] = [];
  readonly confirmed = new Map<string, Confirmed>();
  readonly submitted: Transaction[] = [];
  readonly requests: string[] = [];
  height = 0;
  amountStyle: AmountStyle;
  history: boolean;
  historyShape: "object" | "array";
  mempool: boolean;
  reportPendingSpent: boolean;
  autoMineMs: number | undefined;
  private server: Server | undefined;
  private readonly credited = new Map<string, Utxo>();
  private counter = 0;

  constructor(opts: StubOptions = {}) {
    this.amountStyle = opts.amountStyle ?? "limbs";
    this.history = opts.history ?? true;
    this.historyShape = opts.historyShape ?? "object";
    this.mempool = opts.mempool ?? true;
    this.reportPendingSpent = opts.reportPendingSpent ?? true;
    this.autoMineMs = opts.autoMineMs;
  }

  get url(): string {
    const a = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${a.port}`;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => this.send(res, 500, JSON.stringify({ error: String(e) })));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Pays `amount` to `address` in a new confirmed output (like a coinbase). */
  credit(address: string, amount: bigint): Utxo {
    this.counter++;
    const u: Utxo = {
      txid: `c${this.counter.toString(16).padStart(63, "0")}`,
      vout: 0,
      to: address.toLowerCase(),
      amount,
    };
    this.utxos.set(outPointKey(u), u);
    this.credited.set(outPointKey(u), u);
    this.height++;
    return u;
  }

  /** Confirms every pending transaction in one block. */
  mine(): void {
    this.height++;
    for (const tx of this.pending.splice(0)) {
      for (const i of tx.inputs) this.utxos.delete(outPointKey(i));
      for (const u of createdOutputs(tx.txid, tx.outputs)) this.utxos.set(outPointKey(u), u);
      this.confirmed.set(tx.txid, { tx, height: this.height });
    }
  }

  owned(address: string): Utxo[] {
    return [...this.utxos.values()].filter((u) => u.to === address.toLowerCase());
  }

  balanceOf(address: string): bigint {
    return this.owned(address).reduce((s, u) => s + u.amount, 0n);
  }

  private amountJson(v: bigint): string {
    if (this.amountStyle === "limbs") return `"amount_raw":[${toLimbs(v).join(",")}]`;
    if (this.amountStyle === "hex") return `"amount":"${hex(v)}"`;
    return `"amount":"${v.toString()}"`;
  }

  private send(res: ServerResponse, status: number, body: string): void {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(body);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://x");
    const path = url.pathname;
    this.requests.push(`${req.method} ${path}`);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const m = /^\/address\/([^/]+)\/(balance|utxos|info|history)$/.exec(path);
    if (req.method === "GET" && path === "/status") {
      return this.send(
        res,
        200,
        JSON.stringify({ blockchain: { height: this.height }, node: { version: "stub" } }),
      );
    }
    if (req.method === "GET" && m) {
      const address = m[1]!;
      if (m[2] === "balance") {
        return this.send(res, 200, JSON.stringify({ address, balance: hex(this.balanceOf(address)) }));
      }
      if (m[2] === "utxos") {
        // Paged like the node: sorted by outpoint, `limit` and an `after=txid:vout` cursor.
        const limit = Number(url.searchParams.get("limit") ?? 1000);
        const after = url.searchParams.get("after");
        const key = (u: Utxo) => `${u.txid}:${String(u.vout).padStart(10, "0")}`;
        const afterKey = after ? `${after.split(":")[0]}:${after.split(":")[1]!.padStart(10, "0")}` : "";
        const spentByPending = new Set(this.pending.flatMap((t) => t.inputs.map(outPointKey)));
        const page = this.owned(address)
          .sort((a, b) => (key(a) < key(b) ? -1 : 1))
          .filter((u) => key(u) > afterKey)
          .slice(0, limit);
        const items = page.map(
          (u) =>
            `{"txid":"${u.txid}","vout":${u.vout},"to":"${u.to}",${this.amountJson(u.amount)}` +
            (this.reportPendingSpent ? `,"pending_spent":${spentByPending.has(outPointKey(u))}` : "") +
            "}",
        );
        return this.send(res, 200, `[${items.join(",")}]`);
      }
      if (m[2] === "info") {
        return this.send(
          res,
          200,
          JSON.stringify({
            address,
            balance: hex(this.balanceOf(address)),
            transaction_count: this.txsOf(address).length,
          }),
        );
      }
      if (!this.history) return this.send(res, 404, JSON.stringify({ error: "not found" }));
      const limit = Number(url.searchParams.get("limit") ?? 20);
      const offset = Number(url.searchParams.get("offset") ?? 0);
      const rows = this.txsOf(address) as { status: string }[];
      if (this.historyShape === "array")
        return this.send(res, 200, JSON.stringify(rows.slice(offset, offset + limit)));
      const pending = rows.filter((r) => r.status === "pending");
      const confirmed = rows.filter((r) => r.status !== "pending");
      return this.send(
        res,
        200,
        JSON.stringify({
          address,
          total: confirmed.length,
          offset,
          limit,
          pending: offset === 0 ? pending : [],
          transactions: confirmed.slice(offset, offset + limit),
        }),
      );
    }
    if (req.method === "GET" && path === "/mempool") {
      if (!this.mempool) return this.send(res, 404, JSON.stringify({ error: "not found" }));
      const w = new BincodeWriter("standard", 1024);
      w.vec(this.pending, writeTransaction);
      return this.send(
        res,
        200,
        JSON.stringify({
          count: this.pending.length,
          transactions_b64: Buffer.from(w.finish()).toString("base64"),
        }),
      );
    }
    if (req.method === "GET" && path.startsWith("/tx/")) {
      const txid = path.slice(4);
      const c = this.confirmed.get(txid);
      if (c) {
        return this.send(
          res,
          200,
          JSON.stringify({
            txid,
            status: "confirmed",
            block_height: c.height,
            transaction: Buffer.from(encodeTransaction(c.tx)).toString("base64"),
            encoding: "bincode+base64",
          }),
        );
      }
      if (this.pending.some((t) => t.txid === txid))
        return this.send(res, 200, JSON.stringify({ txid, status: "pending" }));
      return this.send(res, 404, JSON.stringify({ error: "tx not found" }));
    }
    if (req.method === "POST" && path === "/tx") {
      if (req.headers["content-type"] !== "application/octet-stream")
        return this.send(
          res,
          415,
          JSON.stringify({ status: "error", message: "expected application/octet-stream" }),
        );
      let tx: Transaction;
      try {
        tx = decodeTransaction(new Uint8Array(body));
      } catch {
        return this.send(res, 400, JSON.stringify({ status: "error", message: "invalid bincode" }));
      }
      if (this.pending.some((p) => p.txid === tx.txid))
        return this.send(res, 200, JSON.stringify({ status: "duplicate" }));
      const inMempool = new Set(this.pending.flatMap((p) => p.inputs.map(outPointKey)));
      for (const i of tx.inputs) {
        if (inMempool.has(outPointKey(i)))
          return this.send(
            res,
            400,
            JSON.stringify({
              status: "error",
              message: `Double-spend: UTXO ${outPointKey(i)} already used in mempool`,
            }),
          );
      }
      try {
        const checked = checkTransaction(tx, { now: Math.floor(Date.now() / 1000), chainId: 1 });
        checkTransactionInputs(checked, {
          getUtxo: (o) => this.utxos.get(outPointKey(o)),
          hasTransaction: (id) => this.confirmed.has(id),
          ethNonce: () => 0,
        });
      } catch (e) {
        return this.send(res, 400, JSON.stringify({ status: "error", message: (e as Error).message }));
      }
      this.pending.push(tx);
      this.submitted.push(tx);
      if (this.autoMineMs !== undefined) setTimeout(() => this.mine(), this.autoMineMs);
      return this.send(res, 200, JSON.stringify({ status: "ok", message: "tx queued", txid: tx.txid }));
    }
    return this.send(res, 404, JSON.stringify({ error: "not found" }));
  }

  private txsOf(address: string): object[] {
    const a = address.toLowerCase();
    const rows: object[] = [];
    const describe = (tx: Transaction, height: number | null) => {
      const received = tx.outputs.filter((o) => o.to === a).reduce((s, o) => s + o.amount, 0n);
      const mine =
        tx.inputs.length > 0 && this.submitted.some((s) => s.txid === tx.txid && s.inputs.length > 0);
      let sent = 0n;
      if (mine) {
        // The stub remembers spent amounts through the outputs it created.
        for (const i of tx.inputs) sent += this.spentAmount(i.txid, i.vout, a);
      }
      if (received === 0n && sent === 0n) return;
      rows.push({
        txid: tx.txid,
        block_height: height,
        status: height === null ? "pending" : "confirmed",
        timestamp: tx.timestamp,
        received: hex(received),
        sent: hex(sent),
        coinbase: tx.inputs.length === 0,
      });
    };
    for (const tx of this.pending) describe(tx, null);
    for (const c of [...this.confirmed.values()].reverse()) describe(c.tx, c.height);
    return rows;
  }

  private spentAmount(txid: string, vout: number, owner: string): bigint {
    const parent = this.confirmed.get(txid)?.tx.outputs[vout];
    if (parent && parent.to === owner) return parent.amount;
    const c = this.credited.get(`${txid}:${vout}`);
    return c && c.to === owner ? c.amount : 0n;
  }
}
