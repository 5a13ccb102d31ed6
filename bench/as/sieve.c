/* The C twin of sieve.ts (AssemblyScript): the same algorithm, for the native and host baselines. */
#include "../c/lib/bench.h"

#define LIMIT BENCH_SIZE(40000u, 4000u)

static uint8_t flags[LIMIT];

uint32_t run(void) {
  uint32_t h = 0x811C9DC5u;
  for (uint32_t pass = 0; pass < 2; pass++) {
    uint32_t limit = LIMIT - pass * 1000u;
    memset(flags, 1, limit);
    flags[0] = 0;
    flags[1] = 0;
    for (uint32_t i = 2; i * i < limit; i++) {
      if (flags[i] != 0) {
        for (uint32_t j = i * i; j < limit; j += i) flags[j] = 0;
      }
    }
    uint32_t count = 0, prev = 2;
    for (uint32_t i = 2; i < limit; i++) {
      if (flags[i] != 0) {
        count++;
        h = (h ^ (i - prev)) * 0x01000193u;
        prev = i;
      }
    }
    h = (h ^ count) * 0x01000193u;
  }
  return h;
}
