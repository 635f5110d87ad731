import { createServer, type Server, type Socket } from "node:net";
import { encodeFrame, encodeP2pMessage, NETWORKS } from "astram-core";
import { afterEach, describe, expect, it } from "vitest";
import {
  createHandshakeProbe,
  expectedNetwork,
  MAX_HANDSHAKE_FRAME,
  MAX_PROBE_FRAMES,
  type ProbeResult,
} from "../src/index.js";
import { closedPort, getJson, listener, postJson, startDns, stopAll } from "./helpers.js";
import { p2pStandIn } from "./p2p-stand-in.js";

const mainnet = expectedNetwork({ network: "mainnet", networkId: "", chainId: 0 });
const probe = createHandshakeProbe(mainnet);
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await stopAll();
  await Promise.all(closers.splice(0).map((c) => c()));
});

/** A TCP server that runs `onConnection` for each client: the non-node ports of the tests. */
async function server(onConnection: (s: Socket) => void): Promise<number> {
  const sockets = new Set<Socket>();
  const srv: Server = createServer((s) => {
    sockets.add(s);
    s.on("error", () => {});
    s.on("close", () => sockets.delete(s));
    onConnection(s);
  });
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        srv.close(() => resolve());
      }),
  );
  return (srv.address() as { port: number }).port;
}

const failureOf = (r: ProbeResult) => (r.ok ? "ok" : r.failure);

describe("the handshake probe", () => {
  it("succeeds against a node of the right network and returns the handshake's height", async () => {
    const node = await p2pStandIn({ height: 1234 });
    closers.push(() => node.close());
    const r = await probe("127.0.0.1", node.port, 2000);
    expect(r).toMatchObject({ ok: true, height: 1234 });
    expect(node.handshakes).toBe(1);
  });

  it("reports nothing listening as unreachable", async () => {
    expect(failureOf(await probe("127.0.0.1", await closedPort(), 2000))).toBe("unreachable");
  });

  it("refuses a port that accepts TCP and closes (speaks no P2P)", async () => {
    const tcp = await listener();
    closers.push(() => tcp.close());
    const r = await probe("127.0.0.1", tcp.port, 2000);
    expect(r).toMatchObject({ ok: false, failure: "handshake" });
  });

  it("refuses a port that accepts TCP and says nothing, within the timeout", async () => {
    const port = await server(() => {});
    const r = await probe("127.0.0.1", port, 300);
    expect(r).toMatchObject({ ok: false, failure: "handshake", reason: "no handshake within 300 ms" });
  });

  it("refuses an HTTP server at once (its first bytes read as an oversized frame)", async () => {
    const port = await server((s) =>
      s.once("data", () => s.write("HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n")),
    );
    const r = await probe("127.0.0.1", port, 5000);
    expect(r).toMatchObject({ ok: false, failure: "handshake" });
    expect(r.ok ? "" : r.reason).toMatch(/not an Astram P2P frame/);
  });

  it(`refuses a frame larger than ${MAX_HANDSHAKE_FRAME} bytes before reading it`, async () => {
    const port = await server((s) => {
      const head = new Uint8Array(4);
      new DataView(head.buffer).setUint32(0, MAX_HANDSHAKE_FRAME + 1);
      s.write(head);
    });
    expect(await probe("127.0.0.1", port, 5000)).toMatchObject({ ok: false, failure: "handshake" });
  });

  it(`gives up after ${MAX_PROBE_FRAMES} frames without a HandshakeAck`, async () => {
    const ping = encodeFrame(encodeP2pMessage({ type: "Ping", nonce: 1n }));
    const port = await server((s) => {
      for (let i = 0; i < MAX_PROBE_FRAMES + 1; i++) s.write(ping);
    });
    const r = await probe("127.0.0.1", port, 5000);
    expect(r).toMatchObject({ ok: false, failure: "handshake" });
    expect(r.ok ? "" : r.reason).toContain("frames without a HandshakeAck");
  });

  it("refuses bytes that are frames but not P2P messages", async () => {
    const port = await server((s) => s.write(encodeFrame(new Uint8Array([200, 1, 2, 3]))));
    const r = await probe("127.0.0.1", port, 5000);
    expect(r.ok ? "" : r.reason).toMatch(/not an Astram P2P message/);
  });

  it("tells a node of another network (id, chain id or protocol) apart", async () => {
    const { networkId, chainId } = NETWORKS.testnet;
    for (const info of [{ networkId, chainId }, { chainId: 99 }, { protocolVersion: 2 }]) {
      const other = await p2pStandIn({ info });
      closers.push(() => other.close());
      const r = await probe("127.0.0.1", other.port, 2000);
      expect(r).toMatchObject({ ok: false, failure: "wrong-network" });
    }
  });
});

describe("POST /register with the handshake probe", () => {
  it("answers HANDSHAKE_FAILED for a TCP port that is not a node (e.g. a node's HTTP port)", async () => {
    const { url } = await startDns({ allowPrivate: true, probeTimeout: 1 });
    const http = await server((s) => s.once("data", () => s.end("HTTP/1.1 404 Not Found\r\n\r\n")));
    const reply = await postJson(`${url}/register`, { port: http, version: "0.1.0", height: 2 ** 53 - 1 });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ success: false, code: "HANDSHAKE_FAILED", registered_port: http });
    expect((await getJson(`${url}/stats`)).body).toMatchObject({ node_count: 0, max_height: 0 });
  });

  it("answers WRONG_NETWORK for a node of another network, naming both", async () => {
    const { url } = await startDns({ allowPrivate: true });
    const testnode = await p2pStandIn({ info: { networkId: "Astram-testnet", chainId: 8888 } });
    closers.push(() => testnode.close());
    const reply = await postJson(`${url}/register`, { port: testnode.port, version: "0.1.0" });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ success: false, code: "WRONG_NETWORK" });
    expect(reply.body.message).toContain("Astram-testnet (chain 8888, protocol 1)");
    expect(reply.body.message).toContain("Astram-mainnet (chain 1, protocol 1)");
  });

  it("--network-id and --chain-id make a custom network", async () => {
    const { url } = await startDns({ allowPrivate: true, networkId: "my-net", chainId: 4242 });
    const custom = await p2pStandIn({ info: { networkId: "my-net", chainId: 4242 }, height: 3 });
    closers.push(() => custom.close());
    const reply = await postJson(`${url}/register`, { port: custom.port, version: "0.1.0" });
    expect(reply.body).toMatchObject({ success: true });
  });
});
