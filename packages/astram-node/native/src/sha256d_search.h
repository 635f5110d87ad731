/*
 * Nonce search for Astram block headers: sha256d over the 172-byte fixint header with the u64
 * little-endian nonce at offset 160 (facts 3.2). The first 128 bytes are constant for a template,
 * so their SHA-256 state (the midstate) is computed once; each nonce then costs two compressions:
 * the third block of the first hash (bytes 128..171 and padding) and the single block of the
 * second hash (32-byte digest and padding). The difficulty test is the byte/nibble test of
 * facts 3.3: the first d hex digits of the digest are zero.
 */
#ifndef ASTRAM_SHA256D_SEARCH_H
#define ASTRAM_SHA256D_SEARCH_H

#include <stdint.h>

#define ASTRAM_HEADER_SIZE 172
#define ASTRAM_NONCE_OFFSET 160
/* The kernels look at the cancel word once per this many nonces. */
#define ASTRAM_CANCEL_INTERVAL 65536u

typedef struct {
  uint32_t midstate[8];   /* SHA-256 state after bytes 0..127 */
  uint32_t state8[8];     /* state after the first 8 rounds of block 3 (its words 0..7 are constant) */
  uint32_t block3[16];    /* block 3 words, big-endian; words 8 and 9 (the nonce) are filled per nonce */
  uint32_t mask[8];       /* digest word i must satisfy (H[i] & mask[i]) == 0 */
  uint32_t difficulty;
} astram_template;

typedef struct {
  int found;
  uint64_t nonce;
  uint64_t hashes;        /* nonces tried, including the winning one */
  uint8_t hash[32];       /* digest of the winning nonce */
} astram_result;

/* Cancellation: the search stops when *cancel != generation (checked every ASTRAM_CANCEL_INTERVAL). */
typedef struct {
  const volatile int32_t* cancel;
  int32_t generation;
} astram_cancel;

extern const uint32_t astram_sha256_k[64];
extern const uint32_t astram_sha256_iv[8];

void astram_sha256_compress(uint32_t state[8], const uint32_t w16[16]);
void astram_template_init(astram_template* t, const uint8_t header[ASTRAM_HEADER_SIZE], uint32_t difficulty);
/* The full sha256d of the header with the given nonce (the reference used to confirm a winner). */
void astram_header_hash(const astram_template* t, uint64_t nonce, uint8_t out[32]);
int astram_meets(const astram_template* t, const uint8_t digest[32]);

/* Kernels: search `count` nonces from `start` (wrapping at 2^64), stop at the first winner. */
void astram_search_portable(const astram_template* t, uint64_t start, uint64_t count, astram_cancel c,
                            astram_result* r);
void astram_search_vec4(const astram_template* t, uint64_t start, uint64_t count, astram_cancel c,
                        astram_result* r);
#if defined(__x86_64__) || defined(__i386__)
int astram_cpu_has_shani(void);
int astram_cpu_has_avx2(void);
int astram_cpu_has_avx512(void);
void astram_search_shani(const astram_template* t, uint64_t start, uint64_t count, astram_cancel c,
                         astram_result* r);
void astram_search_avx2(const astram_template* t, uint64_t start, uint64_t count, astram_cancel c,
                        astram_result* r);
void astram_search_avx512(const astram_template* t, uint64_t start, uint64_t count, astram_cancel c,
                          astram_result* r);
#endif

#endif
