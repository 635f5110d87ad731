import { join } from "node:path";
import { MemoryChain } from "astram-core/testing";
import type { Explorer } from "astram-explorer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addrA,
  addrC,
  chainWithTransfers,
  FEE,
  getJson,
  indexedTo,
  keyA,
  ONE,
  startExplorer,
  startNode,
  tempDir,
} from "./helpers.js";
import { type PgCluster, pgUnavailableReason, startPgCluster } from "./postgres-cluster.js";

const unavailable = pgUnavailableReason();

/** Every table, sorted, to compare the PostgreSQL index with the SQLite one row for row. */
async function dump(explorer: Explorer) {
  const db = explorer.database!.db;
  const sort = <T>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();
  const tables = ["blocks", "transactions", "outputs", "inputs", "address_txs", "addresses", "meta"] as const;
  const out: Record<string, string[]> = {};
  for (const t of tables) out[t] = sort(await db.selectFrom(t).selectAll().execute());
  return out;
}

describe.skipIf(unavailable !== undefined)(
  `PostgreSQL backend${unavailable ? ` (skipped: ${unavailable})` : ""}`,
  () => {
    let pg: PgCluster;
    beforeAll(async () => {
      pg = await startPgCluster();
    });
    afterAll(async () => {
      await pg?.stop();
    });

    it("indexes, survives a reorg and a restart, and holds exactly what the SQLite index holds", async () => {
      const { ref } = chainWithTransfers(10);
      const node = await startNode({ blocks: ref.blocks.slice(1) });
      const onPg = await startExplorer(node.url, { db: pg.url, keep: true });
      await indexedTo(onPg, ref.tip.hash);
      expect(onPg.database!.dialect).toBe("postgres");

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
      await indexedTo(onPg, fork.tip.hash);
      expect(onPg.indexer!.status().blocksRolledBack).toBe(4);
      await onPg.stop();

      // Restarted on the same database: resumes; the API answers from PostgreSQL.
      const again = await startExplorer(node.url, { db: pg.url });
      expect(again.indexer!.status().indexedHeight).toBe(12);
      await indexedTo(again, fork.tip.hash);
      const a = (await getJson(`${again.url}/api/address/${addrC}`)).body;
      expect(BigInt(a.balance)).toBe(fork.balanceOf(addrC));
      const rich = (await getJson(`${again.url}/api/richlist`)).body;
      expect(rich.addresses[0].address).toBe(addrC);
      const s = (await getJson(`${again.url}/api/search?q=${fork.blocks[9]!.hash}`)).body;
      expect(s).toMatchObject({ type: "block", height: 9 });
      expect((await getJson(`${again.url}/api/search?q=999999999999999`)).body.type).toBe("none");
      expect((await getJson(`${again.url}/api/block/9999999999`)).status).toBe(404);
      expect((await getJson(`${again.url}/api/tx/0x${"ab".repeat(32)}`)).status).toBe(404);

      const onSqlite = await startExplorer(node.url, {
        db: join(tempDir(), "explorer.sqlite"),
        serve: false,
      });
      await indexedTo(onSqlite, fork.tip.hash);
      expect(await dump(again)).toEqual(await dump(onSqlite));
    });
  },
);
