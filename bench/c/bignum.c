/* 64-bit integer work: splitmix64 generates 48-limb (32-bit limbs) numbers, schoolbook multiplication with
   64-bit accumulators, a repeated modular reduction of the product by signed and unsigned 64-bit division,
   and a 64-bit mixing hash of everything. */
#include "lib/bench.h"

#define LIMBS 48

static uint32_t x[LIMBS], y[LIMBS], prod[2 * LIMBS];

static uint64_t splitmix64(uint64_t *state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static void mul(void) {
  for (int i = 0; i < 2 * LIMBS; i++) prod[i] = 0;
  for (int i = 0; i < LIMBS; i++) {
    uint64_t carry = 0;
    for (int j = 0; j < LIMBS; j++) {
      uint64_t t = (uint64_t)x[i] * y[j] + prod[i + j] + carry;
      prod[i + j] = (uint32_t)t;
      carry = t >> 32;
    }
    prod[i + LIMBS] = (uint32_t)carry;
  }
}

uint64_t run(void) {
  uint64_t state = 0x0123456789ABCDEFull;
  uint64_t h = 0xCBF29CE484222325ull;
  for (int round = 0; round < 12; round++) {
    for (int i = 0; i < LIMBS; i++) {
      uint64_t r = splitmix64(&state);
      x[i] = (uint32_t)r;
      y[i] = (uint32_t)(r >> 32);
    }
    mul();
    /* Horner evaluation of the product modulo a 61-bit prime-ish modulus, one limb (two 16-bit steps) at a time. */
    uint64_t m = (1ull << 61) - 1 - (uint64_t)round * 2;
    uint64_t acc = 0;
    for (int i = 2 * LIMBS - 1; i >= 0; i--) {
      acc = ((acc << 16) | (prod[i] >> 16)) % m;
      acc = ((acc << 16) | (prod[i] & 0xFFFFu)) % m;
    }
    int64_t s = (int64_t)(acc ^ state);
    int64_t d = (int64_t)(splitmix64(&state) >> 35) + 3;
    if (round & 1) d = -d;
    h = (h ^ acc) * 0x100000001B3ull;
    h = (h ^ (uint64_t)(s / d)) * 0x100000001B3ull;
    h = (h ^ (uint64_t)(s % d)) * 0x100000001B3ull;
  }
  return h;
}
