/*
 * Host test driver for the runtime intrinsics (run by test/runtime/intrinsics.test.ts).
 *
 * The test generates, in a temporary directory:
 *   fn_table.inc  lines FN(c_function_name, KIND), the functions under test;
 *   vectors.txt   lines "<fn index> <arg0> <arg1> <arg2> <expect>", arguments as hex bits,
 *                 expect = "=<hex>" (exact bits), "C" (a canonical NaN of the result type),
 *                 "A" (an arithmetic NaN) or "T<code>" (a trap with that code).
 * It prints "RESULT <name> <passed> <failed>" per function and up to 5 "MISMATCH" lines
 * per function, and exits 0 when every vector passed.
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intrinsics.h"

enum kind {
  K_FF_F, K_DD_D, K_F_F, K_D_D, K_CMP_F, K_CMP_D,
  K_U32_U32, K_U64_U64,
  K_I32_F, K_U32_F, K_I64_F, K_U64_F, K_I32_D, K_U32_D, K_I64_D, K_U64_D,
  K_F_I32, K_F_U32, K_F_I64, K_F_U64, K_D_I32, K_D_U32, K_D_I64, K_D_U64,
  K_F_D, K_D_F,
  K_II_I32, K_UU_U32, K_LL_I64, K_UU_U64
};

typedef void (*any_fn)(void);

typedef struct {
  const char *name;
  enum kind kind;
  any_fn fn;
  unsigned long passed, failed;
} entry;

#define FN(name, kind) { #name, kind, (any_fn)name, 0, 0 },
static entry g_table[] = {
#include "fn_table.inc"
};
#undef FN

static const size_t g_count = sizeof g_table / sizeof g_table[0];

static jmp_buf g_trap_jump;
/* Reads of this size: each one is a semihosting call under QEMU (the micro:bit's 16 KiB of RAM take 1 KiB). */
#ifndef XW_DRIVER_INBUF
#define XW_DRIVER_INBUF (1 << 16)
#endif
static char g_inbuf[XW_DRIVER_INBUF];

/* The runtime core's hook, replaced by a longjmp back into run_one(). */
void xw_intrinsic_trap(uint32_t code)
{
  longjmp(g_trap_jump, (int)code);
}

static float F(uint64_t b) { return xw_f32_from_bits((uint32_t)b); }
static double D(uint64_t b) { return xw_f64_from_bits(b); }
static uint64_t BF(float f) { return xw_f32_to_bits(f); }
static uint64_t BD(double d) { return xw_f64_to_bits(d); }

static int result_is_f32(enum kind k)
{
  switch (k) {
    case K_FF_F: case K_F_F: case K_I32_F: case K_U32_F: case K_I64_F: case K_U64_F: case K_D_F: return 1;
    default: return 0;
  }
}

static int result_is_f64(enum kind k)
{
  switch (k) {
    case K_DD_D: case K_D_D: case K_I32_D: case K_U32_D: case K_I64_D: case K_U64_D: case K_F_D: return 1;
    default: return 0;
  }
}

static uint64_t call(const entry *e, const uint64_t *a)
{
  switch (e->kind) {
    case K_FF_F: return BF(((float (*)(float, float))e->fn)(F(a[0]), F(a[1])));
    case K_DD_D: return BD(((double (*)(double, double))e->fn)(D(a[0]), D(a[1])));
    case K_F_F: return BF(((float (*)(float))e->fn)(F(a[0])));
    case K_D_D: return BD(((double (*)(double))e->fn)(D(a[0])));
    case K_CMP_F: return (uint32_t)((int32_t (*)(int32_t, float, float))e->fn)((int32_t)a[0], F(a[1]), F(a[2]));
    case K_CMP_D: return (uint32_t)((int32_t (*)(int32_t, double, double))e->fn)((int32_t)a[0], D(a[1]), D(a[2]));
    case K_U32_U32: return ((uint32_t (*)(uint32_t))e->fn)((uint32_t)a[0]);
    case K_U64_U64: return ((uint64_t (*)(uint64_t))e->fn)(a[0]);
    case K_I32_F: return BF(((float (*)(int32_t))e->fn)((int32_t)(uint32_t)a[0]));
    case K_U32_F: return BF(((float (*)(uint32_t))e->fn)((uint32_t)a[0]));
    case K_I64_F: return BF(((float (*)(int64_t))e->fn)((int64_t)a[0]));
    case K_U64_F: return BF(((float (*)(uint64_t))e->fn)(a[0]));
    case K_I32_D: return BD(((double (*)(int32_t))e->fn)((int32_t)(uint32_t)a[0]));
    case K_U32_D: return BD(((double (*)(uint32_t))e->fn)((uint32_t)a[0]));
    case K_I64_D: return BD(((double (*)(int64_t))e->fn)((int64_t)a[0]));
    case K_U64_D: return BD(((double (*)(uint64_t))e->fn)(a[0]));
    case K_F_I32: return (uint32_t)((int32_t (*)(float))e->fn)(F(a[0]));
    case K_F_U32: return ((uint32_t (*)(float))e->fn)(F(a[0]));
    case K_F_I64: return (uint64_t)((int64_t (*)(float))e->fn)(F(a[0]));
    case K_F_U64: return ((uint64_t (*)(float))e->fn)(F(a[0]));
    case K_D_I32: return (uint32_t)((int32_t (*)(double))e->fn)(D(a[0]));
    case K_D_U32: return ((uint32_t (*)(double))e->fn)(D(a[0]));
    case K_D_I64: return (uint64_t)((int64_t (*)(double))e->fn)(D(a[0]));
    case K_D_U64: return ((uint64_t (*)(double))e->fn)(D(a[0]));
    case K_F_D: return BD(((double (*)(float))e->fn)(F(a[0])));
    case K_D_F: return BF(((float (*)(double))e->fn)(D(a[0])));
    case K_II_I32: return (uint32_t)((int32_t (*)(int32_t, int32_t))e->fn)((int32_t)(uint32_t)a[0], (int32_t)(uint32_t)a[1]);
    case K_UU_U32: return ((uint32_t (*)(uint32_t, uint32_t))e->fn)((uint32_t)a[0], (uint32_t)a[1]);
    case K_LL_I64: return (uint64_t)((int64_t (*)(int64_t, int64_t))e->fn)((int64_t)a[0], (int64_t)a[1]);
    case K_UU_U64: return ((uint64_t (*)(uint64_t, uint64_t))e->fn)(a[0], a[1]);
  }
  abort();
}

/* Calls e; returns 0 and sets *out, or returns the trap code. */
static int run_one(const entry *e, const uint64_t *args, uint64_t *out)
{
  int code = setjmp(g_trap_jump);
  if (code != 0) return code;
  *out = call(e, args);
  return 0;
}

/* Copies the next space-separated field of *p into buf (when given) and parses it as a number in `base`
 * (when `value` is given); advances *p. Returns 0 when there is no field or it does not fit. */
static int next_field(const char **p, char *buf, size_t size, uint64_t *value, int base)
{
  const char *s = *p;
  size_t n = 0;
  uint64_t v = 0;
  while (*s == ' ') s++;
  if (*s == '\0' || *s == '\n' || *s == '\r') return 0;
  while (*s != '\0' && *s != ' ' && *s != '\n' && *s != '\r') {
    char c = *s++;
    if (buf != NULL) {
      if (n + 1 >= size) return 0;
      buf[n] = c;
    }
    n++;
    if (value != NULL) {
      unsigned d = (c >= '0' && c <= '9') ? (unsigned)(c - '0') : (c >= 'a' && c <= 'f') ? (unsigned)(c - 'a' + 10) : 99u;
      if (d >= (unsigned)base) return 0;
      v = v * (uint64_t)base + d;
    }
  }
  if (buf != NULL) buf[n] = '\0';
  if (value != NULL) *value = v;
  *p = s;
  return 1;
}

static int matches(const entry *e, const char *expect, int trapped, uint64_t got)
{
  if (expect[0] == 'T') return trapped == atoi(expect + 1);
  if (trapped) return 0;
  if (expect[0] == '=') {
    const char *p = expect + 1;
    uint64_t want;
    return next_field(&p, NULL, 0, &want, 16) && got == want;
  }
  if (result_is_f32(e->kind)) {
    uint32_t u = (uint32_t)got & 0x7fffffffu;
    return expect[0] == 'C' ? u == 0x7fc00000u : (u & 0x7fc00000u) == 0x7fc00000u;
  }
  if (result_is_f64(e->kind)) {
    uint64_t u = got & 0x7fffffffffffffffull;
    return expect[0] == 'C' ? u == 0x7ff8000000000000ull : (u & 0x7ff8000000000000ull) == 0x7ff8000000000000ull;
  }
  return 0;
}

int main(int argc, char **argv)
{
  FILE *in;
  char line[256];
  size_t i;
  unsigned long total_failed = 0;

  /* the vector file is the last argument (picolibc's semihost crt0 puts a program name before QEMU's arguments) */
  if (argc < 2 || (in = fopen(argv[argc - 1], "r")) == NULL) {
    fprintf(stderr, "usage: driver vectors.txt\n");
    return 2;
  }
  /* large reads: each one is a semihosting call under QEMU */
  setvbuf(in, g_inbuf, _IOFBF, sizeof g_inbuf);
  while (fgets(line, sizeof line, in) != NULL) {
    uint64_t idx, args[3], got = 0;
    char expect[64];
    int trapped;
    entry *e;
    char a0[24], a1[24], a2[24];
    /* a hand-written split: sscanf/strtoull dominate the run time on an emulated core */
    const char *p = line;
    if (!next_field(&p, NULL, 0, &idx, 10) || !next_field(&p, a0, sizeof a0, &args[0], 16) ||
        !next_field(&p, a1, sizeof a1, &args[1], 16) || !next_field(&p, a2, sizeof a2, &args[2], 16) ||
        !next_field(&p, expect, sizeof expect, NULL, 16) || idx >= g_count) {
      fprintf(stderr, "bad vector line: %s", line);
      return 2;
    }
    e = &g_table[idx];
    trapped = run_one(e, args, &got);
    if (matches(e, expect, trapped, got)) {
      e->passed++;
    } else {
      if (e->failed < 5) {
        printf("MISMATCH %s args %s %s %s expected %s got %s%llx\n", e->name, a0, a1, a2, expect,
               trapped ? "trap " : "", trapped ? (unsigned long long)trapped : (unsigned long long)got);
      }
      e->failed++;
    }
  }
  fclose(in);
  for (i = 0; i < g_count; i++) {
    printf("RESULT %s %lu %lu\n", g_table[i].name, g_table[i].passed, g_table[i].failed);
    total_failed += g_table[i].failed;
  }
  return total_failed == 0 ? 0 : 1;
}
