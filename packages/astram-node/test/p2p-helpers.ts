import { connect, type Socket } from "node:net";
import {
  decodeP2pMessage,
  encodeFrame,
  encodeP2pMessage,
  FrameDecoder,
  type HandshakeInfo,
  type P2pMessage,
} from "astram-core";
import { AstramNode, createLogger, loadConfig, type P2pLimits, P2pService } from "astram-node";
import { afterEach } from "vitest";
import { tempDir } from "./helpers.js";

const running: AstramNode[] = [];
afterEach(async () => {
  for (const n of running.splice(0)) await n.stop();
});

export interface TestNode {
  node: AstramNode;
  p2p: P2pService;
  dir: string;
  host: string;
  port: number;
}

/** Starts a devnet node with only the P2P service, on `host` (a loopback address) and a free port. */
export async function startNode(
  opts: {
    host?: string;
    port?: number;
    peers?: string[];
    limits?: Partial<P2pLimits>;
    autoConnect?: boolean;
    dir?: string;
    dnsServerUrl?: string;
    dnsRegister?: boolean;
  } = {},
): Promise<TestNode> {
  const dir = opts.dir ?? tempDir();
  const host = opts.host ?? "127.0.0.1";
  const { settings } = loadConfig({
    configFile: "/dev/null",
    env: {},
    flags: {
      NETWORK: "dev",
      DATA_DIR: dir,
      P2P_BIND_ADDR: host,
      P2P_PORT: String(opts.port ?? 0),
      BOOTSTRAP_PEERS: (opts.peers ?? []).join(","),
      ALLOW_PRIVATE_PEERS: "true",
      DNS_SERVER_URL: opts.dnsServerUrl ?? "",
      DNS_REGISTER: opts.dnsRegister ? "true" : "false",
      LOG_LEVEL: process.env.ASTRAM_TEST_LOG ?? "silent",
    },
  });
  const node = new AstramNode({ settings, log: createLogger(settings.logLevel) });
  const p2p = new P2pService(node, { limits: opts.limits, autoConnect: opts.autoConnect ?? true });
  node.addService(p2p);
  await node.start();
  running.push(node);
  return { node, p2p, dir, host, port: p2p.port };
}

/** The host:port other nodes dial to reach `t`. */
export const peerOf = (t: TestNode): string => `${t.host}:${t.port}`;

export async function stopNode(t: TestNode): Promise<void> {
  const i = running.indexOf(t.node);
  if (i >= 0) running.splice(i, 1);
  await t.node.stop();
}

/** Polls until fn returns true (no fixed sleeps in assertions). */
export async function until(fn: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A raw TCP client speaking (or abusing) the protocol, optionally from a given local address. */
export class RawPeer {
  readonly socket: Socket;
  closed = false;
  received: Buffer = Buffer.alloc(0);
  readonly messages: P2pMessage[] = [];
  /** Called for each decoded message from the node. */
  onMessage: (m: P2pMessage) => void = () => {};
  private readonly decoder = new FrameDecoder();
  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on("data", (d: Buffer) => {
      this.received = Buffer.concat([this.received, d]);
      for (const payload of this.decoder.push(d)) {
        const m = decodeP2pMessage(payload);
        this.messages.push(m);
        this.onMessage(m);
      }
    });
    socket.on("close", () => {
      this.closed = true;
    });
    socket.on("error", () => {});
  }

  static open(port: number, opts: { host?: string; localAddress?: string } = {}): Promise<RawPeer> {
    return new Promise((resolve, reject) => {
      const s = connect({ host: opts.host ?? "127.0.0.1", port, localAddress: opts.localAddress });
      s.once("connect", () => resolve(new RawPeer(s)));
      s.once("error", reject);
    });
  }

  send(m: P2pMessage): void {
    this.socket.write(encodeFrame(encodeP2pMessage(m)));
  }
  sendRaw(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }
  close(): void {
    this.socket.destroy();
  }
}

export function handshake(t: TestNode, over: Partial<HandshakeInfo> = {}): P2pMessage {
  return {
    type: "Handshake",
    info: {
      protocolVersion: 1,
      softwareVersion: "test",
      supportedFeatures: ["blocks"],
      networkId: t.node.params.networkId,
      chainId: t.node.params.chainId,
      height: 0,
      listeningPort: 0,
      ...over,
    },
  };
}
