import { MemoryChain } from "astram-core/testing";
import { describe, expect, it } from "vitest";
import { addrA, mineBlocks, params } from "../../astram-node/test/helpers.js";
import { startNode, stopNode, until } from "../../astram-node/test/p2p-helpers.js";
import type { NodeInfo } from "../src/index.js";
import { getJson, postJson, startDns, stopAll } from "./helpers.js";

/**
 * Against a real astram-node P2P listener (a devnet node with only its P2P service, as the node's
 * own P2P tests start it): registration and health checks complete a real handshake.
 */
describe("registration against a real astram-node", () => {
  it("registers a devnet node with the height from its handshake; another network is refused", async () => {
    try {
      const node = await startNode({ autoConnect: false });
      const dev = await startDns({ allowPrivate: true, network: "dev" });
      const reply = await postJson(`${dev.url}/register`, {
        port: node.port,
        version: "0.1.0",
        height: 2 ** 53 - 1,
      });
      expect(reply.body).toMatchObject({ success: true, registered_port: node.port });
      const [listed] = (await getJson(`${dev.url}/nodes`)).body.nodes as NodeInfo[];
      // Genesis only: the handshake announces tip index + 1 = 1; the body's 2^53-1 is ignored.
      expect(listed).toMatchObject({ port: node.port, height: node.node.chain.height + 1 });
      expect(listed!.height).toBe(1);

      const test = await startDns({ allowPrivate: true, network: "test" });
      const refused = await postJson(`${test.url}/register`, { port: node.port, version: "0.1.0" });
      expect(refused.body).toMatchObject({ success: false, code: "WRONG_NETWORK" });
      expect(refused.body.message).toContain("Astram-devnet (chain 1337, protocol 1)");
    } finally {
      await stopAll();
    }
  });

  it("a node registering itself is probed back over P2P; health checks follow its height, then drop it", async () => {
    try {
      const dns = await startDns({ allowPrivate: true, network: "dev", healthFailures: 1 });
      const node = await startNode({ autoConnect: false, dnsServerUrl: dns.url, dnsRegister: true });
      await until(() => dns.server.nodeCount === 1, "the node registered itself");
      for (const block of mineBlocks(new MemoryChain(params), 3, addrA))
        node.node.submitBlock(block, "local");
      expect(node.node.chain.height).toBe(3);
      await dns.server.checkHealth();
      expect(dns.server.nodeCount).toBe(1);
      const [listed] = (await getJson(`${dns.url}/nodes`)).body.nodes as NodeInfo[];
      expect(listed).toMatchObject({ port: node.port, height: 4 });
      await stopNode(node);
      await dns.server.checkHealth();
      expect(dns.server.nodeCount).toBe(0);
      expect(dns.logger.records.find((r) => r.event === "health_drop")).toMatchObject({ port: node.port });
    } finally {
      await stopAll();
    }
  });
});
