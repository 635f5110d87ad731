import { decodeTransaction, encodeTransaction, transactionToJSON, VerifyError } from "astram-core";
import type { FastifyInstance } from "fastify";
import { ethRawHashOf } from "../../chain/chain-store.js";
import type { ApiContext } from "../context.js";
import { badRequest, notFound } from "../errors.js";
import { findByEthHash, findTransaction } from "../queries/find-transaction.js";
import { noQuery, txRefSchema } from "../schemas.js";

/** Mempool refusals that mean "already have it": answered 200 duplicate, as the reference does. */
const DUPLICATE_CODES = new Set(["txn-already-in-mempool", "duplicate-txid"]);

/** Largest POST /tx body: a transaction is at most 100 kB encoded. */
const TX_BODY_LIMIT = 128 * 1024;

/** GET /tx/{id} and /eth_mapping/{hash} (read), POST /tx (the one mempool admission path). */
export function transactionReadRoutes(app: FastifyInstance, { node }: ApiContext): void {
  app.get<{ Params: { id: string } }>(
    "/tx/:id",
    {
      schema: {
        params: {
          type: "object",
          required: ["id"],
          additionalProperties: false,
          properties: { id: txRefSchema },
        },
        querystring: noQuery,
      },
    },
    async (req) => {
      const found = findTransaction(node, req.params.id);
      if (!found) throw notFound("transaction");
      const { tx } = found;
      const confirmed = found.status === "confirmed";
      return {
        txid: tx.txid,
        eth_hash: tx.ethHash,
        // keccak256 of the signed Ethereum transaction, for transfers sent through the JSON-RPC.
        eth_tx_hash: ethRawHashOf(tx) ?? null,
        status: found.status,
        block_height: confirmed ? found.height : null,
        block_hash: confirmed ? found.blockHash : null,
        position: confirmed ? found.position : null,
        confirmations: confirmed ? found.confirmations : 0,
        fee: found.status === "pending" ? "0x" + found.entry.fee.toString(16) : null,
        transaction: Buffer.from(encodeTransaction(tx)).toString("base64"),
        encoding: "bincode+base64",
        json: transactionToJSON(tx),
      };
    },
  );

  app.get<{ Params: { hash: string } }>(
    "/eth_mapping/:hash",
    {
      schema: {
        params: {
          type: "object",
          required: ["hash"],
          additionalProperties: false,
          properties: { hash: { type: "string", pattern: "^(0[xX])?[0-9a-fA-F]{64}$" } },
        },
        querystring: noQuery,
      },
    },
    async (req) => {
      const hash = "0x" + req.params.hash.toLowerCase().replace(/^0x/, "");
      const found = findByEthHash(node, hash);
      return {
        eth_hash: hash,
        Astram_txid: found?.tx.txid ?? null,
        found: found !== undefined,
        status: found?.status ?? null,
      };
    },
  );
}

export function transactionWriteRoutes(app: FastifyInstance, { node, metrics }: ApiContext): void {
  app.post<{ Body: Buffer }>(
    "/tx",
    { bodyLimit: TX_BODY_LIMIT, schema: { querystring: noQuery } },
    async (req, reply) => {
      if (!Buffer.isBuffer(req.body) || req.body.length === 0)
        throw badRequest(
          "invalid-bincode",
          "body must be a bincode (standard) Transaction, application/octet-stream",
        );
      const tx = decodeTransaction(req.body);
      try {
        const entry = node.submitTransaction(tx, "http");
        return {
          status: "ok",
          message: "tx queued",
          txid: tx.txid,
          eth_hash: tx.ethHash,
          fee: "0x" + entry.fee.toString(16),
        };
      } catch (e) {
        if (e instanceof VerifyError) {
          if (DUPLICATE_CODES.has(e.code))
            return reply.send({ status: "duplicate", txid: tx.txid, message: e.reason });
          metrics.recordTxRejected(e.code);
        }
        throw e;
      }
    },
  );
}
