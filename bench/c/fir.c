/* f32 signal processing: a 16-tap low-pass FIR over 1024 generated samples, then a 2-pole IIR over its output.
   The checksum hashes the bit patterns of the outputs, so any rounding difference shows. */
#include "lib/bench.h"

#define SAMPLES BENCH_SIZE(1024, 256)
#define TAPS 16

static float input[SAMPLES], output[SAMPLES];
static float coef[TAPS];

static uint32_t bits(float f) {
  union { float f; uint32_t u; } c = { f };
  return c.u;
}

uint32_t run(void) {
  /* A windowed-sinc-like kernel built with arithmetic only (no libm). */
  float total = 0.0f;
  for (int k = 0; k < TAPS; k++) {
    float t = (float)(k - TAPS / 2) + 0.5f;
    float w = 1.0f - (t * t) / (float)(TAPS * TAPS / 4 + 1);
    coef[k] = w / (1.0f + 0.15f * t * t);
    total += coef[k];
  }
  for (int k = 0; k < TAPS; k++) coef[k] /= total;
  uint32_t seed = 0x13579BDFu;
  for (int i = 0; i < SAMPLES; i++) {
    float square = (i & 64) != 0 ? 1.0f : -1.0f;
    float noise = (float)(int32_t)(bench_next(&seed) >> 16) / 32768.0f - 1.0f;
    input[i] = square + 0.25f * noise;
  }
  for (int i = 0; i < SAMPLES; i++) {
    float acc = 0.0f;
    for (int k = 0; k < TAPS; k++) {
      int j = i - k;
      if (j >= 0) acc += coef[k] * input[j];
    }
    output[i] = acc;
  }
  float y1 = 0.0f, y2 = 0.0f;
  uint32_t h = 0x811C9DC5u;
  for (int i = 0; i < SAMPLES; i++) {
    float y = 0.5f * output[i] + 1.2f * y1 - 0.45f * y2;
    y2 = y1;
    y1 = y;
    h = (h ^ bits(output[i])) * 0x01000193u;
    h = (h ^ bits(y)) * 0x01000193u;
  }
  return h;
}
