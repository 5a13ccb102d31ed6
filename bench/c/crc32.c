/* CRC-32 (reflected, polynomial 0xEDB88320), table-driven, over a generated 16 KiB buffer, four passes. */
#include "lib/bench.h"

#define N BENCH_SIZE(16384u, 2048u)

static uint32_t table[256];
static uint8_t buf[N];

uint32_t run(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c & 1u) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  uint32_t seed = 0x2545F491u;
  for (uint32_t i = 0; i < N; i++) buf[i] = (uint8_t)(bench_next(&seed) >> 24);
  uint32_t sum = 0;
  for (uint32_t pass = 0; pass < 4; pass++) {
    uint32_t crc = 0xFFFFFFFFu;
    for (uint32_t i = 0; i < N; i++) crc = table[(crc ^ buf[i]) & 0xFFu] ^ (crc >> 8);
    crc = ~crc;
    sum = (sum << 5 | sum >> 27) ^ crc;
    buf[(crc >> 7) % N] ^= (uint8_t)crc; /* the next pass sees different data */
  }
  return sum;
}
