/** Undirected graphs over node ids, as the topology snapshots and the model's random graphs use them. */
export type Adjacency = Map<string, Set<string>>;

export function adjacencyOf(
  edges: Iterable<readonly [string, string]>,
  keep?: (id: string) => boolean,
): Adjacency {
  const adjacency: Adjacency = new Map();
  const link = (from: string, to: string) => {
    let peers = adjacency.get(from);
    if (peers === undefined) {
      peers = new Set();
      adjacency.set(from, peers);
    }
    peers.add(to);
  };
  for (const [a, b] of edges) {
    if (a === b) continue;
    if (keep !== undefined && !(keep(a) && keep(b))) continue;
    link(a, b);
    link(b, a);
  }
  return adjacency;
}

/**
 * Hop distance from source to every node it reaches (breadth-first search; source itself at 0).
 * canRelay limits which nodes pass things on (the source always does): a path may end at any node
 * but only run through relaying ones.
 */
export function hopDistances(
  adjacency: Adjacency,
  source: string,
  canRelay: (id: string) => boolean = () => true,
): Map<string, number> {
  const distance = new Map<string, number>([[source, 0]]);
  const queue = [source];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] as string;
    if (head > 0 && !canRelay(node)) continue;
    const next = (distance.get(node) as number) + 1;
    for (const peer of adjacency.get(node) ?? []) {
      if (distance.has(peer)) continue;
      distance.set(peer, next);
      queue.push(peer);
    }
  }
  return distance;
}

/** Mean number of peers over the given nodes (a node absent from the graph counts as degree 0). */
export function meanDegree(adjacency: Adjacency, nodes: Iterable<string>): number | null {
  let total = 0;
  let count = 0;
  for (const node of nodes) {
    total += adjacency.get(node)?.size ?? 0;
    count++;
  }
  return count === 0 ? null : total / count;
}
