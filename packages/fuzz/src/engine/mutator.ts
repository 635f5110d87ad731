import { encodeVarint, minimalVarintWidth } from "./bincode-varint.js";
import type { Rng } from "./rng.js";

/** Values that sit on the edges decoders branch on (sizes, signs, safe-integer and u64 limits). */
const INTERESTING: readonly bigint[] = [
  0n,
  1n,
  2n,
  16n,
  32n,
  64n,
  100n,
  127n,
  128n,
  250n,
  251n,
  255n,
  256n,
  1000n,
  1024n,
  0x7fffn,
  0xffffn,
  0x1_0000n,
  0x7fff_ffffn,
  0xffff_ffffn,
  0x1_0000_0000n,
  2n ** 53n - 1n,
  2n ** 53n,
  2n ** 63n - 1n,
  2n ** 64n - 1n,
];

type Bytes = number[];
type Mutation = (b: Bytes, other: Bytes | undefined) => void;

/**
 * Byte-level mutations in the style of libFuzzer/AFL (bit flips, random and interesting bytes,
 * arithmetic, insert/delete/duplicate ranges, splicing with another corpus entry, dictionary
 * tokens) plus two aware of the bincode wire format: writing a varint (possibly padded) and
 * retuning a length prefix to the bytes that follow. One call stacks 1, 2, 4 or 8 of them.
 */
export class Mutator {
  private readonly mutations: readonly Mutation[];

  constructor(
    private readonly rng: Rng,
    private readonly dictionary: readonly Uint8Array[],
    private readonly maxLength: number,
  ) {
    const m: Mutation[] = [
      (b) => this.flipBit(b),
      (b) => this.randomByte(b),
      (b) => this.arithmetic(b),
      (b) => this.interestingInteger(b),
      (b) => this.insertRandom(b),
      (b) => this.deleteRange(b),
      (b) => this.duplicateRange(b),
      (b, o) => this.splice(b, o),
      (b) => this.varint(b),
      (b) => this.lengthPrefix(b),
      (b) => this.truncate(b),
    ];
    if (dictionary.length > 0)
      m.push(
        (b) => this.dictionaryToken(b),
        (b) => this.dictionaryToken(b),
      );
    this.mutations = m;
  }

  /** A mutated copy of `input`; `other` (another corpus entry) feeds splicing. */
  mutate(input: Uint8Array, other?: Uint8Array): Uint8Array {
    const b = Array.from(input);
    const o = other ? Array.from(other) : undefined;
    const rounds = 1 << this.rng.below(4);
    for (let i = 0; i < rounds; i++) this.rng.pick(this.mutations)(b, o);
    if (b.length > this.maxLength) b.length = this.maxLength;
    return Uint8Array.from(b);
  }

  private pos(b: Bytes, inclusiveEnd = false): number {
    return this.rng.below(b.length + (inclusiveEnd ? 1 : 0));
  }

  private flipBit(b: Bytes): void {
    if (b.length === 0) {
      b.push(this.rng.below(256));
      return;
    }
    const p = this.pos(b);
    b[p] = b[p]! ^ (1 << this.rng.below(8));
  }

  private randomByte(b: Bytes): void {
    if (b.length === 0) {
      b.push(this.rng.below(256));
      return;
    }
    b[this.pos(b)] = this.rng.below(256);
  }

  private arithmetic(b: Bytes): void {
    if (b.length === 0) return;
    const p = this.pos(b);
    const delta = 1 + this.rng.below(35);
    b[p] = (b[p]! + (this.rng.chance(0.5) ? delta : 256 - delta)) & 0xff;
  }

  /** An interesting value as a fixed-width integer, little- or big-endian, over existing bytes. */
  private interestingInteger(b: Bytes): void {
    const width = this.rng.pick([1, 2, 4, 8]);
    const v = this.rng.pick(INTERESTING);
    const bytes: number[] = [];
    for (let i = 0; i < width; i++) bytes.push(Number((v >> BigInt(8 * i)) & 0xffn));
    if (this.rng.chance(0.5)) bytes.reverse();
    this.overwrite(b, bytes);
  }

  private insertRandom(b: Bytes): void {
    const n = 1 + this.rng.below(8);
    const bytes = Array.from({ length: n }, () => this.rng.below(256));
    b.splice(this.pos(b, true), 0, ...bytes);
  }

  private deleteRange(b: Bytes): void {
    if (b.length === 0) return;
    const p = this.pos(b);
    const n = 1 + this.rng.below(Math.min(b.length - p, this.rng.chance(0.8) ? 8 : b.length));
    b.splice(p, n);
  }

  private duplicateRange(b: Bytes): void {
    if (b.length === 0) return;
    const from = this.pos(b);
    const n = 1 + this.rng.below(Math.min(b.length - from, 64));
    b.splice(this.pos(b, true), 0, ...b.slice(from, from + n));
  }

  /** Crossover: a chunk of another entry inserted here, or this entry's head on the other's tail. */
  private splice(b: Bytes, other: Bytes | undefined): void {
    if (!other || other.length === 0) {
      this.duplicateRange(b);
      return;
    }
    if (this.rng.chance(0.5)) {
      const from = this.rng.below(other.length);
      const n = 1 + this.rng.below(Math.min(other.length - from, 256));
      b.splice(this.pos(b, true), 0, ...other.slice(from, from + n));
    } else {
      const cut = this.pos(b, true);
      const otherCut = this.rng.below(other.length + 1);
      b.splice(cut, b.length - cut, ...other.slice(otherCut));
    }
  }

  /** A bincode varint (sometimes padded wider than needed), inserted or over existing bytes. */
  private varint(b: Bytes): void {
    const v = this.rng.chance(0.7)
      ? this.rng.pick(INTERESTING)
      : BigInt(this.rng.next()) * BigInt(this.rng.chance(0.3) ? this.rng.next() : 1);
    const minimal = minimalVarintWidth(v);
    const widths = ([8, 16, 32, 64] as const).filter((w) => w >= minimal);
    const bytes = encodeVarint(v, this.rng.chance(0.8) ? minimal : this.rng.pick(widths));
    if (this.rng.chance(0.5)) b.splice(this.pos(b, true), 0, ...bytes);
    else this.overwrite(b, bytes);
  }

  /** Treats a byte as a one-byte length prefix and sets it near the number of bytes after it. */
  private lengthPrefix(b: Bytes): void {
    if (b.length === 0) return;
    const p = this.pos(b);
    const after = b.length - p - 1;
    const target = Math.max(0, after + this.rng.below(9) - 4);
    b[p] = Math.min(target, 250);
  }

  private truncate(b: Bytes): void {
    if (b.length > 0) b.length = this.rng.below(b.length);
  }

  private dictionaryToken(b: Bytes): void {
    const token = Array.from(this.rng.pick(this.dictionary));
    if (this.rng.chance(0.5)) b.splice(this.pos(b, true), 0, ...token);
    else this.overwrite(b, token);
  }

  private overwrite(b: Bytes, bytes: readonly number[]): void {
    const p = this.pos(b, true);
    for (let i = 0; i < bytes.length; i++) b[p + i] = bytes[i]!;
  }
}
