import { decodeBlock, VerifyError } from "astram-core";
import type { FastifyInstance } from "fastify";
import type { ApiContext } from "../context.js";
import { badRequest } from "../errors.js";
import { miningInfo } from "../queries/node-status.js";

/** A block is at most 4 MiB encoded; base64 adds a third. */
const SUBMIT_BODY_LIMIT = 12 * 1024 * 1024;

/** GET /mining: the miner's state and its hashrate history (for the dashboard's chart). */
export function miningReadRoutes(app: FastifyInstance, { node, metrics }: ApiContext): void {
  app.get<{ Querystring: { since: number } }>(
    "/mining",
    {
      schema: {
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { since: { type: "integer", minimum: 0, default: 0 } },
        },
      },
    },
    async (req) => ({
      ...miningInfo(node),
      sample_interval_ms: metrics.hashrate.intervalMs,
      history: metrics.hashrate.list(req.query.since),
    }),
  );
}

/** POST /mining/submit {"block_b64"}: a mined block through the node's one block path. */
export function miningWriteRoutes(app: FastifyInstance, { node, metrics }: ApiContext): void {
  app.post<{ Body: { block_b64: string } }>(
    "/mining/submit",
    {
      bodyLimit: SUBMIT_BODY_LIMIT,
      schema: {
        querystring: { type: "object", additionalProperties: false, properties: {} },
        body: {
          type: "object",
          required: ["block_b64"],
          additionalProperties: false,
          properties: { block_b64: { type: "string", minLength: 1, pattern: "^[A-Za-z0-9+/]*={0,2}$" } },
        },
      },
    },
    async (req) => {
      const bytes = Buffer.from(req.body.block_b64, "base64");
      let block: ReturnType<typeof decodeBlock>;
      try {
        block = decodeBlock(bytes);
      } catch (e) {
        throw badRequest("invalid-block-bincode", `invalid block bincode: ${(e as Error).message}`);
      }
      let result: ReturnType<typeof node.submitBlock>;
      try {
        result = node.submitBlock(block, "http");
      } catch (e) {
        if (e instanceof VerifyError) {
          metrics.recordInvalidBlock(block.hash, e.code);
          throw badRequest(e.code, `block rejected: ${e.reason}`);
        }
        throw e;
      }
      switch (result.status) {
        case "duplicate":
          return { status: "duplicate", hash: block.hash };
        case "orphan":
          return { status: "orphan", hash: block.hash, missing: result.missing };
        default:
          return { status: "ok", result: result.status, hash: block.hash, height: result.entry.height };
      }
    },
  );
}
