/* Shared by every benchmark program: fixed-width types, the few libc functions the programs (or the compilers'
   loop-idiom passes) need, and a deterministic generator for inputs. The same source builds for wasm32 (clang,
   no libc), for the boards (arm-none-eabi-gcc, with lib/mem.c so the code under test is ours) and for the host
   (cc, with the host libc) -- the three checksums must agree. */
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <stdint.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);

/* The workload: BENCH_SMALL=1 builds the small one for boards with little RAM (the micro:bit: 16 KiB, 4 KiB of it
   for a program's data natively, bench/programs.ts), where every array fits in 4 KiB; otherwise the full one. */
#if defined(BENCH_SMALL) && BENCH_SMALL
#define BENCH_SIZE(full, small) (small)
#else
#define BENCH_SIZE(full, small) (full)
#endif

/* xorshift32: inputs are generated, never read from files, so every build sees identical data. */
static inline uint32_t bench_next(uint32_t *state) {
  uint32_t x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *state = x;
  return x;
}

/* The one entry point: each program defines `BENCH_RESULT run(void)`. */
#endif
