/**
 * Loopback addresses of the Astreum simulation (127.0.0.0/8 works on Linux without setup). Node k is
 * known to its peers by its public address, where its UDP relay listens:
 * 127.(40 + k mod 16).(⌊k / 32⌋).(1 + ⌊k / 16⌋ mod 2) (sixteen /16 groups; nodes k and k + 16 share
 * a /24, so per-/24 caps bite). The node itself binds the same port on its private address, the
 * same with 56 + k mod 16 as first byte; only relays send to it there. Flooders use 127.66.0.0/16
 * (the Astram plan's attacker range, `attackerHost`).
 */
export const MAX_ASTREUM_NODES = 16 * 2 * 250;

function check(index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_ASTREUM_NODES)
    throw new RangeError(`node index must be an integer in [0, ${MAX_ASTREUM_NODES}), got ${index}`);
}

export function publicHost(index: number): string {
  check(index);
  return `127.${40 + (index % 16)}.${Math.floor(index / 32)}.${1 + (Math.floor(index / 16) % 2)}`;
}

export function privateHost(index: number): string {
  check(index);
  return `127.${56 + (index % 16)}.${Math.floor(index / 32)}.${1 + (Math.floor(index / 16) % 2)}`;
}
