import { type Block, searchNonce } from "astram-core";
import {
  AstramNode,
  buildBlockTemplate,
  createLogger,
  EthRpcService,
  HttpApiService,
  loadConfig,
  NodeMetrics,
  type NodeSettings,
} from "astram-node";
import { tempDir } from "./helpers.js";

/** Parsed JSON of a response (tests assert on its shape). */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field by the tests
export type Json = any;

export interface TestNode {
  node: AstramNode;
  http: HttpApiService;
  rpc: EthRpcService;
  publicApi: HttpApiService;
  /** "http://127.0.0.1:port" of each service. */
  api: string;
  eth: string;
  pub: string;
  stop(): Promise<void>;
}

/** Settings for a devnet node in a temp dir with every port ephemeral. */
export function testSettings(flags: Record<string, string> = {}): NodeSettings {
  return loadConfig({
    env: {},
    flags: {
      NETWORK: "dev",
      DATA_DIR: tempDir("astram-api-"),
      P2P_PORT: "0",
      HTTP_PORT: "0",
      ETH_RPC_PORT: "0",
      LOG_LEVEL: "silent",
      MINER_THREADS: "1",
      ...flags,
    },
  }).settings;
}

/**
 * A real AstramNode on a temp data dir (devnet) with the HTTP API, the JSON-RPC and the read-only
 * public API on ephemeral ports of 127.0.0.1. `blocks` are submitted before the services answer.
 */
export async function startTestNode(
  opts: { blocks?: readonly Block[]; mine?: string; minerAddress?: string; hashrateSampleMs?: number } = {},
): Promise<TestNode> {
  const flags: Record<string, string> = {};
  if (opts.mine) Object.assign(flags, { MINE: "true", MINER_ADDRESS: opts.mine });
  else if (opts.minerAddress) flags.MINER_ADDRESS = opts.minerAddress;
  const settings = testSettings(flags);
  const node = new AstramNode({ settings, log: createLogger("silent") });
  const metrics = new NodeMetrics({ hashrateSampleMs: opts.hashrateSampleMs ?? 5000 });
  const http = new HttpApiService(node, { host: "127.0.0.1", port: 0, metrics });
  const rpc = new EthRpcService(node, { host: "127.0.0.1", port: 0, metrics });
  const publicApi = new HttpApiService(node, { host: "127.0.0.1", port: 0, metrics, readOnly: true });
  node.addService(http);
  node.addService(rpc);
  node.addService(publicApi);
  await node.start();
  for (const b of opts.blocks ?? []) node.submitBlock(b, "local");
  return {
    node,
    http,
    rpc,
    publicApi,
    api: http.url,
    eth: rpc.url,
    pub: publicApi.url,
    stop: () => node.stop(),
  };
}

/** GET or POST JSON; returns status and parsed body. */
export async function request(
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Json; headers: Headers; text: string }> {
  const isBytes = init.body instanceof Uint8Array;
  const res = await fetch(url, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: {
      ...(init.body === undefined
        ? {}
        : { "content-type": isBytes ? "application/octet-stream" : "application/json" }),
      ...init.headers,
    },
    body:
      init.body === undefined ? undefined : isBytes ? (init.body as Uint8Array) : JSON.stringify(init.body),
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: res.status, body, headers: res.headers, text };
}

/** One JSON-RPC call; returns the whole response object. */
export async function rpcCall(url: string, method: string, params: unknown[] = []): Promise<Json> {
  const { body } = await request(url, { body: { jsonrpc: "2.0", id: 1, method, params } });
  return body;
}

/** Polls `fn` until it returns a truthy value (no timing assertions: the test timeout bounds it). */
export async function until<T>(fn: () => T | Promise<T>, pauseMs = 50): Promise<NonNullable<T>> {
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    await new Promise((r) => setTimeout(r, pauseMs));
  }
}

/** Mines the node's next block from its mempool on this thread (tests without a running miner). */
export function mineNext(node: AstramNode, miner: string): Block {
  const t = buildBlockTemplate(node.chain, node.mempool, miner, node.now());
  const found = searchNonce(t.block.header)!;
  const block: Block = {
    header: { ...t.block.header, nonce: found.nonce },
    transactions: t.block.transactions,
    hash: found.hash,
  };
  node.submitBlock(block, "local");
  return block;
}
