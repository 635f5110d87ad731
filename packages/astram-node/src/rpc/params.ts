import { invalidParams } from "./errors.js";

/** Per-method parameter validators: each returns the typed value or throws -32602 naming the parameter. */

export type BlockTag =
  | { readonly kind: "latest" | "pending" | "earliest" | "safe" | "finalized" }
  | { readonly kind: "number"; readonly number: bigint }
  | { readonly kind: "hash"; readonly hash: string; readonly requireCanonical: boolean };

const QUANTITY_RE = /^0x[0-9a-fA-F]{1,64}$/;
const ADDRESS_RE = /^0x[0-9a-fA-F]{40}$/;
const HASH_RE = /^0x[0-9a-fA-F]{64}$/;
const DATA_RE = /^0x([0-9a-fA-F]{2})*$/;
const TAGS = new Set(["latest", "pending", "earliest", "safe", "finalized"]);

/** Checks the params array's length and returns it (absent params count as []). */
export function paramList(params: unknown, min: number, max: number): unknown[] {
  const list = params === undefined ? [] : params;
  if (!Array.isArray(list)) throw invalidParams("params must be an array");
  if (list.length < min || list.length > max) {
    throw invalidParams(
      min === max
        ? `expected ${min} parameter${min === 1 ? "" : "s"}, got ${list.length}`
        : `expected ${min} to ${max} parameters, got ${list.length}`,
    );
  }
  return list;
}

export function quantity(v: unknown, name: string): bigint {
  if (typeof v !== "string" || !QUANTITY_RE.test(v)) throw invalidParams(`${name}: expected a hex quantity`);
  return BigInt(v);
}

/** An address in any case (as Ethereum nodes accept it), returned lowercase. */
export function address(v: unknown, name: string): string {
  if (typeof v !== "string" || !ADDRESS_RE.test(v))
    throw invalidParams(`${name}: expected a 20-byte address`);
  return v.toLowerCase();
}

/** A 32-byte hash, returned lowercase without 0x. */
export function hash32(v: unknown, name: string): string {
  if (typeof v !== "string" || !HASH_RE.test(v)) throw invalidParams(`${name}: expected a 32-byte hex hash`);
  return v.slice(2).toLowerCase();
}

export function data(v: unknown, name: string): string {
  if (typeof v !== "string" || !DATA_RE.test(v))
    throw invalidParams(`${name}: expected 0x-prefixed hex bytes`);
  return v.toLowerCase();
}

export function bool(v: unknown, name: string): boolean {
  if (typeof v !== "boolean") throw invalidParams(`${name}: expected a boolean`);
  return v;
}

/** A block tag, number, or EIP-1898 object ({blockNumber} or {blockHash, requireCanonical}). Default latest. */
export function blockTag(v: unknown, name: string): BlockTag {
  if (v === undefined || v === null) return { kind: "latest" };
  if (typeof v === "string") {
    if (TAGS.has(v)) return { kind: v as "latest" };
    if (QUANTITY_RE.test(v)) return { kind: "number", number: BigInt(v) };
  } else if (typeof v === "object" && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if (o.blockNumber !== undefined && o.blockHash === undefined) return blockTag(o.blockNumber, name);
    if (o.blockHash !== undefined && o.blockNumber === undefined) {
      const requireCanonical = o.requireCanonical === undefined ? false : bool(o.requireCanonical, name);
      return { kind: "hash", hash: hash32(o.blockHash, `${name}.blockHash`), requireCanonical };
    }
  }
  throw invalidParams(
    `${name}: expected a block number, "latest", "pending", "earliest", "safe" or "finalized"`,
  );
}

/** A call/transaction object (eth_call, eth_estimateGas): its fields are validated when present. */
export interface CallObject {
  readonly from?: string;
  readonly to?: string;
  readonly value?: bigint;
  readonly data?: string;
  readonly gas?: bigint;
  readonly gasPrice?: bigint;
  readonly maxFeePerGas?: bigint;
  readonly maxPriorityFeePerGas?: bigint;
  readonly nonce?: bigint;
}

const CALL_QUANTITIES = ["gas", "gasPrice", "maxFeePerGas", "maxPriorityFeePerGas", "nonce"] as const;

export function callObject(v: unknown, name: string): CallObject {
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw invalidParams(`${name}: expected an object`);
  const o = v as Record<string, unknown>;
  const out: { -readonly [K in keyof CallObject]: CallObject[K] } = {};
  if (o.from !== undefined && o.from !== null) out.from = address(o.from, `${name}.from`);
  if (o.to !== undefined && o.to !== null) out.to = address(o.to, `${name}.to`);
  if (o.value !== undefined && o.value !== null) out.value = quantity(o.value, `${name}.value`);
  for (const k of CALL_QUANTITIES)
    if (o[k] !== undefined && o[k] !== null) out[k] = quantity(o[k], `${name}.${k}`);
  const input = o.input ?? o.data;
  if (input !== undefined && input !== null) out.data = data(input, `${name}.input`);
  return out;
}

/** eth_feeHistory's block count: a hex quantity or a plain integer, 1 to 1024 (as geth). */
export function blockCount(v: unknown, name: string): number {
  const n =
    typeof v === "number" ? v : typeof v === "string" && QUANTITY_RE.test(v) ? Number(BigInt(v)) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > 1024)
    throw invalidParams(`${name}: expected 1 to 1024 blocks`);
  return n;
}

/** eth_feeHistory's reward percentiles: at most 100 numbers, increasing, each from 0 to 100. */
export function percentiles(v: unknown, name: string): number[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.length > 100)
    throw invalidParams(`${name}: expected an array of at most 100 numbers`);
  let last = -1;
  for (const x of v) {
    if (typeof x !== "number" || !Number.isFinite(x) || x < 0 || x > 100 || x < last)
      throw invalidParams(`${name}: expected increasing numbers from 0 to 100`);
    last = x;
  }
  return v as number[];
}

/** A log filter (eth_getLogs, eth_newFilter), validated; the node has no logs to match against it. */
export interface LogFilter {
  readonly fromBlock: BlockTag;
  readonly toBlock: BlockTag;
  readonly blockHash?: string;
  readonly addresses: readonly string[];
}

function topic(v: unknown, name: string): void {
  if (v === null) return;
  if (Array.isArray(v)) {
    v.forEach((t, i) => {
      if (t !== null) hash32(t, `${name}[${i}]`);
    });
    return;
  }
  hash32(v, name);
}

export function logFilter(v: unknown, name: string): LogFilter {
  if (v === undefined || v === null)
    return { fromBlock: { kind: "latest" }, toBlock: { kind: "latest" }, addresses: [] };
  if (typeof v !== "object" || Array.isArray(v)) throw invalidParams(`${name}: expected a filter object`);
  const o = v as Record<string, unknown>;
  const has = (k: string) => o[k] !== undefined && o[k] !== null;
  if (has("blockHash") && (has("fromBlock") || has("toBlock")))
    throw invalidParams(`${name}: blockHash excludes fromBlock and toBlock`);
  const fromBlock = blockTag(o.fromBlock, `${name}.fromBlock`);
  const toBlock = blockTag(o.toBlock, `${name}.toBlock`);
  for (const [tag, key] of [
    [fromBlock, "fromBlock"],
    [toBlock, "toBlock"],
  ] as const)
    if (tag.kind === "hash") throw invalidParams(`${name}.${key}: expected a block number or tag`);
  if (fromBlock.kind === "number" && toBlock.kind === "number" && fromBlock.number > toBlock.number)
    throw invalidParams(`${name}: fromBlock is after toBlock`);
  const addresses = !has("address")
    ? []
    : Array.isArray(o.address)
      ? o.address.map((a, i) => address(a, `${name}.address[${i}]`))
      : [address(o.address, `${name}.address`)];
  if (has("topics")) {
    if (!Array.isArray(o.topics) || o.topics.length > 4)
      throw invalidParams(`${name}.topics: expected an array of at most 4 topics`);
    for (const [i, t] of o.topics.entries()) topic(t, `${name}.topics[${i}]`);
  }
  return {
    fromBlock,
    toBlock,
    addresses,
    ...(has("blockHash") ? { blockHash: hash32(o.blockHash, `${name}.blockHash`) } : {}),
  };
}

/** A filter id ("0x" hex) as eth_newFilter returns it. */
export function filterId(v: unknown, name: string): string {
  if (typeof v !== "string" || !QUANTITY_RE.test(v)) throw invalidParams(`${name}: expected a filter id`);
  return v.toLowerCase();
}

/** A transaction index within a block. */
export function index(v: unknown, name: string): number {
  const n = quantity(v, name);
  return n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
}
