import { randomBelow } from "./seeded-random.js";

/** Neighbour lists of nodes 0..n-1. */
export type IndexGraph = number[][];

/**
 * A graph shaped by the node's peer rules with a given mean degree d: every node first opens
 * floor(d/2) outbound connections to distinct nodes chosen uniformly at random (so no node is left
 * with fewer, as the rules ensure), then random links are added until the graph has round(n·d/2)
 * links, which makes up for pairs that chose each other (common in small networks) and for odd d.
 * Links are undirected: a connection carries blocks both ways.
 */
export function randomPeerGraph(nodes: number, meanDegree: number, random: () => number): IndexGraph {
  if (!Number.isInteger(nodes) || nodes < 2)
    throw new RangeError(`nodes must be an integer >= 2, got ${nodes}`);
  if (!(meanDegree > 0)) throw new RangeError(`mean degree must be positive, got ${meanDegree}`);
  const peers: Set<number>[] = Array.from({ length: nodes }, () => new Set<number>());
  let links = 0;
  const link = (a: number, b: number) => {
    if (a === b || peers[a]?.has(b)) return;
    peers[a]?.add(b);
    peers[b]?.add(a);
    links++;
  };
  const maxLinks = (nodes * (nodes - 1)) / 2;
  const targetLinks = Math.min(maxLinks, Math.round((nodes * meanDegree) / 2));
  const outbound = Math.min(nodes - 1, Math.floor(meanDegree / 2));
  for (let node = 0; node < nodes; node++) {
    // Rejection sampling: bounded, and quick while the node still has most others to choose from.
    let chosen = 0;
    const already = peers[node]?.size ?? 0;
    for (let tries = 0; chosen < outbound && already + chosen < nodes - 1 && tries < 100 * nodes; tries++) {
      const peer = randomBelow(random, nodes);
      if (peer === node || peers[node]?.has(peer)) continue;
      link(node, peer);
      chosen++;
    }
  }
  for (let tries = 0; links < targetLinks && tries < 100 * targetLinks; tries++) {
    link(randomBelow(random, nodes), randomBelow(random, nodes));
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
