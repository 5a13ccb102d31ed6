/* XTEA (64 rounds = 32 cycles) in CTR-like chaining over 512 blocks: encrypt, then decrypt and check. */
#include "lib/bench.h"

#define BLOCKS BENCH_SIZE(512u, 256u)

static uint32_t data[BLOCKS * 2];

static void encipher(uint32_t v[2], const uint32_t key[4]) {
  uint32_t v0 = v[0], v1 = v[1], sum = 0;
  const uint32_t delta = 0x9E3779B9u;
  for (int i = 0; i < 32; i++) {
    v0 += (((v1 << 4) ^ (v1 >> 5)) + v1) ^ (sum + key[sum & 3u]);
    sum += delta;
    v1 += (((v0 << 4) ^ (v0 >> 5)) + v0) ^ (sum + key[(sum >> 11) & 3u]);
  }
  v[0] = v0;
  v[1] = v1;
}

static void decipher(uint32_t v[2], const uint32_t key[4]) {
  uint32_t v0 = v[0], v1 = v[1];
  const uint32_t delta = 0x9E3779B9u;
  uint32_t sum = delta * 32u;
  for (int i = 0; i < 32; i++) {
    v1 -= (((v0 << 4) ^ (v0 >> 5)) + v0) ^ (sum + key[(sum >> 11) & 3u]);
    sum -= delta;
    v0 -= (((v1 << 4) ^ (v1 >> 5)) + v1) ^ (sum + key[sum & 3u]);
  }
  v[0] = v0;
  v[1] = v1;
}

uint32_t run(void) {
  uint32_t key[4] = { 0x01234567u, 0x89ABCDEFu, 0xFEDCBA98u, 0x76543210u };
  uint32_t seed = 0x9E3779B9u;
  for (uint32_t i = 0; i < BLOCKS * 2; i++) data[i] = bench_next(&seed);
  uint32_t plain_sum = 0;
  for (uint32_t i = 0; i < BLOCKS * 2; i++) plain_sum += data[i] * (i | 1u);
  uint32_t chain[2] = { 0, 0 };
  uint32_t check = 0;
  for (uint32_t b = 0; b < BLOCKS; b++) {
    data[2 * b] ^= chain[0];
    data[2 * b + 1] ^= chain[1];
    encipher(&data[2 * b], key);
    chain[0] = data[2 * b];
    chain[1] = data[2 * b + 1];
    check = (check * 31u) ^ chain[0] ^ (chain[1] >> 3);
  }
  for (uint32_t b = BLOCKS; b-- > 0;) {
    uint32_t prev0 = b > 0 ? data[2 * b - 2] : 0, prev1 = b > 0 ? data[2 * b - 1] : 0;
    decipher(&data[2 * b], key);
    data[2 * b] ^= prev0;
    data[2 * b + 1] ^= prev1;
  }
  uint32_t after_sum = 0;
  for (uint32_t i = 0; i < BLOCKS * 2; i++) after_sum += data[i] * (i | 1u);
  return check ^ (after_sum == plain_sum ? 0x600DF00Du : 0xBAD0BAD0u);
}
