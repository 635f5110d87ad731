/* SHA-256 constants, a plain compression function, template preparation and the winner check. */
#include <string.h>

#include "sha256d_search.h"
#include "sha256_rounds.h"

const uint32_t astram_sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

const uint32_t astram_sha256_iv[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

static uint32_t load_be32(const uint8_t* p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static void store_be32(uint8_t* p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}

void astram_sha256_compress(uint32_t state[8], const uint32_t w16[16]) {
  uint32_t w[16];
  memcpy(w, w16, sizeof w);
  uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
  uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
  SHA256_ROUNDS_0_7(a, b, c, d, e, f, g, h);
  SHA256_ROUNDS_8_15(a, b, c, d, e, f, g, h);
  SHA256_ROUNDS_16_63(a, b, c, d, e, f, g, h);
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
  state[4] += e;
  state[5] += f;
  state[6] += g;
  state[7] += h;
}

static uint32_t bswap32(uint32_t x) {
  return (x >> 24) | ((x >> 8) & 0xff00) | ((x << 8) & 0xff0000) | (x << 24);
}

void astram_template_init(astram_template* t, const uint8_t header[ASTRAM_HEADER_SIZE], uint32_t difficulty) {
  uint32_t w[16];
  memcpy(t->midstate, astram_sha256_iv, sizeof t->midstate);
  for (int blk = 0; blk < 2; blk++) {
    for (int i = 0; i < 16; i++) w[i] = load_be32(header + 64 * blk + 4 * i);
    astram_sha256_compress(t->midstate, w);
  }
  /* Block 3: bytes 128..171, then 0x80, zeros and the bit length 172 * 8. */
  for (int i = 0; i < 11; i++) t->block3[i] = load_be32(header + 128 + 4 * i);
  t->block3[8] = 0;
  t->block3[9] = 0;
  t->block3[11] = 0x80000000u;
  t->block3[12] = t->block3[13] = t->block3[14] = 0;
  t->block3[15] = ASTRAM_HEADER_SIZE * 8;
  /* Rounds 0..7 of block 3 use words 0..7 only, which do not depend on the nonce. */
  uint32_t a = t->midstate[0], b = t->midstate[1], c = t->midstate[2], d = t->midstate[3];
  uint32_t e = t->midstate[4], f = t->midstate[5], g = t->midstate[6], h = t->midstate[7];
  memcpy(w, t->block3, sizeof w);
  SHA256_ROUNDS_0_7(a, b, c, d, e, f, g, h);
  t->state8[0] = a;
  t->state8[1] = b;
  t->state8[2] = c;
  t->state8[3] = d;
  t->state8[4] = e;
  t->state8[5] = f;
  t->state8[6] = g;
  t->state8[7] = h;
  t->difficulty = difficulty;
  for (int i = 0; i < 8; i++) {
    int64_t bits = (int64_t)difficulty * 4 - 32 * i;
    t->mask[i] = bits <= 0 ? 0 : bits >= 32 ? 0xffffffffu : ~(0xffffffffu >> bits);
  }
}

void astram_header_hash(const astram_template* t, uint64_t nonce, uint8_t out[32]) {
  uint32_t s[8], w[16];
  memcpy(s, t->midstate, sizeof s);
  memcpy(w, t->block3, sizeof w);
  w[8] = bswap32((uint32_t)nonce);
  w[9] = bswap32((uint32_t)(nonce >> 32));
  astram_sha256_compress(s, w);
  for (int i = 0; i < 8; i++) w[i] = s[i];
  w[8] = 0x80000000u;
  for (int i = 9; i < 15; i++) w[i] = 0;
  w[15] = 256;
  memcpy(s, astram_sha256_iv, sizeof s);
  astram_sha256_compress(s, w);
  for (int i = 0; i < 8; i++) store_be32(out + 4 * i, s[i]);
}

int astram_meets(const astram_template* t, const uint8_t digest[32]) {
  uint32_t d = t->difficulty;
  if (d > 64) return 0;
  for (uint32_t i = 0; i < d / 2; i++)
    if (digest[i] != 0) return 0;
  return (d & 1) == 0 || (digest[d / 2] & 0xf0) == 0;
}
