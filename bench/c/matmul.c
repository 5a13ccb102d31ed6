/* Integer matrix multiply C = A * B (48x48, int32, wrapping), then C * A, with a transposed operand. */
#include "lib/bench.h"

#define N BENCH_SIZE(48, 16)

static int32_t ma[N][N], mb[N][N], mc[N][N], mt[N][N];

static void multiply(int32_t (*dst)[N], int32_t (*x)[N], int32_t (*y)[N]) {
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) mt[j][i] = y[i][j];
  for (int i = 0; i < N; i++) {
    for (int j = 0; j < N; j++) {
      int32_t acc = 0;
      for (int k = 0; k < N; k++) acc += x[i][k] * mt[j][k];
      dst[i][j] = acc;
    }
  }
}

uint32_t run(void) {
  uint32_t seed = 0xC0FFEEu;
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      ma[i][j] = (int32_t)(bench_next(&seed) % 201u) - 100;
      mb[i][j] = (int32_t)(bench_next(&seed) % 201u) - 100;
    }
  multiply(mc, ma, mb);
  multiply(mb, mc, ma);
  uint32_t sum = 0;
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) sum = (sum ^ (uint32_t)mb[i][j]) * 0x01000193u;
  return sum;
}
