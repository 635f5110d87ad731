import { bigintToHex, toLimbs } from "astram-core";
import type { FastifyInstance } from "fastify";
import { type ApiContext, addressParam } from "../context.js";
import { badRequest } from "../errors.js";
import { type AddressTxSummary, confirmedHistory, pendingHistory } from "../queries/address-history.js";
import { addressParams, addressSchema, amountSchema, noQuery } from "../schemas.js";

const utxoItem = {
  type: "object",
  properties: {
    txid: { type: "string" },
    vout: { type: "integer" },
    to: { type: "string" },
    amount: amountSchema,
    amount_raw: { type: "array", items: { type: "integer" } },
    pending_spent: { type: "boolean" },
  },
} as const;

const historyItem = {
  type: "object",
  properties: {
    txid: { type: "string" },
    eth_hash: { type: "string" },
    status: { type: "string" },
    block_height: { type: ["integer", "null"] },
    block_hash: { type: ["string", "null"] },
    position: { type: ["integer", "null"] },
    timestamp: { type: "integer" },
    received: amountSchema,
    sent: amountSchema,
    net: { type: "string" },
    coinbase: { type: "boolean" },
  },
} as const;

function historyToJSON(e: AddressTxSummary) {
  const net = e.received - e.sent;
  return {
    txid: e.txid,
    eth_hash: e.ethHash,
    status: e.height === undefined ? "pending" : "confirmed",
    block_height: e.height ?? null,
    block_hash: e.blockHash ?? null,
    position: e.position ?? null,
    timestamp: e.timestamp,
    received: bigintToHex(e.received),
    sent: bigintToHex(e.sent),
    net: net < 0n ? "-" + bigintToHex(-net) : bigintToHex(net),
    coinbase: e.coinbase,
  };
}

/** /address/{a}/balance, /utxos (paged), /info and /history (paged): all from the address indexes. */
export function addressRoutes(app: FastifyInstance, { node }: ApiContext): void {
  app.get<{ Params: { address: string } }>(
    "/address/:address/balance",
    {
      schema: {
        params: addressParams,
        querystring: noQuery,
        response: {
          200: {
            type: "object",
            properties: { address: addressSchema, balance: amountSchema },
          },
        },
      },
    },
    async (req) => {
      const address = addressParam(req.params.address);
      const s = node.store.addressStats(address);
      return { address, balance: bigintToHex(s.received - s.sent) };
    },
  );

  app.get<{ Params: { address: string }; Querystring: { limit: number; after?: string } }>(
    "/address/:address/utxos",
    {
      schema: {
        params: addressParams,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            limit: { type: "integer", minimum: 1, maximum: 10_000, default: 1000 },
            after: { type: "string", pattern: "^[0-9a-fA-F]{64}:[0-9]{1,10}$" },
          },
        },
        response: { 200: { type: "array", items: utxoItem } },
      },
    },
    async (req) => {
      const address = addressParam(req.params.address);
      let after: { txid: string; vout: number } | undefined;
      if (req.query.after) {
        const [txid, vout] = req.query.after.split(":");
        const n = Number(vout);
        if (n > 0xffffffff) throw badRequest("bad-request", "querystring/after vout exceeds u32");
        after = { txid: txid!.toLowerCase(), vout: n };
      }
      const utxos = node.store.addressUtxos(address, { limit: req.query.limit, ...(after ? { after } : {}) });
      return utxos.map((u) => ({
        txid: u.txid,
        vout: u.vout,
        to: u.to,
        amount: bigintToHex(u.amount),
        amount_raw: toLimbs(u.amount),
        pending_spent: node.mempool.isSpent(u),
      }));
    },
  );

  app.get<{ Params: { address: string } }>(
    "/address/:address/info",
    {
      schema: {
        params: addressParams,
        querystring: noQuery,
        response: {
          200: {
            type: "object",
            properties: {
              address: addressSchema,
              balance: amountSchema,
              received: amountSchema,
              sent: amountSchema,
              transaction_count: { type: "integer" },
              utxo_count: { type: "integer" },
              eth_nonce: { type: "integer" },
            },
          },
        },
      },
    },
    async (req) => {
      const address = addressParam(req.params.address);
      const s = node.store.addressStats(address);
      return {
        address,
        balance: bigintToHex(s.received - s.sent),
        received: bigintToHex(s.received),
        sent: bigintToHex(s.sent),
        transaction_count: s.txCount,
        utxo_count: s.utxoCount,
        eth_nonce: node.store.ethNonce(address),
      };
    },
  );

  app.get<{ Params: { address: string }; Querystring: { limit: number; offset: number } }>(
    "/address/:address/history",
    {
      schema: {
        params: addressParams,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            limit: { type: "integer", minimum: 1, maximum: 100, default: 20 },
            offset: { type: "integer", minimum: 0, maximum: 100_000_000, default: 0 },
          },
        },
        response: {
          200: {
            type: "object",
            properties: {
              address: addressSchema,
              total: { type: "integer" },
              offset: { type: "integer" },
              limit: { type: "integer" },
              pending: { type: "array", items: historyItem },
              transactions: { type: "array", items: historyItem },
            },
          },
        },
      },
    },
    async (req) => {
      const address = addressParam(req.params.address);
      const { limit, offset } = req.query;
      const total = node.store.addressStats(address).txCount;
      return {
        address,
        total,
        offset,
        limit,
        pending: offset === 0 ? pendingHistory(node, address).map(historyToJSON) : [],
        transactions: confirmedHistory(node, address, { limit, offset }).map(historyToJSON),
      };
    },
  );
}
