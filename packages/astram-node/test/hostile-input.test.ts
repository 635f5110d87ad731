// Property runs start from the suite's fixed fast-check seed (vitest.setup.ts; FC_SEED overrides).
// Garbage at every network-facing surface of the node: the HTTP API, the JSON-RPC and the P2P port.
// Each gets a clear error (never a 5xx or a crash) and changes nothing.
import { encodeFrame, encodeTransaction } from "astram-core";
import { MemoryChain } from "astram-core/testing";
import { P2pService } from "astram-node";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addrA, addrB, FEE, keyA, mineBlocks, ONE, params } from "./helpers.js";
import { handshake, RawPeer, until } from "./p2p-helpers.js";
import { request, startTestNode } from "./service-helpers.js";

describe("hostile input", () => {
  it("random and mutated POST /tx bodies get a 4xx JSON error and leave the mempool unchanged", async () => {
    const ref = new MemoryChain(params);
    mineBlocks(ref, 3);
    const t = await startTestNode({ blocks: ref.blocks.slice(1) });
    try {
      const valid = encodeTransaction(
        ref.spend(keyA, ref.utxosOf(addrA).slice(0, 1), [{ to: addrB, amount: ONE }], FEE),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.uint8Array({ minLength: 1, maxLength: 400 }),
            fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })).map(([i, b]) => {
              const m = valid.slice();
              m[i] = m[i] === b ? (b + 1) & 0xff : b;
              return m;
            }),
            fc.nat(valid.length - 2).map((n) => valid.slice(0, n + 1)),
          ),
          async (body) => {
            const r = await request(`${t.api}/tx`, { body });
            expect(r.status).toBeGreaterThanOrEqual(400);
            expect(r.status).toBeLessThan(500);
            expect(typeof r.body.message).toBe("string");
          },
        ),
        { numRuns: 150 },
      );
      expect(t.node.mempool.size).toBe(0);
      expect(t.node.chain.height).toBe(3);
    } finally {
      await t.stop();
    }
  }, 60_000);

  it("random JSON-RPC payloads get JSON-RPC errors, never a crash or a 5xx", async () => {
    const t = await startTestNode();
    try {
      const payload = fc.oneof(
        fc.string({ maxLength: 60 }),
        fc.json({ maxDepth: 3 }),
        fc.record({
          jsonrpc: fc.constantFrom("2.0", "1.0", 2),
          id: fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.constant(null)),
          method: fc.constantFrom(
            "eth_getBalance",
            "eth_getBlockByNumber",
            "eth_sendRawTransaction",
            "eth_getTransactionReceipt",
            "eth_call",
            "nope",
          ),
          params: fc.oneof(
            fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
            fc.jsonValue({ maxDepth: 1 }),
          ),
        }),
      );
      await fc.assert(
        fc.asyncProperty(payload, async (p) => {
          const res = await fetch(t.eth, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: typeof p === "string" ? p : JSON.stringify(p),
          });
          expect(res.status).toBeLessThan(500);
          const text = await res.text();
          if (text) {
            const body = JSON.parse(text);
            const items = Array.isArray(body) ? body : [body];
            for (const item of items) expect(item.jsonrpc).toBe("2.0");
          }
        }),
        { numRuns: 200 },
      );
      expect(t.node.mempool.size).toBe(0);
    } finally {
      await t.stop();
    }
  }, 60_000);

  it("random frames on the P2P port never stop the node serving honest peers", async () => {
    const t = await startTestNode();
    const p2p = new P2pService(t.node, { autoConnect: false });
    await p2p.start();
    try {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.uint8Array({ maxLength: 300 }),
            fc.uint8Array({ maxLength: 300 }).map((b) => encodeFrame(b)),
          ),
          async (bytes) => {
            // Distinct loopback sources, so bans of earlier garbage senders do not matter.
            n++;
            const peer = await RawPeer.open(p2p.port, {
              localAddress: `127.60.${(n >> 8) & 255}.${n & 255 || 1}`,
            });
            peer.send(handshake({ node: t.node } as Parameters<typeof handshake>[0]));
            peer.sendRaw(bytes);
            await new Promise((r) => setTimeout(r, 2));
            peer.close();
          },
        ),
        { numRuns: 150 },
      );
      const honest = await RawPeer.open(p2p.port, { localAddress: "127.61.0.1" });
      honest.send(handshake({ node: t.node } as Parameters<typeof handshake>[0]));
      await until(
        () => honest.messages.some((m) => m.type === "HandshakeAck"),
        "an honest handshake is answered",
      );
      honest.send({ type: "GetHeaders", locatorHashes: [] });
      await until(() => honest.messages.some((m) => m.type === "Headers"), "headers served");
      expect(t.node.chain.height).toBe(0);
    } finally {
      await p2p.stop();
      await t.stop();
    }
  }, 60_000);
});
