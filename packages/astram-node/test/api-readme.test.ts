import { readFileSync } from "node:fs";
import { MemoryChain } from "astram-core/testing";
import { describe, expect, it } from "vitest";
import { addrA, addrB, FEE, keyA, mineBlocks, ONE, params } from "./helpers.js";
import { request, rpcCall, startTestNode } from "./service-helpers.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const section = (from: string, to: string) => readme.slice(readme.indexOf(from), readme.indexOf(to));

describe("README: every documented route and method exists", () => {
  it("answers each route of the HTTP API table and each method of the JSON-RPC table", async () => {
    const ref = new MemoryChain(params);
    mineBlocks(ref, 2);
    const tx = ref.spend(keyA, [ref.utxosOf(addrA)[0]!], [{ to: addrB, amount: ONE }], FEE);
    ref.mine({ miner: addrA, transactions: [tx] });
    const t = await startTestNode({ blocks: ref.blocks.slice(1) });
    try {
      const routes = [
        ...section("## HTTP API", "### Read-only public API").matchAll(/^\| `(GET|POST) ([^`? ]+)/gm),
      ];
      expect(routes.length).toBeGreaterThanOrEqual(19);
      for (const [, method, template] of routes) {
        const path = template!
          .replace("{a}", addrB)
          .replace("{id}", tx.txid)
          .replace("{hash}", tx.ethHash)
          .replace("{height or hash}", "1");
        const res = await request(`${t.api}${path}`, method === "POST" ? { body: {} } : {});
        expect({ route: `${method} ${path}`, status: res.status }).not.toMatchObject({ status: 404 });
        expect(res.status, `${method} ${path}`).toBeLessThan(500);
      }
      const rpcTable = section("## Ethereum JSON-RPC", "### eth_sendRawTransaction");
      const methods = new Set(
        [...rpcTable.matchAll(/^\| (.+?) \|/gm)].flatMap(([, cell]) =>
          [...cell!.matchAll(/`((?:eth|net|web3)_\w+)/g)].map((m) => m[1]!),
        ),
      );
      expect(methods.size).toBeGreaterThanOrEqual(20);
      for (const method of methods) {
        const r = await rpcCall(t.eth, method, []);
        expect({ method, code: r.error?.code }).not.toMatchObject({ code: -32601 });
      }
    } finally {
      await t.stop();
    }
  });
});
