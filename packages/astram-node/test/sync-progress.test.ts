// Sync progress as users see it: eth_syncing (what wallets and ethers/viem poll), the `sync` object
// of GET /status, and node.syncProgress(), against a real P2P peer with a longer chain: catching up
// follows validated headers, never a claimed height.
import {
  AstramNode,
  createLogger,
  EthRpcService,
  HttpApiService,
  loadConfig,
  NodeMetrics,
  P2pService,
} from "astram-node";
import { afterEach, describe, expect, it } from "vitest";
import { devChain } from "./chain-fixture.js";
import { tempDir } from "./helpers.js";
import { handshake, RawPeer, until } from "./p2p-helpers.js";

let node: AstramNode | undefined;
afterEach(async () => {
  await node?.stop();
  node = undefined;
});

async function rpc(url: string, method: string): Promise<unknown> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: [] }),
  });
  return ((await res.json()) as { result: unknown }).result;
}

describe("sync progress", () => {
  it("eth_syncing and /status report catching up with validated headers ahead, never with a claim", async () => {
    const { settings } = loadConfig({
      configFile: "/dev/null",
      env: {},
      flags: { NETWORK: "dev", DATA_DIR: tempDir(), P2P_BIND_ADDR: "127.0.0.1", P2P_PORT: "0" },
    });
    node = new AstramNode({ settings: { ...settings, logLevel: "silent" }, log: createLogger("silent") });
    const metrics = new NodeMetrics();
    const p2p = new P2pService(node, { autoConnect: false });
    const http = new HttpApiService(node, { host: "127.0.0.1", port: 0, metrics });
    const eth = new EthRpcService(node, { host: "127.0.0.1", port: 0, metrics });
    for (const s of [p2p, http, eth]) node.addService(s);
    await node.start();
    const status = async () => ((await (await fetch(`${http.url}/status`)).json()) as { sync: unknown }).sync;

    expect(await rpc(eth.url, "eth_syncing")).toBe(false);
    expect(await status()).toEqual({
      syncing: false,
      starting_height: 0,
      current_height: 0,
      highest_height: 0,
      progress_percent: 100,
    });

    // A claimed height alone (1e12) changes nothing: not syncing, and still relaying.
    const liar = await RawPeer.open(p2p.port, { localAddress: "127.0.33.1" });
    liar.send(handshake({ node, p2p } as never, { height: 1_000_000_000_000 }));
    await until(() => p2p.peerCount === 1, "claiming peer handshaken");
    await until(() => liar.messages.some((m) => m.type === "GetHeaders"), "headers asked of the claimant");
    expect(await rpc(eth.url, "eth_syncing")).toBe(false);
    expect(((await status()) as { syncing: boolean }).syncing).toBe(false);
    liar.close();
    await until(() => p2p.peerCount === 0, "claimant gone");

    // A peer that serves 50 valid headers (and no blocks): the node is catching up to height 50.
    const blocks = devChain(50);
    const ahead = await RawPeer.open(p2p.port, { localAddress: "127.0.34.1" });
    ahead.onMessage = (m) => {
      if (m.type === "GetHeaders") ahead.send({ type: "Headers", headers: blocks.map((b) => b.header) });
    };
    ahead.send(handshake({ node, p2p } as never, { height: 51 }));
    await until(() => p2p.peerCount === 1, "peer handshaken");
    await until(() => node!.syncProgress().syncing, "headers validated");
    expect(await rpc(eth.url, "eth_syncing")).toEqual({
      startingBlock: "0x0",
      currentBlock: "0x0",
      highestBlock: "0x32",
    });
    expect(await status()).toEqual({
      syncing: true,
      starting_height: 0,
      current_height: 0,
      highest_height: 50,
      progress_percent: 0,
    });

    // The only peer that could serve those blocks leaves: its headers are forgotten.
    ahead.close();
    await until(() => p2p.peerCount === 0, "peer gone");
    expect(await rpc(eth.url, "eth_syncing")).toBe(false);
  });
});
