// Relay benchmarks on loopback: encrypted request/response round trips between two nodes (B fetches
// distinct atoms from A: OBJECT_GET -> OBJECT_FOUND, each datagram with its PoW prefix, X25519 key,
// ChaCha20-Poly1305 body), beside a plain UDP echo between two sockets in the same run, with one
// request in flight (latency) and with 32 in flight (throughput).
import { createSocket } from "node:dgram";
import { performance } from "node:perf_hooks";
import { AtomStore, BytesExpr, RelayNode } from "../dist/index.js";

const RUN_MS = 2000;

async function startPair() {
  const nodes = [];
  for (let i = 0; i < 2; i++) {
    const store = new AtomStore({ atom_fetch_interval: 0.5, atom_fetch_retries: 20 });
    await store.start();
    const relay = new RelayNode({
      default_seed: null,
      incoming_port: 0,
      bindAddress: "127.0.0.1",
      additional_seeds: i === 0 ? [] : [`127.0.0.1:${nodes[0].relay.incomingPort}`],
      fair_use_ratio: 0,
      store,
    });
    await relay.start();
    nodes.push({ store, relay });
  }
  const [a, b] = nodes;
  const deadline = Date.now() + 10_000;
  while (!(a.relay.getPeer(b.relay.publicKey) && b.relay.getPeer(a.relay.publicKey))) {
    if (Date.now() > deadline) throw new Error("nodes did not connect");
    await new Promise((r) => setTimeout(r, 10));
  }
  return nodes;
}

/** Echo reference: `window` requests of `size` bytes in flight between two UDP sockets. */
async function echo(window, size) {
  const server = createSocket("udp4");
  const client = createSocket("udp4");
  await new Promise((r) => server.bind(0, "127.0.0.1", r));
  await new Promise((r) => client.bind(0, "127.0.0.1", r));
  server.on("message", (m, rinfo) => server.send(m, rinfo.port, rinfo.address));
  const port = server.address().port;
  const payload = Buffer.alloc(size);
  let done = 0;
  let stop = false;
  const start = performance.now();
  await new Promise((resolve) => {
    client.on("message", () => {
      done++;
      if (performance.now() - start > RUN_MS) stop = true;
      if (!stop) client.send(payload, port, "127.0.0.1");
      else resolve();
    });
    for (let i = 0; i < window; i++) client.send(payload, port, "127.0.0.1");
  });
  const rate = done / ((performance.now() - start) / 1000);
  client.close();
  server.close();
  return rate;
}

/** Encrypted round trips: B.store.get of atoms only A holds, `window` in flight. */
async function fetches(b, atoms, offset, window) {
  let next = offset;
  let done = 0;
  let misses = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: window }, async () => {
      while (performance.now() - start < RUN_MS && next < atoms.length) {
        const e = atoms[next++];
        if ((await b.store.get(e.hash())) === null) misses++;
        done++;
      }
    }),
  );
  if (misses > 0) throw new Error(`${misses} fetches failed`);
  if (next >= atoms.length) throw new Error("ran out of atoms: raise the count");
  return { rate: done / ((performance.now() - start) / 1000), used: next - offset };
}

export default async function bench() {
  const [a, b] = await startPair();
  try {
    const atoms = Array.from({ length: 150_000 }, (_, i) => {
      const v = new Uint8Array(32);
      new DataView(v.buffer).setUint32(0, i);
      return new BytesExpr(v);
    });
    for (const e of atoms) await a.store.putAtom(e);
    const requestSize = 8 + 35 + 12 + 1 + 34 + 16;
    const rows = [];
    let offset = 0;
    for (const window of [1, 32]) {
      const ref = await echo(window, requestSize);
      const r = await fetches(b, atoms, offset, window);
      offset += r.used;
      rows.push({
        name: `encrypted atom request/response round trips, ${window} in flight`,
        value: r.rate,
        unit: "round trips/s",
        ref: {
          name: `plain UDP echo of ${requestSize} bytes, ${window} in flight`,
          value: ref,
          unit: "round trips/s",
        },
        note: "two RelayNodes on 127.0.0.1: PoW prefix, X25519 key, ChaCha20-Poly1305 both ways; 33-byte atoms",
      });
    }
    const s = b.relay.stats;
    rows.push({
      name: "drops during the run (B)",
      value: s.dropped.replay + s.dropped.decrypt + s.dropped.unsolicited,
      unit: "datagrams",
    });
    return rows;
  } finally {
    await b.relay.stop();
    await a.relay.stop();
  }
}
