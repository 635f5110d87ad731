/*
 * Node-API binding of the nonce search kernels.
 *
 *   implementations(): string[]              e.g. ["sha-ni", "portable"], fastest first
 *   search(header, difficulty, startNonce, count, cancel, generation, implementation?)
 *     -> { found: boolean, nonce: bigint, hashes: number }
 *
 * header: Uint8Array of 172 bytes; startNonce: bigint (u64); count: number of nonces (< 2^53);
 * cancel: Int32Array (shared) whose element 0 is compared with generation every 65536 nonces, or
 * null. The search runs on the calling thread (a worker thread in the node).
 */
#include <node_api.h>
#include <string.h>

#include "sha256d_search.h"

#define CHECK(call)                                   \
  do {                                                \
    if ((call) != napi_ok) return throw_status(env);  \
  } while (0)

static napi_value throw_status(napi_env env) {
  const napi_extended_error_info* info = NULL;
  napi_get_last_error_info(env, &info);
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (!pending) napi_throw_error(env, "ASTRAM_KERNEL", info && info->error_message ? info->error_message : "N-API call failed");
  return NULL;
}

static napi_value type_error(napi_env env, const char* msg) {
  napi_throw_type_error(env, "ASTRAM_KERNEL_ARGUMENT", msg);
  return NULL;
}

typedef void (*search_fn)(const astram_template*, uint64_t, uint64_t, astram_cancel, astram_result*);

typedef struct {
  const char* name;
  search_fn fn;
} impl;

#define MAX_IMPLS 5

/* What this CPU can run, fastest first. */
static int available(impl out[MAX_IMPLS]) {
  int n = 0;
#if defined(__x86_64__) || defined(__i386__)
  if (astram_cpu_has_shani()) out[n++] = (impl){"sha-ni", astram_search_shani};
  if (astram_cpu_has_avx512()) out[n++] = (impl){"avx512", astram_search_avx512};
  if (astram_cpu_has_avx2()) out[n++] = (impl){"avx2", astram_search_avx2};
#endif
  out[n++] = (impl){"vec4", astram_search_vec4};
  out[n++] = (impl){"portable", astram_search_portable};
  return n;
}

static napi_value implementations(napi_env env, napi_callback_info info) {
  (void)info;
  impl list[MAX_IMPLS];
  int n = available(list);
  napi_value arr;
  CHECK(napi_create_array_with_length(env, (size_t)n, &arr));
  for (int i = 0; i < n; i++) {
    napi_value s;
    CHECK(napi_create_string_utf8(env, list[i].name, NAPI_AUTO_LENGTH, &s));
    CHECK(napi_set_element(env, arr, (uint32_t)i, s));
  }
  return arr;
}

static napi_value search(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 6) return type_error(env, "search(header, difficulty, startNonce, count, cancel, generation[, implementation])");

  napi_typedarray_type type;
  size_t length;
  void* data;
  napi_value ab;
  size_t offset;
  bool is_ta = false;
  CHECK(napi_is_typedarray(env, argv[0], &is_ta));
  if (!is_ta) return type_error(env, "header must be a Uint8Array");
  CHECK(napi_get_typedarray_info(env, argv[0], &type, &length, &data, &ab, &offset));
  if (type != napi_uint8_array || length != ASTRAM_HEADER_SIZE) return type_error(env, "header must be a 172-byte Uint8Array");
  uint8_t header[ASTRAM_HEADER_SIZE];
  memcpy(header, data, ASTRAM_HEADER_SIZE);

  uint32_t difficulty;
  if (napi_get_value_uint32(env, argv[1], &difficulty) != napi_ok) return type_error(env, "difficulty must be a number");

  uint64_t start;
  bool lossless;
  if (napi_get_value_bigint_uint64(env, argv[2], &start, &lossless) != napi_ok || !lossless)
    return type_error(env, "startNonce must be a bigint in [0, 2^64)");

  double count_d;
  if (napi_get_value_double(env, argv[3], &count_d) != napi_ok || !(count_d >= 0) || count_d > 9007199254740991.0)
    return type_error(env, "count must be a non-negative safe integer");
  uint64_t count = (uint64_t)count_d;

  astram_cancel cancel = {NULL, 0};
  napi_valuetype vt;
  CHECK(napi_typeof(env, argv[4], &vt));
  if (vt != napi_null && vt != napi_undefined) {
    CHECK(napi_is_typedarray(env, argv[4], &is_ta));
    if (!is_ta) return type_error(env, "cancel must be an Int32Array or null");
    CHECK(napi_get_typedarray_info(env, argv[4], &type, &length, &data, &ab, &offset));
    if (type != napi_int32_array || length < 1) return type_error(env, "cancel must be an Int32Array or null");
    cancel.cancel = (const volatile int32_t*)data;
  }
  if (napi_get_value_int32(env, argv[5], &cancel.generation) != napi_ok) return type_error(env, "generation must be a number");

  impl list[MAX_IMPLS];
  int n = available(list);
  search_fn fn = list[0].fn;
  if (argc >= 7) {
    CHECK(napi_typeof(env, argv[6], &vt));
    if (vt == napi_string) {
      char name[32];
      size_t len;
      CHECK(napi_get_value_string_utf8(env, argv[6], name, sizeof name, &len));
      fn = NULL;
      for (int i = 0; i < n; i++)
        if (strcmp(name, list[i].name) == 0) fn = list[i].fn;
      if (fn == NULL) return type_error(env, "unknown or unavailable kernel implementation");
    }
  }

  astram_template t;
  astram_template_init(&t, header, difficulty);
  astram_result r;
  memset(&r, 0, sizeof r);
  fn(&t, start, count, cancel, &r);

  napi_value out, v;
  CHECK(napi_create_object(env, &out));
  CHECK(napi_get_boolean(env, r.found != 0, &v));
  CHECK(napi_set_named_property(env, out, "found", v));
  CHECK(napi_create_bigint_uint64(env, r.found ? r.nonce : 0, &v));
  CHECK(napi_set_named_property(env, out, "nonce", v));
  CHECK(napi_create_double(env, (double)r.hashes, &v));
  CHECK(napi_set_named_property(env, out, "hashes", v));
  return out;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  if (napi_create_function(env, "implementations", NAPI_AUTO_LENGTH, implementations, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "implementations", fn) != napi_ok) return NULL;
  if (napi_create_function(env, "search", NAPI_AUTO_LENGTH, search, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "search", fn) != napi_ok) return NULL;
  return exports;
}
