import { createServer, type Server, type Socket } from "node:net";
import {
  decodeP2pMessage,
  encodeFrame,
  encodeP2pMessage,
  FrameDecoder,
  type HandshakeInfo,
  NETWORKS,
  type P2pMessage,
} from "astram-core";

export interface P2pStandIn {
  port: number;
  /** The height announced in the next handshakes (tests change it between probes). */
  height: number;
  /** Handshakes received (one per probe). */
  handshakes: number;
  close(): Promise<void>;
}

/**
 * A listener that answers the P2P handshake the way astram-node does (its Handshake at once, a
 * HandshakeAck after a valid Handshake, nothing more), for tests that need many endpoints cheaply.
 * Tests that need the real thing start an astram-node (see node-registration.test.ts).
 */
export async function p2pStandIn(
  opts: { host?: string; height?: number; info?: Partial<HandshakeInfo> } = {},
): Promise<P2pStandIn> {
  const params = NETWORKS.mainnet;
  const sockets = new Set<Socket>();
  const state = { height: opts.height ?? 7, handshakes: 0 };
  const info = (): HandshakeInfo => ({
    protocolVersion: params.protocolVersion,
    softwareVersion: "stand-in/1",
    supportedFeatures: [],
    networkId: params.networkId,
    chainId: params.chainId,
    height: state.height,
    listeningPort: 0,
    ...opts.info,
  });
  const send = (s: Socket, m: P2pMessage) => s.write(encodeFrame(encodeP2pMessage(m)));
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    const decoder = new FrameDecoder(4096);
    send(socket, { type: "Handshake", info: info() });
    socket.on("data", (chunk: Buffer) => {
      try {
        for (const payload of decoder.push(chunk)) {
          const m = decodeP2pMessage(payload);
          if (m.type !== "Handshake") continue;
          state.handshakes += 1;
          send(socket, { type: "HandshakeAck", info: info() });
        }
      } catch {
        socket.destroy();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, opts.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    get height() {
      return state.height;
    },
    set height(h: number) {
      state.height = h;
    },
    get handshakes() {
      return state.handshakes;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
