/*
 * Template of the plain C multi-lane kernel (included by search_vector.c once per vector width):
 * VLANES nonces per step in the lanes of a GCC vector type, which the compiler maps to whatever
 * SIMD unit the target attribute allows (SSE2, AVX2, AVX-512) or to scalar code. Expects VTYPE,
 * VLANES, VTARGET (an attribute) and VNAME.
 */
VTARGET void VNAME(const astram_template* t, uint64_t start, uint64_t count, astram_cancel c,
                   astram_result* r) {
  typedef VTYPE vec;
  const uint32_t mask0 = t->mask[0];
  vec iota;
  for (int l = 0; l < VLANES; l++) iota[l] = (uint32_t)l;
  r->found = 0;
  uint64_t i = 0;
  uint64_t next_check = ASTRAM_CANCEL_INTERVAL;
  while (i < count) {
    const uint64_t base = start + i;
    const uint32_t base_lo = (uint32_t)base;
    const vec lo = iota + base_lo;
    /* Lanes whose low word wrapped carry into the high word (the comparison gives -1 there). */
    const vec hi = ((vec){0} + (uint32_t)(base >> 32)) - (vec)(lo < base_lo);
    vec w[16];
    for (int k = 0; k < 16; k++) w[k] = (vec){0} + t->block3[k];
    w[8] = (lo >> 24) | ((lo >> 8) & 0xff00) | ((lo << 8) & 0xff0000) | (lo << 24);
    w[9] = (hi >> 24) | ((hi >> 8) & 0xff00) | ((hi << 8) & 0xff0000) | (hi << 24);
    vec a = (vec){0} + t->state8[0], b = (vec){0} + t->state8[1], cc = (vec){0} + t->state8[2];
    vec d = (vec){0} + t->state8[3], e = (vec){0} + t->state8[4], f = (vec){0} + t->state8[5];
    vec g = (vec){0} + t->state8[6], h = (vec){0} + t->state8[7];
    SHA256_ROUNDS_8_15(a, b, cc, d, e, f, g, h);
    SHA256_ROUNDS_16_63(a, b, cc, d, e, f, g, h);
    w[0] = a + t->midstate[0];
    w[1] = b + t->midstate[1];
    w[2] = cc + t->midstate[2];
    w[3] = d + t->midstate[3];
    w[4] = e + t->midstate[4];
    w[5] = f + t->midstate[5];
    w[6] = g + t->midstate[6];
    w[7] = h + t->midstate[7];
    w[8] = (vec){0} + 0x80000000u;
    for (int k = 9; k < 15; k++) w[k] = (vec){0};
    w[15] = (vec){0} + 256u;
    a = (vec){0} + astram_sha256_iv[0], b = (vec){0} + astram_sha256_iv[1];
    cc = (vec){0} + astram_sha256_iv[2], d = (vec){0} + astram_sha256_iv[3];
    e = (vec){0} + astram_sha256_iv[4], f = (vec){0} + astram_sha256_iv[5];
    g = (vec){0} + astram_sha256_iv[6], h = (vec){0} + astram_sha256_iv[7];
    SHA256_ROUNDS_0_7(a, b, cc, d, e, f, g, h);
    SHA256_ROUNDS_8_15(a, b, cc, d, e, f, g, h);
    SHA256_ROUNDS_16_63(a, b, cc, d, e, f, g, h);
    const vec miss = (a + astram_sha256_iv[0]) & mask0;
    uint32_t any_zero = 0;
    for (int l = 0; l < VLANES; l++) any_zero |= (miss[l] == 0);
    if (any_zero) {
      for (int l = 0; l < VLANES; l++) {
        if (miss[l] != 0 || i + (uint64_t)l >= count) continue;
        const uint64_t nonce = base + (uint64_t)l;
        astram_header_hash(t, nonce, r->hash);
        if (astram_meets(t, r->hash)) {
          r->found = 1;
          r->nonce = nonce;
          r->hashes = i + (uint64_t)l + 1;
          return;
        }
      }
    }
    i += VLANES;
    if (i >= next_check) {
      next_check += ASTRAM_CANCEL_INTERVAL;
      if (c.cancel != 0 && *c.cancel != c.generation) break;
    }
  }
  r->hashes = i < count ? i : count;
}
