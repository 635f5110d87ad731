import { parseAddress } from "astram-core";
import type { AstramNode } from "../node.js";
import { badRequest } from "./errors.js";
import type { NodeMetrics } from "./metrics.js";

/** What every route module receives. */
export interface ApiContext {
  readonly node: AstramNode;
  readonly metrics: NodeMetrics;
}

/** Canonical (lowercase) address from a path parameter; a mixed-case address must pass EIP-55. */
export function addressParam(raw: string): string {
  try {
    return parseAddress(raw);
  } catch (e) {
    throw badRequest("bad-address", (e as Error).message);
  }
}
