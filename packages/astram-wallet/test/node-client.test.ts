import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import { addressFromPrivateKey, encodeTransaction, hexToBytes, signTransaction } from "astram-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  NodeClient,
  NodeResponseError,
  NodeUnreachableError,
  TransactionRejectedError,
} from "../src/index.js";
import { StubNode } from "./helpers/stub-node.js";

const KEY = hexToBytes("0000000000000000000000000000000000000000000000000000000000000001");
const ME = addressFromPrivateKey(KEY);
const BIG = (1n << 64n) + 12345n; // needs two limbs, beyond 2^53

describe("node client against a stub of the HTTP API (isolated unit test)", () => {
  const stub = new StubNode();
  let client: NodeClient;
  beforeAll(async () => {
    client = new NodeClient(await stub.start());
    stub.credit(ME, BIG);
  });
  afterAll(() => stub.stop());

  it("reads UTXO amounts as amount_raw limbs, 0x hex or decimal strings, exactly", async () => {
    for (const style of ["limbs", "hex", "decimal"] as const) {
      stub.amountStyle = style;
      const utxos = await client.utxos(ME);
      expect(utxos).toHaveLength(1);
      expect(utxos[0]!.amount).toBe(BIG);
      expect(utxos[0]!.to).toBe(ME);
    }
    expect(await client.balance(ME)).toBe(BIG);
  });

  it("submits raw bincode and maps a 400 to TransactionRejectedError with the node's reason", async () => {
    const u = (await client.utxos(ME))[0]!;
    const overspend = signTransaction(
      { inputs: [u], outputs: [{ to: ME, amount: BIG }], timestamp: Math.floor(Date.now() / 1000) },
      KEY,
    );
    await expect(client.submitTransaction(encodeTransaction(overspend))).rejects.toThrow(
      TransactionRejectedError,
    );
    await expect(client.submitTransaction(new Uint8Array([1, 2, 3]))).rejects.toThrow(/invalid bincode/);
    const ok = signTransaction(
      {
        inputs: [u],
        outputs: [{ to: ME, amount: BIG - 10n ** 15n }],
        timestamp: Math.floor(Date.now() / 1000),
      },
      KEY,
    );
    expect(await client.submitTransaction(encodeTransaction(ok))).toEqual({
      status: "ok",
      message: "tx queued",
    });
    expect((await client.submitTransaction(encodeTransaction(ok))).status).toBe("duplicate");
    expect(await client.pendingSpends()).toEqual(new Set([`${u.txid}:${u.vout}`]));
    expect((await client.utxos(ME))[0]).toMatchObject({ txid: u.txid, pendingSpent: true });
    expect((await client.transaction(ok.txid))?.confirmed).toBe(false);
    stub.mine();
    const t = await client.transaction(ok.txid);
    expect(t?.confirmed).toBe(true);
    expect(t?.height).toBe(stub.height);
    expect(t?.transaction?.txid).toBe(ok.txid);
    expect(await client.transaction("00".repeat(32))).toBeUndefined();
  });

  it("history entries (node's {pending, transactions} object or a bare list), undefined without the route", async () => {
    for (const shape of ["object", "array"] as const) {
      stub.historyShape = shape;
      const h = await client.history(ME, 10, 0);
      expect(h?.[0]).toMatchObject({ height: stub.height, received: BIG - 10n ** 15n, sent: BIG });
    }
    stub.history = false;
    expect(await client.history(ME, 10, 0)).toBeUndefined();
    stub.history = true;
  });

  it("pages through more UTXOs than one request returns", async () => {
    const other = new StubNode();
    const c = new NodeClient(await other.start());
    for (let i = 0; i < 1005; i++) other.credit(ME, BigInt(i + 1) * 10n ** 12n);
    const all = await c.utxos(ME);
    expect(all).toHaveLength(1005);
    expect(new Set(all.map((u) => u.txid)).size).toBe(1005);
    expect(other.requests.filter((r) => r.includes("/utxos"))).toHaveLength(2);
    await other.stop();
  });

  it("an unreachable node is NodeUnreachableError naming the URL", async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const dead = new NodeClient(`http://127.0.0.1:${port}`);
    await expect(dead.balance(ME)).rejects.toThrow(NodeUnreachableError);
    await expect(dead.balance(ME)).rejects.toThrow(
      `cannot reach node at http://127.0.0.1:${port} (ECONNREFUSED)`,
    );
  });

  it("a non-JSON or unexpected answer is NodeResponseError", async () => {
    const server = createHttpServer((req, res) => {
      res.writeHead(req.url?.includes("utxos") ? 200 : 500, { "content-type": "text/html" });
      res.end(req.url?.includes("utxos") ? "<html>hello</html>" : "boom");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const c = new NodeClient(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
    await expect(c.utxos(ME)).rejects.toThrow(NodeResponseError);
    await expect(c.balance(ME)).rejects.toThrow(/HTTP 500: boom/);
    await new Promise<void>((r) => server.close(() => r()));
  });
});
