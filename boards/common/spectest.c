#include "spectest.h"
#include "semihost.h"

/* Each call prints `P <name> <type>:<bits>...`; the driver collects these lines, the spec only needs the calls
   to succeed. */
static void print_values(const char *name, const char *types, const uint64_t *slots) {
  out_str("P ");
  out_str(name);
  for (uint32_t i = 0; types[i] != '\0'; i++) {
    switch (types[i]) {
    case 'i': out_str(" i32:"); out_hex32((uint32_t)slots[i]); break;
    case 'I': out_str(" i64:"); out_hex64(slots[i]); break;
    case 'f': out_str(" f32:"); out_hex32((uint32_t)slots[i]); break;
    default: out_str(" f64:"); out_hex64(slots[i]); break;
    }
  }
  out_end();
}

static void host_print(xw_exec_env *env, uint64_t *slots, const void *data) {
  (void)env;
  const char *const *desc = (const char *const *)data; /* { name, value types } */
  print_values(desc[0], desc[1], slots);
}

static const char *const d_print[2] = { "print", "" };
static const char *const d_print_i32[2] = { "print_i32", "i" };
static const char *const d_print_i64[2] = { "print_i64", "I" };
static const char *const d_print_f32[2] = { "print_f32", "f" };
static const char *const d_print_f64[2] = { "print_f64", "F" };
static const char *const d_print_i32_f32[2] = { "print_i32_f32", "if" };
static const char *const d_print_f64_f64[2] = { "print_f64_f64", "FF" };

const xw_host_func spectest_funcs[] = {
  { "spectest", "print", "->", host_print, d_print },
  { "spectest", "print_i32", "i->", host_print, d_print_i32 },
  { "spectest", "print_i64", "I->", host_print, d_print_i64 },
  { "spectest", "print_f32", "f->", host_print, d_print_f32 },
  { "spectest", "print_f64", "F->", host_print, d_print_f64 },
  { "spectest", "print_i32_f32", "if->", host_print, d_print_i32_f32 },
  { "spectest", "print_f64_f64", "FF->", host_print, d_print_f64_f64 },
};

const uint32_t spectest_func_count = sizeof spectest_funcs / sizeof spectest_funcs[0];
