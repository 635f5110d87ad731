/* The plain C kernel: one nonce at a time, midstate and the constant first 8 rounds reused. */
#include <string.h>

#include "sha256_rounds.h"
#include "sha256d_search.h"

static inline uint32_t bswap32(uint32_t x) {
  return (x >> 24) | ((x >> 8) & 0xff00) | ((x << 8) & 0xff0000) | (x << 24);
}

/* The first digest word of sha256d for one nonce (the others are recomputed for candidates). */
static inline uint32_t first_word(const astram_template* t, uint64_t nonce) {
  uint32_t w[16];
  memcpy(w, t->block3, sizeof w);
  w[8] = bswap32((uint32_t)nonce);
  w[9] = bswap32((uint32_t)(nonce >> 32));
  uint32_t a = t->state8[0], b = t->state8[1], c = t->state8[2], d = t->state8[3];
  uint32_t e = t->state8[4], f = t->state8[5], g = t->state8[6], h = t->state8[7];
  SHA256_ROUNDS_8_15(a, b, c, d, e, f, g, h);
  SHA256_ROUNDS_16_63(a, b, c, d, e, f, g, h);
  w[0] = a + t->midstate[0];
  w[1] = b + t->midstate[1];
  w[2] = c + t->midstate[2];
  w[3] = d + t->midstate[3];
  w[4] = e + t->midstate[4];
  w[5] = f + t->midstate[5];
  w[6] = g + t->midstate[6];
  w[7] = h + t->midstate[7];
  w[8] = 0x80000000u;
  w[9] = w[10] = w[11] = w[12] = w[13] = w[14] = 0;
  w[15] = 256;
  a = astram_sha256_iv[0], b = astram_sha256_iv[1], c = astram_sha256_iv[2], d = astram_sha256_iv[3];
  e = astram_sha256_iv[4], f = astram_sha256_iv[5], g = astram_sha256_iv[6], h = astram_sha256_iv[7];
  SHA256_ROUNDS_0_7(a, b, c, d, e, f, g, h);
  SHA256_ROUNDS_8_15(a, b, c, d, e, f, g, h);
  SHA256_ROUNDS_16_63(a, b, c, d, e, f, g, h);
  return a + astram_sha256_iv[0];
}

void astram_search_portable(const astram_template* t, uint64_t start, uint64_t count, astram_cancel c,
                            astram_result* r) {
  const uint32_t mask0 = t->mask[0];
  r->found = 0;
  for (uint64_t i = 0; i < count; i++) {
    uint64_t nonce = start + i;
    if ((first_word(t, nonce) & mask0) == 0) {
      astram_header_hash(t, nonce, r->hash);
      if (astram_meets(t, r->hash)) {
        r->found = 1;
        r->nonce = nonce;
        r->hashes = i + 1;
        return;
      }
    }
    if ((i & (ASTRAM_CANCEL_INTERVAL - 1)) == ASTRAM_CANCEL_INTERVAL - 1 && c.cancel != 0 &&
        *c.cancel != c.generation) {
      r->hashes = i + 1;
      return;
    }
  }
  r->hashes = count;
}
