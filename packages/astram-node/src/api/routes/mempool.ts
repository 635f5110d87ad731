import { BincodeWriter, bigintToHex, writeTransaction } from "astram-core";
import type { FastifyInstance } from "fastify";
import type { ApiContext } from "../context.js";

/** GET /mempool: counts and fees, plus the highest fee-rate pending transactions (bincode and summaries). */
export function mempoolRoutes(app: FastifyInstance, { node }: ApiContext): void {
  app.get<{ Querystring: { limit: number } }>(
    "/mempool",
    {
      schema: {
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { limit: { type: "integer", minimum: 0, maximum: 10_000, default: 1000 } },
        },
      },
    },
    async (req) => {
      const entries = node.mempool
        .all()
        .sort((a, b) => (b.feeRate > a.feeRate ? 1 : b.feeRate < a.feeRate ? -1 : a.addedAt - b.addedAt))
        .slice(0, req.query.limit);
      const w = new BincodeWriter("standard", 1024);
      w.vec(
        entries.map((e) => e.tx),
        writeTransaction,
      );
      return {
        count: node.mempool.size,
        bytes: node.mempool.totalBytes,
        total_fees: bigintToHex(node.mempool.totalFees()),
        transactions_b64: Buffer.from(w.finish()).toString("base64"),
        transactions: entries.map((e) => ({
          txid: e.tx.txid,
          eth_hash: e.tx.ethHash,
          eth_tx_hash: e.ethRawHash ?? null,
          size: e.size,
          fee: bigintToHex(e.fee),
          fee_per_byte: bigintToHex(e.fee / BigInt(e.size)),
          inputs: e.tx.inputs.length,
          outputs: e.tx.outputs.length,
          added_at: e.addedAt,
          eth_sender: e.ethSender ?? null,
        })),
      };
    },
  );
}
