/* Calls: naive recursive Fibonacci, Ackermann, and a tiny bytecode interpreter that dispatches every operation
   through a table of function pointers (call_indirect in wasm). */
#include "lib/bench.h"

static uint32_t fib(uint32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static uint32_t ack(uint32_t m, uint32_t n) {
  while (m != 0) {
    n = n == 0 ? 1 : ack(m, n - 1);
    m--;
  }
  return n + 1;
}

typedef uint32_t (*op_fn)(uint32_t acc, uint32_t arg);

static uint32_t op_add(uint32_t a, uint32_t b) { return a + b; }
static uint32_t op_sub(uint32_t a, uint32_t b) { return a - b; }
static uint32_t op_xor(uint32_t a, uint32_t b) { return a ^ b; }
static uint32_t op_mul(uint32_t a, uint32_t b) { return a * (b | 1u); }
static uint32_t op_rot(uint32_t a, uint32_t b) { return a << (b & 31u) | a >> ((32u - b) & 31u); }
static uint32_t op_shr(uint32_t a, uint32_t b) { return a ^ (a >> ((b & 15u) + 1u)); }
static uint32_t op_min(uint32_t a, uint32_t b) { return a < b ? a + 1u : b ^ a; }
static uint32_t op_mix(uint32_t a, uint32_t b) { return (a + 0x9E3779B9u) ^ (b * 0x85EBCA6Bu); }

/* Not const: the table is data, so neither compiler can resolve the calls. */
static op_fn ops[8] = { op_add, op_sub, op_xor, op_mul, op_rot, op_shr, op_min, op_mix };

#define PROG 256
static uint8_t code[PROG];
static uint32_t args[PROG];

uint32_t run(void) {
  uint32_t seed = 0xFACEB00Cu;
  for (int i = 0; i < PROG; i++) {
    uint32_t r = bench_next(&seed);
    code[i] = (uint8_t)(r & 7u);
    args[i] = r >> 3;
  }
  uint32_t acc = 1;
  for (int rep = 0; rep < 60; rep++)
    for (int pc = 0; pc < PROG; pc++) acc = ops[code[pc]](acc, args[pc]);
  uint32_t f = fib(20);
  /* the recursion is about 2n deep for ack(2, n): the micro:bit gives compiled code a 2 KiB stack */
  uint32_t a = ack(2, BENCH_SIZE(120u, 8u)) + ack(3, BENCH_SIZE(4u, 2u));
  return acc ^ (f * 31u) ^ (a << 16);
}
