/** JSON schemas shared by the routes (fastify validates params, query and body with them). */

/** 0x + 40 hex digits in any case; mixed case must carry a valid EIP-55 checksum (checked in the route). */
export const addressSchema = { type: "string", pattern: "^0[xX][0-9a-fA-F]{40}$" } as const;
export const txidSchema = { type: "string", pattern: "^[0-9a-fA-F]{64}$" } as const;
/** A txid (64 hex) or an Ethereum-style hash (0x + 64 hex). */
export const txRefSchema = { type: "string", pattern: "^(0[xX])?[0-9a-fA-F]{64}$" } as const;
/** A block height (decimal) or a block hash (64 hex). */
export const blockRefSchema = { type: "string", pattern: "^([0-9]{1,10}|[0-9a-fA-F]{64})$" } as const;
/** Amounts: "0x" + lowercase hex, exact (they exceed 2^53). */
export const amountSchema = { type: "string", pattern: "^0x[0-9a-f]+$" } as const;

export const addressParams = {
  type: "object",
  required: ["address"],
  additionalProperties: false,
  properties: { address: addressSchema },
} as const;

export const errorResponse = {
  type: "object",
  properties: { status: { type: "string" }, code: { type: "string" }, message: { type: "string" } },
} as const;

/** For routes without parameters: any query parameter is refused. */
export const noQuery = { type: "object", additionalProperties: false, properties: {} } as const;
