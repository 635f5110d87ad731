/**
 * Where each simulated host lives on the loopback network (127.0.0.0/8, usable on Linux without
 * configuration). Honest node k gets 127.(16 + k mod 16).(⌊k / 32⌋).(1 + ⌊k / 16⌋ mod 2): sixteen
 * /16 groups, and nodes k and k + 16 share a /24, so the node's per-/24 and per-/16 peer limits
 * really bite. Attackers live in one /16 of their own, 127.66.0.0/16, as an eclipse attempt would.
 */
export const MAX_NODES = 16 * 2 * 250;

export function nodeHost(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_NODES)
    throw new RangeError(`node index must be an integer in [0, ${MAX_NODES}), got ${index}`);
  return `127.${16 + (index % 16)}.${Math.floor(index / 32)}.${1 + (Math.floor(index / 16) % 2)}`;
}

export function attackerHost(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= 250 * 250)
    throw new RangeError(`attacker index must be an integer in [0, 62500), got ${index}`);
  // Consecutive attackers take distinct /24s of the one /16, to push on the /16 limit, not the /24 one.
  return `127.66.${index % 250}.${1 + Math.floor(index / 250)}`;
}

/** "n07" style ids sort in start order. */
export function nodeId(index: number): string {
  return `n${String(index).padStart(2, "0")}`;
}
