// Peer admission under a handshake flood, in one process on loopback: node A is sent 1,000 fake
// handshakes per second (random 32-byte keys, claimed ports nobody listens on) from 127.0.0.2 while
// honest relays join it from 127.0.0.1, one after another. Figures: how long an honest join takes
// (handshake to registered on both sides) under the flood, beside the same joins without it in the
// same run; fake peers admitted; and what the flood cost the node.
import { randomBytes } from "node:crypto";
import { createSocket } from "node:dgram";
import { performance } from "node:perf_hooks";
import { AtomStore, addPow, encodeMessage, RelayNode } from "../dist/index.js";

const JOINS = 30;
const FLOOD_RATE = 1000;

async function relay(extra = {}) {
  const store = new AtomStore();
  await store.start();
  const r = new RelayNode({
    default_seed: null,
    incoming_port: 0,
    bindAddress: "127.0.0.1",
    store,
    ...extra,
  });
  await r.start();
  return {
    r,
    store,
    async stop() {
      await r.stop();
      await store.stop();
    },
  };
}

/** Median milliseconds of JOINS honest joins to `a` (each a fresh relay, stopped afterwards). */
async function joins(a, n = JOINS) {
  const ms = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const b = await relay({ additional_seeds: [`127.0.0.1:${a.r.incomingPort}`] });
    const deadline = Date.now() + 20_000;
    while (!(a.r.getPeer(b.r.publicKey) && b.r.getPeer(a.r.publicKey))) {
      if (Date.now() > deadline) throw new Error("an honest join did not complete in 20 s");
      await new Promise((r) => setTimeout(r, 1));
    }
    ms.push(performance.now() - t0);
    await b.stop();
  }
  ms.sort((x, y) => x - y);
  return ms[Math.floor(ms.length / 2)];
}

// The honest relays all join from 127.0.0.1 and stay registered after they stop (until
// peer_timeout): the per-IP cap is lifted so every join can take a slot.
const uncapped = { maxPeersPerIp: 0, maxPeersPerSubnet: 0 };

export default async function run() {
  const warm = await relay(uncapped);
  await joins(warm, 10); // JIT warm-up, not measured
  await warm.stop();
  const quiet = await relay(uncapped);
  const calm = await joins(quiet);
  await quiet.stop();

  const a = await relay(uncapped);
  const flooder = createSocket("udp4");
  await new Promise((r) => flooder.bind(0, "127.0.0.2", r));
  const pool = Array.from({ length: FLOOD_RATE * 60 }, (_, i) =>
    addPow(
      encodeMessage({
        handshake: true,
        senderPublicKey: randomBytes(32),
        incomingPort: 40_000 + (i % 1000),
        body: new Uint8Array(0),
      }),
      1,
    ),
  );
  let sent = 0;
  let flooding = true;
  const flood = (async () => {
    while (flooding) {
      const t0 = Date.now();
      for (let i = 0; i < FLOOD_RATE / 100; i++)
        flooder.send(pool[sent++ % pool.length], a.r.incomingPort, "127.0.0.1");
      await new Promise((r) => setTimeout(r, Math.max(0, 10 - (Date.now() - t0))));
    }
  })();
  await new Promise((r) => setTimeout(r, 2000)); // the flood is on before the first join
  const flooded = await joins(a);
  const floodSeconds = (sent / FLOOD_RATE).toFixed(1);
  flooding = false;
  await flood;
  flooder.close();
  const honest = JOINS;
  const admitted = a.r.admissionStats.registered - honest;
  const s = a.r.admissionStats;
  await a.stop();
  return [
    {
      name: `honest join under ${FLOOD_RATE.toLocaleString("en-US")} fake handshakes/s (median of ${JOINS})`,
      value: flooded,
      unit: "ms",
      ref: { name: "the same joins without the flood", value: calm, unit: "ms" },
      note: `${sent.toLocaleString("en-US")} fake handshakes in ${floodSeconds} s; ${s.challenged - JOINS} challenged (the rest rate-limited), ${Math.max(0, admitted)} fake peers admitted`,
    },
  ];
}
