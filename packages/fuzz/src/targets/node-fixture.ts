import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AstramNode,
  createLogger,
  EthRpcService,
  HttpApiService,
  loadConfig,
  NodeMetrics,
} from "astram-node";
import { astramSamples } from "./astram-samples.js";

type FastifyInstance = Awaited<ReturnType<HttpApiService["build"]>>;

/**
 * A real devnet AstramNode (LMDB in a temp dir, the recorded sample chain connected) and one of its
 * fastify apps, driven with app.inject: the whole request path (routing, schema validation, body
 * parsing, handlers, error handlers) without a socket.
 */
export interface NodeFixture {
  readonly node: AstramNode;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

export async function startNodeFixture(service: "http-api" | "eth-rpc"): Promise<NodeFixture> {
  const dir = mkdtempSync(join(tmpdir(), "astram-fuzz-"));
  const { settings } = loadConfig({
    env: {},
    flags: {
      NETWORK: "dev",
      DATA_DIR: dir,
      P2P_PORT: "0",
      HTTP_PORT: "0",
      ETH_RPC_PORT: "0",
      LOG_LEVEL: "silent",
    },
  });
  const node = new AstramNode({ settings, log: createLogger("silent") });
  await node.start();
  try {
    for (const block of astramSamples().blocks) node.submitBlock(block, "local");
    const metrics = new NodeMetrics();
    const options = { host: "127.0.0.1", port: 0, metrics };
    const app = await (service === "http-api"
      ? new HttpApiService(node, options)
      : new EthRpcService(node, options)
    ).build();
    await app.ready();
    return {
      node,
      app,
      async close() {
        await app.close();
        await node.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
