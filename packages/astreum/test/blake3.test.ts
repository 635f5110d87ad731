// Property runs start from the suite's fixed fast-check seed (vitest.setup.ts; FC_SEED overrides).
// blake3(...parts) gathers parts in a scratch area: it must equal BLAKE3 of their concatenation for
// any split, including parts that overflow or exceed the 64 KiB scratch area.
import fc from "fast-check";
import { createBLAKE3 } from "hash-wasm";
import { describe, expect, it } from "vitest";
import { blake3 } from "../src/machine/blake3.js";

const reference = await createBLAKE3();
function whole(parts: Uint8Array[]): string {
  reference.init();
  reference.update(Buffer.concat(parts));
  return reference.digest("hex");
}
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("blake3 of parts", () => {
  it("equals BLAKE3 of the concatenation for random splits", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 12 }), (parts) => {
        expect(hex(blake3(...parts))).toBe(whole(parts));
      }),
      { numRuns: 300 },
    );
  });

  it("handles parts past the scratch area: filling it, overflowing it, and larger than it", () => {
    const big = (n: number, v: number) => new Uint8Array(n).map((_, i) => (i * 31 + v) & 0xff);
    const cases = [
      [big(65_536, 1)],
      [big(65_535, 2), big(2, 3)],
      [big(40_000, 4), big(40_000, 5), big(10, 6)],
      [big(10, 7), big(200_000, 8), big(10, 9)],
      [],
    ];
    for (const parts of cases) expect(hex(blake3(...parts))).toBe(whole(parts));
  });
});
