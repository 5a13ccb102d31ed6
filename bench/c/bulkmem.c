/* Bulk memory: block moves and fills of varying sizes and alignments inside a 32 KiB arena (memory.copy and
   memory.fill when built with -mbulk-memory), with overlapping moves both ways, and a hash of the arena. */
#include "lib/bench.h"

#define ARENA BENCH_SIZE(32768u, 4096u)

static uint8_t arena[ARENA];

static uint32_t hash_arena(void) {
  uint32_t h = 0x811C9DC5u;
  const uint32_t *w = (const uint32_t *)(const void *)arena;
  for (uint32_t i = 0; i < ARENA / 4; i += 7) h = (h ^ w[i]) * 0x01000193u;
  return h;
}

uint32_t run(void) {
  uint32_t seed = 0xB00B1E5u;
  for (uint32_t i = 0; i < ARENA; i++) arena[i] = (uint8_t)i;
  uint32_t h = 0;
  for (uint32_t round = 0; round < 300; round++) {
    uint32_t r = bench_next(&seed);
    uint32_t len = 64u + (r & (ARENA / 16u - 1u));
    uint32_t src = (r >> 11) % (ARENA - len);
    uint32_t dst = bench_next(&seed) % (ARENA - len);
    switch (round & 3u) {
      case 0: memcpy(arena + ((dst + ARENA / 2) % (ARENA / 2 - len)), arena + (src % (ARENA / 2 - len)) + ARENA / 2, len); break;
      case 1: memmove(arena + dst, arena + src, len); break;
      case 2: memset(arena + dst, (int)(r >> 24), len); break;
      default: memmove(arena + src, arena + dst, len / 2); break;
    }
    if ((round & 31u) == 31u) h = h * 31u + hash_arena();
  }
  return h ^ hash_arena();
}
