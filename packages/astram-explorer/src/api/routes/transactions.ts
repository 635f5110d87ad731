import type { FastifyInstance } from "fastify";
import type { ApiContext } from "../context.js";
import { notFound } from "../errors.js";
import { transactionDetail } from "../queries/transactions.js";

const params = {
  type: "object",
  required: ["id"],
  additionalProperties: false,
  properties: { id: { type: "string", pattern: "^(0[xX])?[0-9a-fA-F]{64}$" } },
} as const;

/** /api/tx/:id and /api/transactions/:id: by txid (64 hex) or Ethereum hash (0x + 64 hex). */
export function transactionRoutes(app: FastifyInstance, { db, indexer }: ApiContext): void {
  const handler = async (req: { params: { id: string } }) => {
    const t = await transactionDetail(db, indexer.mempool, req.params.id);
    if (!t) throw notFound(`transaction ${req.params.id.toLowerCase()}`);
    return t;
  };
  app.get<{ Params: { id: string } }>("/api/tx/:id", { schema: { params } }, handler);
  app.get<{ Params: { id: string } }>("/api/transactions/:id", { schema: { params } }, handler);
}
