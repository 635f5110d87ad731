import { parseAddress } from "astram-core";
import type { FastifyInstance } from "fastify";
import { type ApiContext, addressPattern, pageQuery } from "../context.js";
import { badRequest } from "../errors.js";
import { addressDetail, addressHistory, addressUtxos, richList } from "../queries/addresses.js";
import { supplyOf } from "../queries/stats.js";

const params = {
  type: "object",
  required: ["address"],
  additionalProperties: false,
  properties: { address: { type: "string", pattern: addressPattern } },
} as const;

/** Canonical lowercase address; a mixed-case one must carry a valid EIP-55 checksum. */
function canonical(raw: string): string {
  try {
    return parseAddress(raw);
  } catch (e) {
    throw badRequest("bad-address", (e as Error).message);
  }
}

/** /api/address/:a, /api/address/:a/history (paged), /api/address/:a/utxos, /api/richlist. */
export function addressRoutes(app: FastifyInstance, { db, indexer }: ApiContext): void {
  app.get<{ Params: { address: string } }>("/api/address/:address", { schema: { params } }, async (req) =>
    addressDetail(db, indexer.mempool, canonical(req.params.address)),
  );
  app.get<{ Params: { address: string }; Querystring: { page: number; limit: number } }>(
    "/api/address/:address/history",
    { schema: { params, querystring: pageQuery(100, 25) } },
    async (req) =>
      addressHistory(db, indexer.mempool, canonical(req.params.address), req.query.page, req.query.limit),
  );
  app.get<{ Params: { address: string }; Querystring: { limit: number } }>(
    "/api/address/:address/utxos",
    {
      schema: {
        params,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { limit: { type: "integer", minimum: 1, maximum: 1000, default: 100 } },
        },
      },
    },
    async (req) => addressUtxos(db, canonical(req.params.address), req.query.limit),
  );
  app.get<{ Querystring: { page: number; limit: number } }>(
    "/api/richlist",
    { schema: { querystring: pageQuery(100, 25) } },
    async (req) => richList(db, await supplyOf(db), req.query.page, req.query.limit),
  );
}
