// What a nonce search precomputes once per header template (facts §3.2: sha256d over the 172-byte
// fixint header, nonce at offset 160). The first 128 bytes are constant, so their SHA-256 state (the
// midstate) is computed once; block 3 (bytes 128..171 and the padding) has its nonce in words 8 and
// 9, so its rounds 0..7 are constant too. Each nonce then costs rounds 8..63 of block 3 and one
// compression of the 32-byte digest. Used by the WebAssembly kernel and the GPU shader (the native
// kernel does the same in C).

export const HEADER_SIZE = 172;
export const NONCE_OFFSET = 160;

export const SHA256_K: readonly number[] = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
];

export const SHA256_IV: readonly number[] = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/** A header template prepared for a nonce search. */
export interface SearchTemplate {
  /** SHA-256 state after header bytes 0..127. */
  readonly midstate: Uint32Array;
  /** State after rounds 0..7 of block 3 (from the midstate). */
  readonly state8: Uint32Array;
  /** Block 3 message words; words 8 and 9 (the nonce) are 0 here. */
  readonly block3: Uint32Array;
  /** Digest word i meets the difficulty when (H[i] & mask[i]) === 0 for all i. */
  readonly mask: Uint32Array;
  readonly difficulty: number;
}

const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));

/** Runs `rounds` rounds of SHA-256 on a copy of `state` with message block `w`; adds the feed-forward if all 64 ran. */
export function sha256Rounds(state: ArrayLike<number>, w16: ArrayLike<number>, rounds = 64): Uint32Array {
  const w = new Uint32Array(64);
  for (let i = 0; i < 16; i++) w[i] = w16[i]!;
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15]!;
    const y = w[i - 2]!;
    const s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3);
    const s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10);
    w[i] = w[i - 16]! + s0 + w[i - 7]! + s1;
  }
  let [a, b, c, d, e, f, g, h] = Array.from(state);
  for (let i = 0; i < rounds; i++) {
    const t1 =
      (h! + (rotr(e!, 6) ^ rotr(e!, 11) ^ rotr(e!, 25)) + ((e! & f!) ^ (~e! & g!)) + SHA256_K[i]! + w[i]!) |
      0;
    const t2 = ((rotr(a!, 2) ^ rotr(a!, 13) ^ rotr(a!, 22)) + ((a! & b!) ^ (a! & c!) ^ (b! & c!))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d! + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  const out = Uint32Array.of(a!, b!, c!, d!, e!, f!, g!, h!);
  if (rounds === 64) for (let i = 0; i < 8; i++) out[i] = out[i]! + state[i]!;
  return out;
}

function words(bytes: Uint8Array, offset: number, count: number): Uint32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Uint32Array(count);
  for (let i = 0; i < count && offset + 4 * i + 4 <= bytes.length; i++)
    out[i] = view.getUint32(offset + 4 * i);
  return out;
}

/** The mask form of the difficulty test (facts §3.3): the first `difficulty` hex digits are zero. */
export function difficultyMask(difficulty: number): Uint32Array {
  const mask = new Uint32Array(8);
  for (let i = 0; i < 8; i++) {
    const bits = Math.min(32, Math.max(0, difficulty * 4 - 32 * i));
    mask[i] = bits === 0 ? 0 : bits === 32 ? 0xffffffff : ~(0xffffffff >>> bits) >>> 0;
  }
  return mask;
}

export function prepareSearchTemplate(header: Uint8Array, difficulty: number): SearchTemplate {
  if (header.length !== HEADER_SIZE) throw new RangeError(`header hash input must be ${HEADER_SIZE} bytes`);
  let mid = sha256Rounds(SHA256_IV, words(header, 0, 16));
  mid = sha256Rounds(mid, words(header, 64, 16));
  const block3 = new Uint32Array(16);
  block3.set(words(header, 128, 11));
  block3[8] = 0;
  block3[9] = 0;
  block3[11] = 0x80000000;
  block3[15] = HEADER_SIZE * 8;
  return {
    midstate: mid,
    state8: sha256Rounds(mid, block3, 8),
    block3,
    mask: difficultyMask(difficulty),
    difficulty,
  };
}
