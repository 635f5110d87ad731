/*
 * The plain C kernel for CPUs without the SHA extensions: several nonces at once in GCC/Clang vector
 * types (4 lanes anywhere; 8 with AVX2 and 16 with AVX-512 on x86, chosen at run time).
 */
#include "sha256_rounds.h"
#include "sha256d_search.h"

typedef uint32_t astram_v4 __attribute__((vector_size(16)));

#define VTYPE astram_v4
#define VLANES 4
#define VTARGET
#define VNAME astram_search_vec4
#include "search_vector_impl.h"
#undef VTYPE
#undef VLANES
#undef VTARGET
#undef VNAME

#if defined(__x86_64__) || defined(__i386__)
typedef uint32_t astram_v8 __attribute__((vector_size(32)));
typedef uint32_t astram_v16 __attribute__((vector_size(64)));

#define VTYPE astram_v8
#define VLANES 8
#define VTARGET __attribute__((target("avx2")))
#define VNAME astram_search_avx2
#include "search_vector_impl.h"
#undef VTYPE
#undef VLANES
#undef VTARGET
#undef VNAME

#define VTYPE astram_v16
#define VLANES 16
#define VTARGET __attribute__((target("avx512f,avx512vl")))
#define VNAME astram_search_avx512
#include "search_vector_impl.h"
#undef VTYPE
#undef VLANES
#undef VTARGET
#undef VNAME

int astram_cpu_has_avx2(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
}

int astram_cpu_has_avx512(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl");
}
#endif
