import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import type { Indexer } from "../indexer/indexer.js";

/** What every route module receives. */
export interface ApiContext {
  readonly db: Kysely<Database>;
  readonly indexer: Indexer;
}

/** Pagination query shared by the list routes: page from 1, limit bounded. */
export function pageQuery(maxLimit: number, defaultLimit: number) {
  return {
    type: "object",
    additionalProperties: false,
    properties: {
      page: { type: "integer", minimum: 1, maximum: 1_000_000, default: 1 },
      limit: { type: "integer", minimum: 1, maximum: maxLimit, default: defaultLimit },
    },
  } as const;
}

export const hash64 = "^[0-9a-fA-F]{64}$";
export const ethHashPattern = "^0[xX][0-9a-fA-F]{64}$";
export const addressPattern = "^0[xX][0-9a-fA-F]{40}$";
