/**
 * A small seeded pseudo-random generator (mulberry32): the model's random graphs and jitter draws
 * must come out the same for the same seed, so a report can be reproduced and tested.
 */
export function seededRandom(seed: number): () => number {
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform integer in [0, bound). */
export function randomBelow(random: () => number, bound: number): number {
  return Math.floor(random() * bound);
}
