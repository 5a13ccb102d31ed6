/* f64 n-body: five bodies with made-up masses and orbits, 60 leapfrog steps, energy before and after.
   Square roots and divisions dominate; the checksum hashes the bit patterns of the final state. */
#include "lib/bench.h"

#define BODIES 5
#define STEPS 60

typedef struct {
  double x, y, z, vx, vy, vz, mass;
} body;

static body bodies[BODIES];

static uint64_t bits(double d) {
  union { double d; uint64_t u; } c = { d };
  return c.u;
}

static double energy(void) {
  double e = 0.0;
  for (int i = 0; i < BODIES; i++) {
    body *b = &bodies[i];
    e += 0.5 * b->mass * (b->vx * b->vx + b->vy * b->vy + b->vz * b->vz);
    for (int j = i + 1; j < BODIES; j++) {
      body *c = &bodies[j];
      double dx = b->x - c->x, dy = b->y - c->y, dz = b->z - c->z;
      e -= b->mass * c->mass / __builtin_sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return e;
}

static void advance(double dt) {
  for (int i = 0; i < BODIES; i++) {
    body *b = &bodies[i];
    for (int j = i + 1; j < BODIES; j++) {
      body *c = &bodies[j];
      double dx = b->x - c->x, dy = b->y - c->y, dz = b->z - c->z;
      double d2 = dx * dx + dy * dy + dz * dz;
      double mag = dt / (d2 * __builtin_sqrt(d2));
      b->vx -= dx * c->mass * mag;
      b->vy -= dy * c->mass * mag;
      b->vz -= dz * c->mass * mag;
      c->vx += dx * b->mass * mag;
      c->vy += dy * b->mass * mag;
      c->vz += dz * b->mass * mag;
    }
  }
  for (int i = 0; i < BODIES; i++) {
    body *b = &bodies[i];
    b->x += dt * b->vx;
    b->y += dt * b->vy;
    b->z += dt * b->vz;
  }
}

uint64_t run(void) {
  uint32_t seed = 0x0DDBA11u;
  for (int i = 0; i < BODIES; i++) {
    body *b = &bodies[i];
    double r = 1.0 + 2.5 * i;
    b->x = r * ((double)(bench_next(&seed) & 0xFFFF) / 65536.0 - 0.5);
    b->y = r;
    b->z = 0.1 * i;
    b->vx = 0.3 / r;
    b->vy = -0.1 * ((double)(bench_next(&seed) & 0xFF) / 256.0);
    b->vz = 0.01 * i;
    b->mass = i == 0 ? 40.0 : 0.05 * i;
  }
  double e0 = energy();
  for (int s = 0; s < STEPS; s++) advance(0.01);
  double e1 = energy();
  uint64_t h = bits(e0) ^ (bits(e1) * 3u);
  for (int i = 0; i < BODIES; i++) h = h * 0x100000001B3ull ^ bits(bodies[i].x) ^ bits(bodies[i].vy);
  return h;
}
