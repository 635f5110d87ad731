import { randomBelow } from "./seeded-random.js";

/** Neighbour lists of nodes 0..n-1. */
export type IndexGraph = number[][];

/**
 * A graph shaped by the node's peer rules: every node opens outbound connections to distinct nodes
 * chosen uniformly at random, and links are undirected (a connection carries blocks both ways). For a
 * target mean degree d each node opens floor(d/2) or ceil(d/2) connections (the share of ceil set so
 * the mean is d/2), so the resulting mean degree is close to d (a little under where two nodes chose
 * each other).
 */
export function randomPeerGraph(nodes: number, meanDegree: number, random: () => number): IndexGraph {
  if (!Number.isInteger(nodes) || nodes < 2)
    throw new RangeError(`nodes must be an integer >= 2, got ${nodes}`);
  if (!(meanDegree > 0)) throw new RangeError(`mean degree must be positive, got ${meanDegree}`);
  const half = Math.min(meanDegree / 2, nodes - 1);
  const base = Math.floor(half);
  const extraShare = half - base;
  const peers: Set<number>[] = Array.from({ length: nodes }, () => new Set<number>());
  for (let node = 0; node < nodes; node++) {
    const outbound = Math.min(nodes - 1, base + (random() < extraShare ? 1 : 0));
    const chosen = new Set<number>();
    // Rejection sampling ends quickly while outbound is well below nodes; bounded all the same.
    for (let tries = 0; chosen.size < outbound && tries < 100 * nodes; tries++) {
      const peer = randomBelow(random, nodes);
      if (peer !== node) chosen.add(peer);
    }
    for (const peer of chosen) {
      peers[node]?.add(peer);
      peers[peer]?.add(node);
    }
  }
  return peers.map((set) => [...set]);
}

/** Hop distance from source to every node; -1 where unreachable. */
export function indexHopDistances(graph: IndexGraph, source: number): Int32Array {
  const distance = new Int32Array(graph.length).fill(-1);
  const queue = new Int32Array(graph.length);
  distance[source] = 0;
  queue[0] = source;
  let tail = 1;
  for (let head = 0; head < tail; head++) {
    const node = queue[head] as number;
    const next = (distance[node] as number) + 1;
    for (const peer of graph[node] ?? []) {
      if (distance[peer] !== -1) continue;
      distance[peer] = next;
      queue[tail++] = peer;
    }
  }
  return distance;
}
