// Helpers for tests with live relay nodes on 127.0.0.1: start a store + relay pair, poll for a
// state (no timing assertions), and a raw UDP client that speaks the wire format by hand.
import { createSocket, type Socket } from "node:dgram";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AtomStore,
  type AtomStoreOptions,
  decodeMessage,
  decodeObjectRequest,
  encodeContact,
  encodeHandshakeDatagram,
  encodeNormalDatagram,
  encodeObjectResponse,
  ObjectRequestCode,
  ObjectResponseCode,
  openBody,
  type RelayKeyPair,
  RelayNode,
  type RelayNodeOptions,
  relayKeyPair,
  sharedKey,
  Topic,
} from "astreum";

export interface TestNode {
  store: AtomStore;
  relay: RelayNode;
  port: number;
  stop(): Promise<void>;
}

const running = new Set<TestNode>();

/** Starts an AtomStore and a RelayNode bound to 127.0.0.1 on an ephemeral port, no default seed. */
export async function startNode(
  relayOptions: Partial<RelayNodeOptions> = {},
  storeOptions: AtomStoreOptions = {},
): Promise<TestNode> {
  const store = new AtomStore({ atom_fetch_interval: 0.05, atom_fetch_retries: 100, ...storeOptions });
  await store.start();
  const relay = new RelayNode({
    default_seed: null,
    incoming_port: 0,
    bindAddress: "127.0.0.1",
    peer_timeout_interval: 0.2,
    bootstrap_retry_interval: 0.2,
    ...relayOptions,
    store,
  });
  await relay.start();
  const node: TestNode = {
    store,
    relay,
    port: relay.incomingPort,
    async stop() {
      running.delete(node);
      await relay.stop();
      await store.stop();
    },
  };
  running.add(node);
  return node;
}

/** Stops every node still running (for afterEach). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((n) => n.stop()));
}

/** Polls `check` until it returns a truthy value (or throws after `ms`, naming `what`). */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Two nodes, B bootstrapping from A, waited until each has the other as a peer. */
export async function connectedPair(
  a: Partial<RelayNodeOptions> = {},
  b: Partial<RelayNodeOptions> = {},
  storeB: AtomStoreOptions = {},
): Promise<[TestNode, TestNode]> {
  const na = await startNode(a);
  const nb = await startNode({ additional_seeds: [`127.0.0.1:${na.port}`], ...b }, storeB);
  await waitFor(
    "handshake both ways",
    () => na.relay.getPeer(nb.relay.publicKey) && nb.relay.getPeer(na.relay.publicKey),
  );
  return [na, nb];
}

const tempDirs: string[] = [];

/** Removes the directories tempDir() made (call from afterAll). */
export function removeTempDirs(): void {
  for (const d of tempDirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A fresh temporary directory (removed by removeTempDirs). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `astreum-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

/** A hand-driven UDP endpoint with its own relay key (speaks the wire format directly). */
export class RawClient {
  readonly keys: RelayKeyPair = relayKeyPair();
  readonly socket: Socket;
  readonly received: { msg: Buffer; port: number }[] = [];
  port = 0;

  private constructor(host = "127.0.0.1") {
    this.socket = createSocket("udp4");
    this.socket.on("message", (msg, rinfo) => this.received.push({ msg, port: rinfo.port }));
    this.host = host;
  }
  readonly host: string;

  static async open(host = "127.0.0.1"): Promise<RawClient> {
    const c = new RawClient(host);
    await new Promise<void>((r) => c.socket.bind(0, host, () => r()));
    c.port = c.socket.address().port;
    return c;
  }

  shared(peerPublicKey: Uint8Array): Uint8Array {
    return sharedKey(this.keys.privateKey, peerPublicKey);
  }

  handshake(port: number | null = this.port): Uint8Array {
    return encodeHandshakeDatagram({ senderPublicKey: this.keys.publicKey, incomingPort: port });
  }

  normal(to: Uint8Array, topic: number, content: Uint8Array, port: number | null = this.port): Uint8Array {
    return encodeNormalDatagram({
      senderPublicKey: this.keys.publicKey,
      incomingPort: port,
      sharedKey: this.shared(to),
      topic,
      content,
    });
  }

  /** The atom ids of OBJECT_GETs from `peerKey` among the datagrams received since index `from`. */
  requestsFrom(peerKey: Uint8Array, from = 0): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const r of this.received.slice(from)) {
      try {
        const m = decodeMessage(r.msg.subarray(8));
        if (m.handshake || Buffer.compare(m.senderPublicKey, peerKey) !== 0) continue;
        const { topic, content } = openBody(this.shared(peerKey), m.body);
        if (topic !== Topic.OBJECT_REQUEST) continue;
        const q = decodeObjectRequest(content);
        if (q.code === ObjectRequestCode.GET) out.push(q.atomId);
      } catch {
        // not for us
      }
    }
    return out;
  }

  /** An OBJECT_RESPONSE (PROVIDER, naming this client) for `id`: how any node answers a GET it cannot serve. */
  answer(to: Uint8Array, id: Uint8Array, port: number = this.port): Uint8Array {
    const data = encodeContact({ publicKey: this.keys.publicKey, host: "127.0.0.1", port: this.port });
    const content = encodeObjectResponse({ code: ObjectResponseCode.PROVIDER, atomId: id, data });
    return this.normal(to, Topic.OBJECT_RESPONSE, content, port);
  }

  /**
   * Joins a node as an honest peer does: a handshake, then the answer to the node's challenge (the
   * OBJECT_GET it sends back), which registers this client there.
   */
  async join(nodeKey: Uint8Array, nodePort: number, host = "127.0.0.1"): Promise<void> {
    const seen = this.received.length;
    await this.send(this.handshake(), nodePort, host);
    const [id] = await waitFor("the node's challenge", () => {
      const ids = this.requestsFrom(nodeKey, seen);
      return ids.length > 0 && ids;
    });
    await this.send(this.answer(nodeKey, id!), nodePort, host);
  }

  send(datagram: Uint8Array, port: number, host = "127.0.0.1"): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.send(datagram, port, host, (err) => (err ? reject(err) : resolve()));
    });
  }

  close(): Promise<void> {
    return new Promise((r) => this.socket.close(() => r()));
  }
}
