/* A SipHash-2-4-shaped keyed hash (64-bit add/rotate/xor rounds) over 4 KiB of generated data, hashed in
   256 messages of growing length with per-message keys; exercises i64 rotates, shifts and little-endian loads. */
#include "lib/bench.h"

#define DATA BENCH_SIZE(4096u, 2048u)

static uint8_t data[DATA];

static inline uint64_t rotl(uint64_t x, unsigned b) { return (x << b) | (x >> (64u - b)); }

#define ROUND(v0, v1, v2, v3) \
  do { \
    v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32); \
    v2 += v3; v3 = rotl(v3, 16); v3 ^= v2; \
    v0 += v3; v3 = rotl(v3, 21); v3 ^= v0; \
    v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32); \
  } while (0)

static uint64_t load64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
  return v;
}

static uint64_t siphash(const uint8_t *msg, uint32_t len, uint64_t k0, uint64_t k1) {
  uint64_t v0 = k0 ^ 0x736F6D6570736575ull, v1 = k1 ^ 0x646F72616E646F6Dull;
  uint64_t v2 = k0 ^ 0x6C7967656E657261ull, v3 = k1 ^ 0x7465646279746573ull;
  uint32_t i = 0;
  for (; i + 8 <= len; i += 8) {
    uint64_t m = load64(msg + i);
    v3 ^= m;
    ROUND(v0, v1, v2, v3);
    ROUND(v0, v1, v2, v3);
    v0 ^= m;
  }
  uint64_t last = (uint64_t)len << 56;
  for (uint32_t j = 0; i + j < len; j++) last |= (uint64_t)msg[i + j] << (8 * j);
  v3 ^= last;
  ROUND(v0, v1, v2, v3);
  ROUND(v0, v1, v2, v3);
  v0 ^= last;
  v2 ^= 0xFF;
  for (int r = 0; r < 4; r++) ROUND(v0, v1, v2, v3);
  return v0 ^ v1 ^ v2 ^ v3;
}

uint64_t run(void) {
  uint32_t seed = 0x51F00D5u;
  for (uint32_t i = 0; i < DATA; i++) data[i] = (uint8_t)bench_next(&seed);
  uint64_t h = 0;
  for (uint32_t n = 0; n < 256; n++) {
    uint32_t len = (n * 13u) % 200u + 1u;
    uint32_t at = (n * 97u) % (DATA - len);
    h ^= rotl(siphash(data + at, len, h + n, ~h ^ ((uint64_t)n << 40)), n % 63u + 1u);
  }
  return h;
}
