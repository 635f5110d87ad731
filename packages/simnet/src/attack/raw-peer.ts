import { randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";
import {
  decodeP2pMessage,
  encodeFrame,
  encodeP2pMessage,
  FrameDecoder,
  type HandshakeInfo,
  NETWORKS,
  type P2pMessage,
} from "astram-core";

/**
 * A hand-driven P2P connection speaking astram-core's framing and messages: what the simulator's
 * attackers use. It dials from a chosen loopback address, so the node (through its relay) sees that
 * address, and records what it received and whether it was dropped.
 */
export class RawPeer {
  private readonly decoder = new FrameDecoder();
  readonly received: P2pMessage[] = [];
  closed = false;
  handshakeDone = false;
  private readonly session = randomBytes(8).toString("hex");

  private constructor(private readonly socket: Socket) {
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("close", () => (this.closed = true));
    socket.on("error", () => (this.closed = true));
  }

  /** Connects (bounded by `timeoutMs`); undefined when the connection is refused or times out. */
  static open(
    host: string,
    port: number,
    localAddress: string,
    timeoutMs = 10_000,
  ): Promise<RawPeer | undefined> {
    return new Promise((resolve) => {
      const socket = connect({ host, port, localAddress });
      const timer = setTimeout(() => socket.destroy(), timeoutMs);
      socket.once("connect", () => {
        clearTimeout(timer);
        resolve(new RawPeer(socket));
      });
      socket.once("error", () => {
        clearTimeout(timer);
        resolve(undefined);
      });
      socket.once("close", () => resolve(undefined));
    });
  }

  send(m: P2pMessage): void {
    if (!this.closed) this.socket.write(encodeFrame(encodeP2pMessage(m)));
  }

  /** Sends a devnet Handshake claiming `height`; the node's reply completes it. */
  handshake(height = 0): void {
    this.send({ type: "Handshake", info: this.info(height) });
  }

  private info(height: number): HandshakeInfo {
    const dev = NETWORKS.devnet;
    return {
      protocolVersion: dev.protocolVersion,
      softwareVersion: "simnet-attacker",
      supportedFeatures: ["blocks", "transactions", "headers", `session:${this.session}`],
      networkId: dev.networkId,
      chainId: dev.chainId,
      height,
      listeningPort: 0,
    };
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    try {
      for (const payload of this.decoder.push(chunk)) {
        const m = decodeP2pMessage(payload);
        this.received.push(m);
        if (this.received.length > 1000) this.received.shift();
        if (m.type === "Handshake") this.send({ type: "HandshakeAck", info: this.info(0) });
        if (m.type === "Handshake" || m.type === "HandshakeAck") this.handshakeDone = true;
        if (m.type === "Ping") this.send({ type: "Pong", nonce: m.nonce });
      }
    } catch {
      this.close();
    }
  }
}
