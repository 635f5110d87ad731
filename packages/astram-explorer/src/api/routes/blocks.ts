import type { FastifyInstance } from "fastify";
import { type ApiContext, hash64, pageQuery } from "../context.js";
import { notFound } from "../errors.js";
import { blockDetail, listBlocks } from "../queries/blocks.js";
import { listTransactions } from "../queries/transactions.js";

const txPageQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    tx_page: { type: "integer", minimum: 1, maximum: 1_000_000, default: 1 },
    tx_limit: { type: "integer", minimum: 1, maximum: 1000, default: 100 },
  },
} as const;

/** Heights are 32-bit signed integers in the database (PostgreSQL `integer`). */
export const MAX_HEIGHT = 2 ** 31 - 1;

type TxPage = { Querystring: { tx_page: number; tx_limit: number } };

/** /api/blocks (paged), /api/blocks/:height, /api/blocks/hash/:hash, /api/block/:id, /api/transactions. */
export function blockRoutes(app: FastifyInstance, { db }: ApiContext): void {
  app.get<{ Querystring: { page: number; limit: number } }>(
    "/api/blocks",
    { schema: { querystring: pageQuery(100, 20) } },
    async (req) => listBlocks(db, req.query.page, req.query.limit),
  );

  const byHeight = async (height: number, q: TxPage["Querystring"]) => {
    if (height > MAX_HEIGHT) throw notFound(`block at height ${height}`);
    const b = await blockDetail(db, { height }, q.tx_page, q.tx_limit);
    if (!b) throw notFound(`block at height ${height}`);
    return b;
  };
  const byHash = async (hash: string, q: TxPage["Querystring"]) => {
    const b = await blockDetail(db, { hash }, q.tx_page, q.tx_limit);
    if (!b) throw notFound(`block ${hash.toLowerCase()}`);
    return b;
  };
  const heightParams = {
    type: "object",
    required: ["height"],
    additionalProperties: false,
    properties: { height: { type: "integer", minimum: 0, maximum: MAX_HEIGHT } },
  } as const;
  const hashParams = {
    type: "object",
    required: ["hash"],
    additionalProperties: false,
    properties: { hash: { type: "string", pattern: hash64 } },
  } as const;

  app.get<{ Params: { height: number } } & TxPage>(
    "/api/blocks/:height",
    { schema: { params: heightParams, querystring: txPageQuery } },
    async (req) => byHeight(req.params.height, req.query),
  );
  app.get<{ Params: { hash: string } } & TxPage>(
    "/api/blocks/hash/:hash",
    { schema: { params: hashParams, querystring: txPageQuery } },
    async (req) => byHash(req.params.hash, req.query),
  );
  app.get<{ Params: { id: string } } & TxPage>(
    "/api/block/:id",
    {
      schema: {
        params: {
          type: "object",
          required: ["id"],
          additionalProperties: false,
          properties: { id: { type: "string", pattern: "^([0-9]{1,10}|[0-9a-fA-F]{64})$" } },
        },
        querystring: txPageQuery,
      },
    },
    async (req) =>
      req.params.id.length === 64
        ? byHash(req.params.id, req.query)
        : byHeight(Number(req.params.id), req.query),
  );

  app.get<{ Querystring: { page: number; limit: number } }>(
    "/api/transactions",
    { schema: { querystring: pageQuery(100, 20) } },
    async (req) => listTransactions(db, req.query.page, req.query.limit),
  );
}
