// `+` (signed two's-complement addition of any width), `!&` (NAND) and `!` (NOT); facts §5.7 with
// the seed's signed `+`.

import type { Task } from "../evaluator.js";
import { BytesExpr } from "../expr.js";
import { decodeSigned } from "../integer.js";
import { expectBytes, need } from "./operands.js";

/** a b + -> a+b, minimal signed big-endian. Meter: 2 × max(len a, len b). */
export function add(t: Task): void {
  const s = t.stack;
  need(s, 2, "+");
  const b = expectBytes(s.pop()!, "+", "right operand");
  const a = expectBytes(s.pop()!, "+", "left operand");
  const la = a.size;
  const lb = b.size;
  t.meter.charge(2 * Math.max(la, lb));
  const x = a.int;
  const y = b.int;
  // Both fit a double (NaN otherwise): the sum is exact, at most 2^48 in magnitude.
  if (!Number.isNaN(x) && !Number.isNaN(y)) {
    s.push(BytesExpr.fromInt(x + y));
  } else {
    s.push(BytesExpr.fromInt(decodeSigned(a.value) + decodeSigned(b.value)));
  }
}

/** a b !& -> ~(a & b) over w = max(len a, len b, 1) bytes, zero-padded on the left. Meter: 2w. */
export function nand(t: Task): void {
  const s = t.stack;
  need(s, 2, "!&");
  const b = expectBytes(s.pop()!, "!&", "right operand").value;
  const a = expectBytes(s.pop()!, "!&", "left operand").value;
  const w = Math.max(a.length, b.length, 1);
  t.meter.charge(2 * w);
  const out = new Uint8Array(w);
  const da = w - a.length;
  const db = w - b.length;
  for (let i = 0; i < w; i++) {
    const x = i < da ? 0 : a[i - da]!;
    const y = i < db ? 0 : b[i - db]!;
    out[i] = ~(x & y) & 0xff;
  }
  s.push(new BytesExpr(out));
}

/** a ! -> ~a over max(len a, 1) bytes. Meter: 2 × len a. */
export function not(t: Task): void {
  const s = t.stack;
  need(s, 1, "!");
  const a = expectBytes(s.pop()!, "!", "operand").value;
  t.meter.charge(2 * a.length);
  const w = Math.max(a.length, 1);
  const out = new Uint8Array(w);
  const d = w - a.length;
  for (let i = 0; i < w; i++) out[i] = ~(i < d ? 0 : a[i - d]!) & 0xff;
  s.push(new BytesExpr(out));
}
