// The WGSL compute shader of the GPU miner: each invocation hashes `iters` consecutive nonces of a
// dispatch from the template's precomputed state (see sha256-midstate.ts) and records the smallest
// winning index with atomicMin, so a dispatch reports the same nonce a sequential search finds.

export const WORKGROUP_SIZE = 64;

/** Uniform block layout (u32 words): midstate 0..7, state8 8..15, block3 16..31, mask 32..39, then params. */
export const PARAM_WORDS = 44;
export const P_START_LO = 40;
export const P_START_HI = 41;
export const P_COUNT = 42;
export const P_ITERS = 43;
/** The result buffer's "nothing found" value. */
export const NOT_FOUND = 0xffffffff;

export const SEARCH_SHADER = /* wgsl */ `
struct Params {
  words: array<vec4<u32>, 11>,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> found: array<atomic<u32>, 1>;

const K = array<u32, 64>(
  0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
  0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
  0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
  0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
  0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
  0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
  0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
  0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u);

const IV = array<u32, 8>(0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
                         0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u);

fn word(i: u32) -> u32 {
  return params.words[i >> 2u][i & 3u];
}

fn rotr(x: u32, n: u32) -> u32 {
  return (x >> n) | (x << (32u - n));
}

fn bswap(x: u32) -> u32 {
  return (x >> 24u) | ((x >> 8u) & 0xff00u) | ((x << 8u) & 0xff0000u) | (x << 24u);
}

// Rounds first..63 of SHA-256 on state s with message block w (16 words); no feed-forward.
fn rounds(s: ptr<function, array<u32, 8>>, w: ptr<function, array<u32, 16>>, first: u32) {
  var a = (*s)[0]; var b = (*s)[1]; var c = (*s)[2]; var d = (*s)[3];
  var e = (*s)[4]; var f = (*s)[5]; var g = (*s)[6]; var h = (*s)[7];
  for (var i = first; i < 64u; i++) {
    var wi: u32;
    if (i < 16u) {
      wi = (*w)[i];
    } else {
      let w15 = (*w)[(i - 15u) & 15u];
      let w2 = (*w)[(i - 2u) & 15u];
      let s0 = rotr(w15, 7u) ^ rotr(w15, 18u) ^ (w15 >> 3u);
      let s1 = rotr(w2, 17u) ^ rotr(w2, 19u) ^ (w2 >> 10u);
      wi = (*w)[i & 15u] + s0 + (*w)[(i - 7u) & 15u] + s1;
      (*w)[i & 15u] = wi;
    }
    let t1 = h + (rotr(e, 6u) ^ rotr(e, 11u) ^ rotr(e, 25u)) + ((e & f) ^ (~e & g)) + K[i] + wi;
    let t2 = (rotr(a, 2u) ^ rotr(a, 13u) ^ rotr(a, 22u)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g; g = f; f = e; e = d + t1;
    d = c; c = b; b = a; a = t1 + t2;
  }
  (*s)[0] = a; (*s)[1] = b; (*s)[2] = c; (*s)[3] = d;
  (*s)[4] = e; (*s)[5] = f; (*s)[6] = g; (*s)[7] = h;
}

fn meets(index: u32) -> bool {
  let lo = word(40u) + index;
  let hi = word(41u) + select(0u, 1u, lo < word(40u));
  var s: array<u32, 8>;
  var w: array<u32, 16>;
  for (var i = 0u; i < 8u; i++) { s[i] = word(8u + i); }
  for (var i = 0u; i < 16u; i++) { w[i] = word(16u + i); }
  w[8] = bswap(lo);
  w[9] = bswap(hi);
  rounds(&s, &w, 8u);
  for (var i = 0u; i < 8u; i++) { w[i] = s[i] + word(i); }
  w[8] = 0x80000000u;
  for (var i = 9u; i < 15u; i++) { w[i] = 0u; }
  w[15] = 256u;
  for (var i = 0u; i < 8u; i++) { s[i] = IV[i]; }
  rounds(&s, &w, 0u);
  var miss = 0u;
  for (var i = 0u; i < 8u; i++) { miss = miss | ((s[i] + IV[i]) & word(32u + i)); }
  return miss == 0u;
}

@compute @workgroup_size(${WORKGROUP_SIZE})
fn search(@builtin(global_invocation_id) gid: vec3<u32>) {
  let count = word(42u);
  let iters = word(43u);
  let first = gid.x * iters;
  for (var j = 0u; j < iters; j++) {
    let index = first + j;
    if (index >= count || atomicLoad(&found[0]) < index) {
      return;
    }
    if (meets(index)) {
      atomicMin(&found[0], index);
      return;
    }
  }
}
`;
