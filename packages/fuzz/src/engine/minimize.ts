/**
 * Shrinks a failing input by deleting chunks (halves, quarters, … single bytes) while `fails`
 * still holds, within `budget` attempts. Returns the smallest failing input found.
 */
export async function minimize(
  input: Uint8Array,
  fails: (candidate: Uint8Array) => Promise<boolean>,
  budget: number,
): Promise<Uint8Array> {
  let best = input;
  let attempts = 0;
  for (let chunk = Math.max(1, best.length >> 1); chunk >= 1; chunk >>= 1) {
    let i = 0;
    while (i < best.length && attempts < budget) {
      const candidate = new Uint8Array(best.length - Math.min(chunk, best.length - i));
      candidate.set(best.subarray(0, i));
      candidate.set(best.subarray(i + chunk), i);
      attempts++;
      if (await fails(candidate)) best = candidate;
      else i += chunk;
    }
    if (attempts >= budget) break;
  }
  return best;
}
