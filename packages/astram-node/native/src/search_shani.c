/*
 * The x86 SHA extensions kernel. sha256rnds2 has a latency of several cycles, so LANES nonces are
 * hashed side by side to keep the unit busy. State is held in the instructions' ABEF/CDGH layout.
 * Compiled for every x86 target with a function-level target attribute; used only when CPUID
 * reports the extensions (astram_cpu_has_shani).
 */
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>
#include <string.h>

#include "sha256d_search.h"

#define LANES 3
#define SHANI __attribute__((target("sha,sse4.1,ssse3")))
#define INLINE static inline __attribute__((always_inline)) SHANI

int astram_cpu_has_shani(void) {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
  int ssse3 = (c >> 9) & 1, sse41 = (c >> 19) & 1;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
  int sha = (b >> 29) & 1;
  return ssse3 && sse41 && sha;
}

/* Words w0..w3 of a message block, lane i = word i. */
INLINE __m128i words(uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3) {
  return _mm_set_epi32((int)w3, (int)w2, (int)w1, (int)w0);
}

INLINE __m128i kvec(int g) {
  return _mm_loadu_si128((const __m128i*)(astram_sha256_k + 4 * g));
}

/*
 * Rounds 4*first .. 63 over LANES states. M holds message words 4k..4k+3 in slot k % 4; when
 * first > 0 the slots hold what the standard schedule would have left there after group first-1.
 */
INLINE void rounds(__m128i s0[LANES], __m128i s1[LANES], __m128i m[LANES][4], const int first) {
#pragma GCC unroll 16
  for (int g = first; g < 16; g++) {
    const __m128i k = kvec(g);
    __m128i msg[LANES];
#pragma GCC unroll 4
    for (int l = 0; l < LANES; l++) {
      msg[l] = _mm_add_epi32(m[l][g & 3], k);
      s1[l] = _mm_sha256rnds2_epu32(s1[l], s0[l], msg[l]);
    }
#pragma GCC unroll 4
    for (int l = 0; l < LANES; l++) {
      if (g >= 3 && g <= 14) {
        __m128i tmp = _mm_alignr_epi8(m[l][g & 3], m[l][(g - 1) & 3], 4);
        m[l][(g + 1) & 3] = _mm_add_epi32(m[l][(g + 1) & 3], tmp);
        m[l][(g + 1) & 3] = _mm_sha256msg2_epu32(m[l][(g + 1) & 3], m[l][g & 3]);
      }
      msg[l] = _mm_shuffle_epi32(msg[l], 0x0E);
      s0[l] = _mm_sha256rnds2_epu32(s0[l], s1[l], msg[l]);
      if (g >= 1 && g <= 12) m[l][(g - 1) & 3] = _mm_sha256msg1_epu32(m[l][(g - 1) & 3], m[l][g & 3]);
    }
  }
}

/* A plain state (a..h) into the ABEF / CDGH pair. */
static void to_abef(const uint32_t s[8], __m128i* abef, __m128i* cdgh) {
  *abef = _mm_set_epi32((int)s[0], (int)s[1], (int)s[4], (int)s[5]);
  *cdgh = _mm_set_epi32((int)s[2], (int)s[3], (int)s[6], (int)s[7]);
}

SHANI void astram_search_shani(const astram_template* t, uint64_t start, uint64_t count, astram_cancel c,
                               astram_result* r) {
  const uint32_t* b3 = t->block3;
  __m128i mid_abef, mid_cdgh, st8_abef, st8_cdgh, iv_abef, iv_cdgh;
  to_abef(t->midstate, &mid_abef, &mid_cdgh);
  to_abef(t->state8, &st8_abef, &st8_cdgh);
  to_abef(astram_sha256_iv, &iv_abef, &iv_cdgh);
  /* Block 3: slots 0 and 1 are constant; after groups 0 and 1 slot 0 holds msg1(W0..3, W4..7). */
  const __m128i b3_m0 = _mm_sha256msg1_epu32(words(b3[0], b3[1], b3[2], b3[3]), words(b3[4], b3[5], b3[6], b3[7]));
  const __m128i b3_m1 = words(b3[4], b3[5], b3[6], b3[7]);
  const __m128i b3_m3 = words(b3[12], b3[13], b3[14], b3[15]);
  const uint32_t w10 = b3[10], w11 = b3[11];
  const __m128i h2_m2 = words(0x80000000u, 0, 0, 0);
  const __m128i h2_m3 = words(0, 0, 0, 256);
  const uint32_t mask0 = t->mask[0];
  const uint32_t iv0 = astram_sha256_iv[0];
  const __m128i bswap = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);

  r->found = 0;
  uint64_t i = 0;
  uint64_t next_check = ASTRAM_CANCEL_INTERVAL;
  while (i < count) {
    __m128i s0[LANES], s1[LANES], m[LANES][4];
    uint64_t base = start + i;
    for (int l = 0; l < LANES; l++) {
      uint64_t n = base + (uint64_t)l;
      /* Words 8..11: nonce low, nonce high (each byte-swapped), difficulty, padding. */
      __m128i w = _mm_set_epi32((int)w11, (int)w10, (int)(uint32_t)(n >> 32), (int)(uint32_t)n);
      w = _mm_blend_epi16(_mm_shuffle_epi8(w, bswap), w, 0xF0);
      m[l][0] = b3_m0;
      m[l][1] = b3_m1;
      m[l][2] = w;
      m[l][3] = b3_m3;
      s0[l] = st8_abef;
      s1[l] = st8_cdgh;
    }
    rounds(s0, s1, m, 2);
    for (int l = 0; l < LANES; l++) {
      __m128i abef = _mm_add_epi32(s0[l], mid_abef);
      __m128i cdgh = _mm_add_epi32(s1[l], mid_cdgh);
      /* Digest words A..D and E..H become the second hash's message words 0..3 and 4..7. */
      m[l][0] = _mm_shuffle_epi32(_mm_unpackhi_epi64(cdgh, abef), 0x1B);
      m[l][1] = _mm_shuffle_epi32(_mm_unpacklo_epi64(cdgh, abef), 0x1B);
      m[l][2] = h2_m2;
      m[l][3] = h2_m3;
      s0[l] = iv_abef;
      s1[l] = iv_cdgh;
    }
    rounds(s0, s1, m, 0);
    for (int l = 0; l < LANES; l++) {
      uint32_t h0 = (uint32_t)_mm_extract_epi32(s0[l], 3) + iv0;
      if ((h0 & mask0) == 0 && i + (uint64_t)l < count) {
        uint64_t nonce = base + (uint64_t)l;
        astram_header_hash(t, nonce, r->hash);
        if (astram_meets(t, r->hash)) {
          r->found = 1;
          r->nonce = nonce;
          r->hashes = i + (uint64_t)l + 1;
          return;
        }
      }
    }
    i += LANES;
    if (i >= next_check) {
      next_check += ASTRAM_CANCEL_INTERVAL;
      if (c.cancel != 0 && *c.cancel != c.generation) break;
    }
  }
  r->hashes = i < count ? i : count;
}
#endif
