// The three expression node kinds (facts §1.2) and their atom id (facts §1.3) and serialization
// (facts §1.4). Nodes are immutable once built: `size` is computed at construction and the hash is
// cached on first use. Everything that walks a tree is iterative, so a 100,000-level expression
// cannot overflow the JavaScript stack.
import { blake3 } from "./blake3.js";
import type { Step } from "./compile.js";
import { decodeSmallSigned, encodeSigned, encodeSmallSigned, SMALL_INT_BYTES } from "./integer.js";

/** Numeric tags used for fast dispatch; they equal the serialization tag bytes. */
export const LINK_TAG = 0;
export const SYMBOL_TAG = 1;
export const BYTES_TAG = 2;

export const ZERO32: Uint8Array = new Uint8Array(32);

const utf8 = new TextEncoder();
const TAG_BYTES: Uint8Array[] = [
  Uint8Array.of(LINK_TAG),
  Uint8Array.of(SYMBOL_TAG),
  Uint8Array.of(BYTES_TAG),
];
const SMALL_MIN = -256;
const SMALL_MAX = 65_535;
// fromInt hands these to the constructor together with the LAZY marker (keeps one object shape).
const LAZY = new Uint8Array(0);
let lazyInt = 0;
let lazyLength = 0;
const MIN_SMALL_INT = -(2n ** 47n);
const MAX_SMALL_INT = 2n ** 47n - 1n;

/** Bytes in the minimal signed encoding of a safe integer. */
function minimalLength(n: number): number {
  let len = 1;
  let bound = 128;
  while (n < -bound || n >= bound) {
    len++;
    bound *= 256;
  }
  return len;
}

// Small integers share one BytesExpr each (arithmetic results and literals are mostly small).
const smallInts: (BytesExpr | undefined)[] = new Array(SMALL_MAX - SMALL_MIN + 1);

/** A named identifier. */
export class SymbolExpr {
  readonly tag = SYMBOL_TAG;
  /** UTF-8 byte length of the text: what the meter charges and storage accounts. */
  readonly size: number;
  /** Evaluator memo: operator index for this text (-2 = not computed yet). Not part of the value. */
  op = -2;
  private cachedHash: Uint8Array | null = null;
  constructor(readonly value: string) {
    this.size = utf8Length(value);
  }
  hash(): Uint8Array {
    if (this.cachedHash === null)
      this.cachedHash = blake3(TAG_BYTES[SYMBOL_TAG]!, blake3(utf8.encode(this.value)));
    return this.cachedHash;
  }
  serialize(): Uint8Array {
    return concat(TAG_BYTES[SYMBOL_TAG]!, utf8.encode(this.value));
  }
  toString(): string {
    return this.value;
  }
}

/** Raw bytes; integers are minimal two's-complement big-endian. Treat `value` as read-only. */
export class BytesExpr {
  readonly tag = BYTES_TAG;
  readonly size: number;
  /**
   * Signed value when the string is at most SMALL_INT_BYTES long (NaN otherwise). Arithmetic on
   * small values never touches the byte array, which is only built when someone asks for it.
   */
  readonly int: number;
  private bytes: Uint8Array | null;
  private cachedHash: Uint8Array | null = null;
  constructor(value: Uint8Array) {
    if (value === LAZY) {
      // Built by fromInt: the bytes come later, from `int`.
      this.bytes = null;
      this.size = lazyLength;
      this.int = lazyInt;
    } else {
      this.bytes = value;
      this.size = value.length;
      this.int = value.length <= SMALL_INT_BYTES ? decodeSmallSigned(value) : Number.NaN;
    }
  }
  get value(): Uint8Array {
    if (this.bytes === null) this.bytes = encodeSmallSigned(this.int);
    return this.bytes;
  }
  hash(): Uint8Array {
    if (this.cachedHash === null) this.cachedHash = blake3(TAG_BYTES[BYTES_TAG]!, blake3(this.value));
    return this.cachedHash;
  }
  serialize(): Uint8Array {
    return concat(TAG_BYTES[BYTES_TAG]!, this.value);
  }

  /** Minimal signed encoding of `n`; small values share one cached instance each. */
  static fromInt(n: number | bigint): BytesExpr {
    if (typeof n === "bigint") {
      if (n >= MIN_SMALL_INT && n <= MAX_SMALL_INT) return BytesExpr.fromInt(Number(n));
      return new BytesExpr(encodeSigned(n));
    }
    if (n >= SMALL_MIN && n <= SMALL_MAX) {
      const hit = smallInts[n - SMALL_MIN];
      if (hit !== undefined) return hit;
      const made = new BytesExpr(encodeSmallSigned(n));
      smallInts[n - SMALL_MIN] = made;
      return made;
    }
    if (!Number.isSafeInteger(n)) throw new RangeError(`not a safe integer: ${n}`);
    const len = minimalLength(n);
    if (len > SMALL_INT_BYTES) return new BytesExpr(encodeSmallSigned(n));
    lazyInt = n;
    lazyLength = len;
    return new BytesExpr(LAZY);
  }
}

/**
 * A pair. A child is either a materialised expression, or (after decoding a stored node) only its
 * 32-byte hash. Link(null, null) is NIL.
 */
export class LinkExpr {
  readonly tag = LINK_TAG;
  /** size(head) + size(tail) over materialised children (facts §1.5). */
  readonly size: number;
  /**
   * Nodes in the tree this Link spans, shared subtrees counted each time they occur (so it can
   * exceed the number of distinct nodes, even reach Infinity, for values built with `link`).
   * Walks that would visit this many nodes choose a cheaper method past a bound.
   */
  readonly nodes: number;
  /** Evaluator memo: this list's parameter names when used as `fn` parameters. Not part of the value. */
  paramsMemo: readonly string[] | undefined = undefined;
  /** Evaluator memo: this list's evaluation steps (see compile.ts). Not part of the value. */
  steps: readonly Step[] | undefined = undefined;
  private cachedHash: Uint8Array | null = null;
  constructor(
    readonly head: Expr | null = null,
    readonly tail: Expr | null = null,
    readonly headHash: Uint8Array | null = null,
    readonly tailHash: Uint8Array | null = null,
  ) {
    this.size = (head === null ? 0 : head.size) + (tail === null ? 0 : tail.size);
    this.nodes =
      1 +
      (head === null ? 0 : head.tag === LINK_TAG ? head.nodes : 1) +
      (tail === null ? 0 : tail.tag === LINK_TAG ? tail.nodes : 1);
  }
  /** True for NIL (no head and no tail, materialised or by hash). */
  get isNil(): boolean {
    return (
      this.head === null && this.tail === null && isAbsentHash(this.headHash) && isAbsentHash(this.tailHash)
    );
  }
  hash(): Uint8Array {
    if (this.cachedHash === null) hashLinks(this);
    return this.cachedHash!;
  }
  serialize(): Uint8Array {
    return concat(
      TAG_BYTES[LINK_TAG]!,
      childHash(this.head, this.headHash),
      childHash(this.tail, this.tailHash),
    );
  }
  /** Internal: set by the iterative hasher. */
  setHash(h: Uint8Array): void {
    this.cachedHash = h;
  }
  hasHash(): boolean {
    return this.cachedHash !== null;
  }
}

export type Expr = SymbolExpr | BytesExpr | LinkExpr;

/** The empty list, Link(None, None). */
export const NIL: LinkExpr = new LinkExpr(null, null);

/** Seed-style constructors: `new Expr.Bytes(...)`, `Expr.NIL`, `x instanceof Expr.Link`. */
export const Expr = {
  Symbol: SymbolExpr,
  Bytes: BytesExpr,
  Link: LinkExpr,
  NIL,
} as const;

export const TRUE: BytesExpr = BytesExpr.fromInt(1);
export const FALSE: BytesExpr = BytesExpr.fromInt(0);

export function isAbsentHash(h: Uint8Array | null): boolean {
  if (h === null) return true;
  for (let i = 0; i < h.length; i++) if (h[i] !== 0) return false;
  return h.length === 32;
}

/** Builds the parser's right-chained list shape: [] -> NIL, [a] -> (a . None), [a, b, c] -> (a . (b . c)). */
export function listToExpr(items: readonly Expr[]): LinkExpr {
  if (items.length === 0) return NIL;
  if (items.length === 1) return new LinkExpr(items[0]!, null);
  let acc: Expr = items[items.length - 1]!;
  for (let i = items.length - 2; i >= 0; i--) acc = new LinkExpr(items[i]!, acc);
  return acc as LinkExpr;
}

function childHash(child: Expr | null, hash: Uint8Array | null): Uint8Array {
  if (child !== null) return child.hash();
  return hash !== null && hash.length === 32 ? hash : ZERO32;
}

/** Post-order hashing with an explicit stack: children first, then the pair. */
function hashLinks(root: LinkExpr): void {
  const pending: LinkExpr[] = [root];
  while (pending.length > 0) {
    const node = pending[pending.length - 1]!;
    if (node.hasHash()) {
      pending.pop();
      continue;
    }
    const h = node.head;
    const t = node.tail;
    let waiting = false;
    if (h !== null && h.tag === LINK_TAG && !h.hasHash()) {
      pending.push(h);
      waiting = true;
    }
    if (t !== null && t.tag === LINK_TAG && !t.hasHash()) {
      pending.push(t);
      waiting = true;
    }
    if (waiting) continue;
    const inner = blake3(childHash(h, node.headHash), childHash(t, node.tailHash));
    node.setHash(blake3(TAG_BYTES[LINK_TAG]!, inner));
    pending.pop();
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** UTF-8 length as TextEncoder would encode (lone surrogates become 3-byte U+FFFD). */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}
