/* SHA-256 round macros shared by the plain C code paths (FIPS 180-4, section 6.2.2). */
#ifndef ASTRAM_SHA256_ROUNDS_H
#define ASTRAM_SHA256_ROUNDS_H

#define ROTR32(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define BSIG0(x) (ROTR32(x, 2) ^ ROTR32(x, 13) ^ ROTR32(x, 22))
#define BSIG1(x) (ROTR32(x, 6) ^ ROTR32(x, 11) ^ ROTR32(x, 25))
#define SSIG0(x) (ROTR32(x, 7) ^ ROTR32(x, 18) ^ ((x) >> 3))
#define SSIG1(x) (ROTR32(x, 17) ^ ROTR32(x, 19) ^ ((x) >> 10))
#define CH(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define MAJ(x, y, z) (((x) & (y)) | ((z) & ((x) | (y))))

/* Message word i >= 16, computed in place in a 16-word ring. */
#define SCHED(w, i) \
  (w[(i) & 15] += SSIG1(w[((i) - 2) & 15]) + w[((i) - 7) & 15] + SSIG0(w[((i) - 15) & 15]))

#define RND(a, b, c, d, e, f, g, h, i, wi)                                         \
  do {                                                                             \
    __typeof__(h) t1_ = (h) + BSIG1(e) + CH(e, f, g) + astram_sha256_k[i] + (wi);  \
    __typeof__(h) t2_ = BSIG0(a) + MAJ(a, b, c);                                   \
    (d) += t1_;                                                                    \
    (h) = t1_ + t2_;                                                               \
  } while (0)

#define RND8(a, b, c, d, e, f, g, h, i, W)         \
  RND(a, b, c, d, e, f, g, h, (i) + 0, W((i) + 0)); \
  RND(h, a, b, c, d, e, f, g, (i) + 1, W((i) + 1)); \
  RND(g, h, a, b, c, d, e, f, (i) + 2, W((i) + 2)); \
  RND(f, g, h, a, b, c, d, e, (i) + 3, W((i) + 3)); \
  RND(e, f, g, h, a, b, c, d, (i) + 4, W((i) + 4)); \
  RND(d, e, f, g, h, a, b, c, (i) + 5, W((i) + 5)); \
  RND(c, d, e, f, g, h, a, b, (i) + 6, W((i) + 6)); \
  RND(b, c, d, e, f, g, h, a, (i) + 7, W((i) + 7))

/* Round groups over a local 16-word array named `w` (words 0..15 direct, later ones scheduled). */
#define W_DIRECT(i) w[(i)]
#define W_SCHED(i) SCHED(w, i)
#define SHA256_ROUNDS_0_7(a, b, c, d, e, f, g, h) RND8(a, b, c, d, e, f, g, h, 0, W_DIRECT)
#define SHA256_ROUNDS_8_15(a, b, c, d, e, f, g, h) RND8(a, b, c, d, e, f, g, h, 8, W_DIRECT)
#define SHA256_ROUNDS_16_63(a, b, c, d, e, f, g, h) \
  RND8(a, b, c, d, e, f, g, h, 16, W_SCHED);         \
  RND8(a, b, c, d, e, f, g, h, 24, W_SCHED);         \
  RND8(a, b, c, d, e, f, g, h, 32, W_SCHED);         \
  RND8(a, b, c, d, e, f, g, h, 40, W_SCHED);         \
  RND8(a, b, c, d, e, f, g, h, 48, W_SCHED);         \
  RND8(a, b, c, d, e, f, g, h, 56, W_SCHED)

#endif
