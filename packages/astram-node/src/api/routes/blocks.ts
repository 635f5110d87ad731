import { BincodeWriter, bigintToHex, blockHeaderToJSON, decodeBlock, transactionToJSON } from "astram-core";
import type { FastifyInstance } from "fastify";
import type { IndexEntry } from "../../chain/chainstate.js";
import type { AstramNode } from "../../node.js";
import type { ApiContext } from "../context.js";
import { notFound } from "../errors.js";
import { transactionAt } from "../queries/block-data.js";
import { blockRefSchema, noQuery } from "../schemas.js";

/** Bounds of one /blockchain* response (a block may be up to 4 MiB). */
const RANGE_MAX_BLOCKS = 500;
const RANGE_MAX_BYTES = 8 * 1024 * 1024;

function entryFor(node: AstramNode, ref: string): IndexEntry | undefined {
  if (/^[0-9]{1,10}$/.test(ref)) return node.chain.atHeight(Number(ref));
  return node.chain.getEntry(ref.toLowerCase());
}

function summary(node: AstramNode, e: IndexEntry) {
  const coinbase = transactionAt(node.store, e.hash, 0);
  return {
    height: e.height,
    hash: e.hash,
    timestamp: e.header.timestamp,
    difficulty: e.header.difficulty,
    tx_count: e.txCount,
    size: e.size,
    miner: coinbase?.outputs[0]?.to ?? null,
  };
}

/** Best-chain blocks from..to (inclusive) as bincode Vec<Block>, cut at the count and byte bounds. */
function encodeRange(node: AstramNode, from: number, to: number) {
  const parts: Buffer[] = [];
  let bytes = 0;
  let h = from;
  for (; h <= to && parts.length < RANGE_MAX_BLOCKS; h++) {
    const e = node.chain.atHeight(h);
    const raw = e ? node.store.getBlockBytes(e.hash) : undefined;
    if (!raw) break;
    if (parts.length > 0 && bytes + raw.length > RANGE_MAX_BYTES) break;
    parts.push(raw);
    bytes += raw.length;
  }
  const head = Buffer.from(new BincodeWriter("standard", 10).u64(parts.length).finish());
  return {
    blockchain: Buffer.concat([head, ...parts]).toString("base64"),
    count: parts.length,
    from,
    to: parts.length > 0 ? from + parts.length - 1 : null,
    next: h <= Math.min(to, node.chain.height) ? h : null,
    source: "database",
  };
}

/** /block/{height|hash}, /blocks (recent summaries), /blockchain, /blockchain/range, /blockchain/db. */
export function blockRoutes(app: FastifyInstance, { node }: ApiContext): void {
  app.get<{ Params: { id: string }; Querystring: { format: "json" | "raw" } }>(
    "/block/:id",
    {
      schema: {
        params: {
          type: "object",
          required: ["id"],
          additionalProperties: false,
          properties: { id: blockRefSchema },
        },
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { format: { type: "string", enum: ["json", "raw"], default: "json" } },
        },
      },
    },
    async (req, reply) => {
      const e = entryFor(node, req.params.id);
      const raw = e ? node.store.getBlockBytes(e.hash) : undefined;
      if (!e || !raw) throw notFound("block");
      if (req.query.format === "raw") return reply.type("application/octet-stream").send(raw);
      const block = decodeBlock(raw);
      const best = node.chain.isOnBestChain(e);
      return {
        hash: e.hash,
        height: e.height,
        in_best_chain: best,
        confirmations: best ? node.chain.height - e.height + 1 : 0,
        previous_hash: e.header.previousHash,
        next_hash: best ? (node.chain.atHeight(e.height + 1)?.hash ?? null) : null,
        size: e.size,
        tx_count: e.txCount,
        chain_work: bigintToHex(e.chainWork),
        header: blockHeaderToJSON(e.header),
        transactions: block.transactions.map(transactionToJSON),
      };
    },
  );

  app.get<{ Querystring: { limit: number; before?: number } }>(
    "/blocks",
    {
      schema: {
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            limit: { type: "integer", minimum: 1, maximum: 100, default: 10 },
            before: { type: "integer", minimum: 0 },
          },
        },
      },
    },
    async (req) => {
      const top = Math.min(node.chain.height, (req.query.before ?? node.chain.height + 1) - 1);
      const out = [];
      for (let h = top; h >= 0 && out.length < req.query.limit; h--) {
        const e = node.chain.atHeight(h);
        if (e) out.push(summary(node, e));
      }
      return { height: node.chain.height, blocks: out };
    },
  );

  const rangeQuery = {
    type: "object",
    additionalProperties: false,
    properties: {
      from: { type: "integer", minimum: 0, default: 0 },
      to: { type: "integer", minimum: 0 },
    },
  } as const;

  app.get<{ Querystring: { from: number; to?: number } }>(
    "/blockchain/range",
    { schema: { querystring: rangeQuery } },
    async (req) => {
      const to = Math.min(req.query.to ?? node.chain.height, node.chain.height);
      return { ...encodeRange(node, req.query.from, to), requested_to: req.query.to ?? null };
    },
  );

  app.get("/blockchain/db", { schema: { querystring: noQuery } }, async () =>
    encodeRange(node, 0, node.chain.height),
  );

  // The most recent blocks that fit the bounds (sizes come from the in-memory index).
  app.get("/blockchain", { schema: { querystring: noQuery } }, async () => {
    let from = node.chain.height;
    let bytes = node.chain.tip.size;
    while (from > 0 && node.chain.height - from + 1 < RANGE_MAX_BLOCKS) {
      const size = node.chain.atHeight(from - 1)?.size ?? 0;
      if (bytes + size > RANGE_MAX_BYTES) break;
      bytes += size;
      from--;
    }
    return encodeRange(node, from, node.chain.height);
  });
}
