/* f64 Mandelbrot set: escape-time iteration counts on a 20x12 grid (up to 48 iterations), plus the bit pattern of
   the last orbit value of every row. */
#include "lib/bench.h"

#define W 20
#define H 12
#define MAXIT 48

static uint64_t bits(double d) {
  union { double d; uint64_t u; } c = { d };
  return c.u;
}

uint32_t run(void) {
  uint32_t sum = 0;
  for (int py = 0; py < H; py++) {
    double ci = -1.2 + 2.4 * py / (H - 1);
    double last = 0.0;
    for (int px = 0; px < W; px++) {
      double cr = -2.1 + 2.8 * px / (W - 1);
      double zr = 0.0, zi = 0.0;
      int it = 0;
      while (it < MAXIT) {
        double zr2 = zr * zr, zi2 = zi * zi;
        if (zr2 + zi2 > 4.0) break;
        zi = 2.0 * zr * zi + ci;
        zr = zr2 - zi2 + cr;
        it++;
      }
      sum = sum * 3u + (uint32_t)it;
      last = zr + zi;
    }
    uint64_t b = bits(last);
    sum ^= (uint32_t)b ^ (uint32_t)(b >> 32);
  }
  return sum;
}
