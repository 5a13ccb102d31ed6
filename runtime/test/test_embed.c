/*
 * Host tests of the embedding API: contexts (no global state, interleaved calls across contexts), natives by
 * WAMR signature (every letter, every error), WASI preview1 (every function, bad pointers and lengths),
 * proc_exit, and xw_interrupt at the runtime's safe points. Run from test_main.c on the basic fixture.
 */
#include <stdio.h>
#include <stdlib.h>
#include "internal.h"

extern int failures, checks;
extern xw_context ctx;
extern xw_instance *basic;
extern xw_module basic_mod;
static xw_context ctx2;
#define CHECK(c) do { checks++; if (!(c)) { failures++; fprintf(stderr, "%s:%d: CHECK failed: %s (ctx: %s | ctx2: %s)\n", __FILE__, __LINE__, #c, xw_last_message(&ctx), xw_last_message(&ctx2)); } } while (0)
#define CHECK_EQ(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); checks++; if (a_ != b_) { failures++; fprintf(stderr, "%s:%d: %s == %lld, want %s == %lld (ctx: %s | ctx2: %s)\n", __FILE__, __LINE__, #a, a_, #b, b_, xw_last_message(&ctx), xw_last_message(&ctx2)); } } while (0)
#define CHECK_MSG(c, text) do { checks++; if (strcmp(xw_last_message(c), text) != 0) { failures++; fprintf(stderr, "%s:%d: message \"%s\", want \"%s\"\n", __FILE__, __LINE__, xw_last_message(c), text); } } while (0)

#define ARENA (2u * 65536u)
static union { uint64_t align; uint8_t bytes[ARENA]; } arena_b, arena_c;

static xw_value i32v(int32_t v) { xw_value x; x.type = XW_I32; x.of.i64 = 0; x.of.i32 = v; return x; }

/* ---- natives ---- */
static int tag_a, tag_b;
static xw_instance *inst_b;
static xw_result inner_r;
static xw_trap_code inner_trap;

static int32_t n_reenter(xw_exec_env *env, int32_t a, int32_t b) {
  CHECK(xw_native_attachment(env) == &tag_a);
  CHECK(xw_env_instance(env) == inst_b);
  if (a == 77) {
    /* a host function of ctx2's instance calls ctx's instance, which traps: ctx records it, ctx2 does not */
    xw_value r;
    inner_r = xw_call(basic, "trapper", NULL, 0, NULL, 0);
    inner_trap = xw_last_trap(&ctx);
    CHECK(ctx.frame == NULL && ctx2.frame != NULL);
    CHECK(xw_native_attachment(env) == &tag_a);
    (void)r;
  }
  if (a == 78) {
    /* ... and calls back into its own instance (nested in ctx2), whose native traps */
    xw_value args[2];
    const xw_call_frame *outer = ctx2.frame;
    args[0] = i32v(13); args[1] = i32v(0);
    inner_r = xw_call(inst_b, "add_import", args, 2, args, 1);
    inner_trap = xw_last_trap(&ctx2);
    CHECK(ctx2.frame == outer);
  }
  if (a == 13) xw_env_trap(env, "unlucky");
#if XW_ENABLE_INTERRUPT
  if (a == 99) xw_interrupt(inst_b); /* stopped when this native returns */
#else
  if (a == 99) ctx2.interrupt = 1;   /* nothing looks at it in this build */
#endif
  return a + b + 2000;
}

static double n_mix(xw_exec_env *env, int64_t a, float b, double c, int32_t d) {
  CHECK(xw_native_attachment(env) == &tag_b);
  return (double)a + (double)b + c + (double)d;
}
static float n_f32(xw_exec_env *env, float x) { (void)env; return x * 2.0f; }
static int64_t n_i64(xw_exec_env *env, int64_t x) { (void)env; return (int64_t)((uint64_t)x - 1u); }
static uint8_t *seen_ptr;
static int32_t n_buf(xw_exec_env *env, uint8_t *p, uint32_t len) {
  int32_t sum = 0;
  uint32_t i;
  (void)env;
  seen_ptr = p;
  for (i = 0; i < len; i++) sum += p[i];
  return sum;
}
static int64_t n_str(xw_exec_env *env, const char *s) { (void)env; seen_ptr = (uint8_t *)(uintptr_t)s; return (int64_t)strlen(s); }
static void n_one(xw_exec_env *env, uint8_t *p) { (void)env; p[0] = 0x5a; }
/* 16 parameters: 6 integers, 4 i64, 3 f32, 3 f64: exhausts the registers on both ABIs */
static double n_many(xw_exec_env *env, int32_t a, int64_t b, int32_t c, int64_t d, float e, double f, float g, double h,
                     int32_t i, int64_t j, int32_t k, int64_t l, float m, double n, int32_t o, int32_t p) {
  (void)env;
  return a + 2.0 * (double)b + 3.0 * c + 4.0 * (double)d + 5.0 * e + 6.0 * f + 7.0 * g + 8.0 * h + 9.0 * i + 10.0 * (double)j
       + 11.0 * k + 12.0 * (double)l + 13.0 * m + 14.0 * n + 15.0 * o + 16.0 * p;
}

static const xw_native_symbol env_natives[] = {
  { "add", (void *)(uintptr_t)n_reenter, "(ii)i", &tag_a },
};
static const xw_native_symbol test_natives[] = {
  { "mix", (void *)(uintptr_t)n_mix, "(IfFi)F", &tag_b },
  { "f32", (void *)(uintptr_t)n_f32, "(f)f", NULL },
  { "i64", (void *)(uintptr_t)n_i64, "(I)I", NULL },
  { "buf", (void *)(uintptr_t)n_buf, "(*~)i", NULL },
  { "str", (void *)(uintptr_t)n_str, "($)I", NULL },
  { "one", (void *)(uintptr_t)n_one, "(*)", NULL },
  { "many", (void *)(uintptr_t)n_many, "(iIiIfFfFiIiIfFii)F", NULL },
};

/* Runs a raw import function (a native adapter or a WASI function) as compiled code would, under a call frame. */
typedef struct { xw_raw_fn fn; const void *data; uint64_t *slots; } raw_call;
static void do_raw(xw_exec_env *env, uint64_t *slots, const void *data) {
  const raw_call *rc = (const raw_call *)data;
  (void)slots;
  rc->fn(env, rc->slots, rc->data);
}
static xw_result raw(xw_instance *inst, xw_raw_fn fn, const void *data, uint64_t *slots) {
  raw_call rc;
  uint64_t dummy = 0;
  rc.fn = fn; rc.data = data; rc.slots = slots;
  return xw_run_entry(inst, do_raw, &inst->env, &dummy, &rc, 1);
}
static uint64_t f32bits(float f) { uint32_t b; memcpy(&b, &f, 4); return b; }
static uint64_t f64bits(double d) { uint64_t b; memcpy(&b, &d, 8); return b; }
static double bitsf64(uint64_t b) { double d; memcpy(&d, &b, 8); return d; }

static void test_signature_strings(void) {
  static const struct { const char *sig; const char *why; } bad[] = {
    { "ii)i", "must start with '('" }, { "(ii", "no ')'" }, { "(ix)i", "unknown parameter letter (i I f F * ~ $)" },
    { "(~)", "'~' must follow '*'" }, { "(i~)", "'~' must follow '*'" }, { "(i)ii", "more than one result" },
    { "(i)*", "the result must be one of i I f F" }, { "(iiiiiiiiiiiiiiiii)", "more than 16 parameters" },
  };
  static const char *const good[] = { "()", "(ii)i", "(I)I", "(f)f", "(F)F", "(*~)", "(*)i", "($)", "(*~*~$)i", "(iiiiiiiiiiiiiiii)" };
  xw_native_group g;
  xw_native_symbol sym;
  uint32_t i;
  char want[160];
  for (i = 0; i < sizeof good / sizeof good[0]; i++) CHECK(xw_native_sig_error(good[i]) == NULL);
  sym.symbol = "f"; sym.func_ptr = (void *)(uintptr_t)n_one; sym.attachment = NULL;
  for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    CHECK(xw_native_sig_error(bad[i].sig) != NULL && strcmp(xw_native_sig_error(bad[i].sig), bad[i].why) == 0);
    sym.signature = bad[i].sig;
    CHECK_EQ(xw_register_natives(&ctx2, &g, "m", &sym, 1), XW_ERR_ARGUMENT);
    snprintf(want, sizeof want, "native m.f: bad signature \"%s\": %s", bad[i].sig, bad[i].why);
    CHECK_MSG(&ctx2, want);
  }
  sym.signature = NULL;
  CHECK_EQ(xw_register_natives(&ctx2, &g, "m", &sym, 1), XW_ERR_ARGUMENT);
  CHECK_MSG(&ctx2, "native m.f: NULL name, function or signature");
  CHECK_EQ(xw_register_natives(&ctx2, NULL, "m", &sym, 1), XW_ERR_ARGUMENT);
  CHECK(ctx2.natives == NULL);
}

static void test_natives_and_contexts(void) {
  static xw_native_group env_group, test_group, wrong_group;
  static const xw_native_symbol wrong[] = { { "add", (void *)(uintptr_t)n_reenter, "(iI)i", NULL } };
  static const xw_native_symbol wrong2[] = { { "add", (void *)(uintptr_t)n_reenter, "(ii)", NULL } };
  xw_config c;
  xw_value args[2], res[1];
  uint64_t s[16];
  uint8_t *mem;
  uint32_t i;
  xw_context_init(&ctx2);
  test_signature_strings();
  xw_context_init(&ctx2);
  memset(&c, 0, sizeof c);
  c.ram = arena_b.bytes;
  c.ram_size = ARENA;
  c.max_memory_pages = 1;
  /* resolution errors name the import, its Wasm type and the expected signature */
  CHECK_EQ(xw_register_natives(&ctx2, &wrong_group, "env", wrong, 1), XW_OK);
  CHECK_EQ(xw_instantiate(&ctx2, &inst_b, &basic_mod, &c), XW_ERR_UNLINKABLE);
  CHECK_MSG(&ctx2, "incompatible import type: env.add: Wasm type (i32, i32) -> (i32), native signature (iI)i");
  CHECK_EQ(xw_register_natives(&ctx2, &wrong_group, "env", wrong, 1), XW_ERR_BUSY);
  xw_context_init(&ctx2);
  CHECK_EQ(xw_register_natives(&ctx2, &wrong_group, "env", wrong2, 1), XW_OK);
  CHECK_EQ(xw_instantiate(&ctx2, &inst_b, &basic_mod, &c), XW_ERR_UNLINKABLE);
  CHECK_MSG(&ctx2, "incompatible import type: env.add: Wasm type (i32, i32) -> (i32), native signature (ii)");
  xw_context_init(&ctx2);
  CHECK_EQ(xw_instantiate(&ctx2, &inst_b, &basic_mod, &c), XW_ERR_UNLINKABLE);
  CHECK_MSG(&ctx2, "unknown import: env.add");
  c.ram_size = 100;
  CHECK_EQ(xw_instantiate(&ctx2, &inst_b, &basic_mod, &c), XW_ERR_NO_ROOM);
  CHECK(strncmp(xw_last_message(&ctx2), "arena too small: 100 bytes given, ", 34) == 0 && strstr(xw_last_message(&ctx2), " needed") != NULL);
  c.ram_size = ARENA;
  CHECK_EQ(xw_register_natives(&ctx2, &env_group, "env", env_natives, 1), XW_OK);
  CHECK_EQ(xw_register_natives(&ctx2, &test_group, "test", test_natives, sizeof test_natives / sizeof test_natives[0]), XW_OK);
  CHECK_EQ(xw_instantiate(&ctx2, &inst_b, &basic_mod, &c), XW_OK);
  if (inst_b == NULL) return;
  CHECK(xw_instance_context(inst_b) == &ctx2 && xw_instance_context(basic) == &ctx);
  mem = inst_b->env.mem_base;

  /* i32 through the real import path (export of the import), attachment, result */
  args[0] = i32v(5); args[1] = i32v(6);
  CHECK_EQ(xw_call(inst_b, "add_import", args, 2, res, 1), XW_OK);
  CHECK_EQ(res[0].of.i32, 2011);
  /* interleaving: ctx2's native calls ctx's instance, which traps; the outer call in ctx2 goes on */
  strcpy(ctx.message, "untouched");
  args[0] = i32v(77);
  inner_r = XW_OK;
  CHECK_EQ(xw_call(inst_b, "add_import", args, 2, res, 1), XW_OK);
  CHECK_EQ(inner_r, XW_ERR_TRAP);
  CHECK_EQ(inner_trap, XW_TRAP_MEMORY_OOB);
  CHECK_MSG(&ctx, "trap: out of bounds memory access");
  CHECK_EQ(res[0].of.i32, 2083);
  CHECK_EQ(xw_last_trap(&ctx2), XW_TRAP_NONE);
  /* nested call in the same context whose native traps: only the inner call ends */
  args[0] = i32v(78);
  CHECK_EQ(xw_call(inst_b, "add_import", args, 2, res, 1), XW_OK);
  CHECK_EQ(inner_r, XW_ERR_TRAP);
  CHECK_EQ(inner_trap, XW_TRAP_HOST);
  CHECK_EQ(res[0].of.i32, 2084);
  /* a native traps with a message */
  args[0] = i32v(13);
  CHECK_EQ(xw_call(inst_b, "add_import", args, 2, res, 1), XW_ERR_TRAP);
  CHECK_EQ(xw_last_trap(&ctx2), XW_TRAP_HOST);
  CHECK_MSG(&ctx2, "trap: host trap: unlucky");
  CHECK(ctx2.frame == NULL && ctx2.attachment == NULL);
  /* interrupt: seen when the native returns; then the instance is usable again, and a stale request is dropped */
  args[0] = i32v(99);
#if XW_ENABLE_INTERRUPT
  CHECK_EQ(xw_call(inst_b, "add_import", args, 2, res, 1), XW_ERR_TRAP);
  CHECK_EQ(xw_last_trap(&ctx2), XW_TRAP_INTERRUPTED);
  CHECK_MSG(&ctx2, "trap: interrupted");
  xw_interrupt(inst_b); /* nothing runs: no effect */
  CHECK_EQ(ctx2.interrupt, 0);
#else
  CHECK_EQ(xw_call(inst_b, "add_import", args, 2, res, 1), XW_OK);
  CHECK_EQ(res[0].of.i32, 2105); /* as a = 1 gives 2007 below */
  CHECK_EQ(ctx2.interrupt, 0); /* the call's end drops the flag in this build too */
#endif
  ctx2.interrupt = 1;   /* a request left over from a call that ended */
  args[0] = i32v(1);
  CHECK_EQ(xw_call(inst_b, "add_import", args, 2, res, 1), XW_OK);
  CHECK_EQ(res[0].of.i32, 2007);

  /* every letter through the adapter */
  memset(s, 0, sizeof s);
  s[0] = (uint64_t)-3; s[1] = f32bits(1.5f); s[2] = f64bits(0.25); s[3] = 10;
  CHECK_EQ(raw(inst_b, xw_native_call, &test_natives[0], s), XW_OK);
  CHECK(bitsf64(s[0]) == 8.75);
  s[0] = f32bits(-2.5f);
  CHECK_EQ(raw(inst_b, xw_native_call, &test_natives[1], s), XW_OK);
  CHECK_EQ(s[0], f32bits(-5.0f));
  s[0] = 0x8000000000000000ull;
  CHECK_EQ(raw(inst_b, xw_native_call, &test_natives[2], s), XW_OK);
  CHECK(s[0] == 0x7FFFFFFFFFFFFFFFull);
  for (i = 0; i < 10; i++) mem[1000 + i] = (uint8_t)(i + 1);
  s[0] = 1000; s[1] = 10;
  CHECK_EQ(raw(inst_b, xw_native_call, &test_natives[3], s), XW_OK);
  CHECK_EQ(s[0], 55);
  CHECK(seen_ptr == mem + 1000);
  s[0] = 65536 - 4; s[1] = 4; /* ends exactly at the memory's end */
  CHECK_EQ(raw(inst_b, xw_native_call, &test_natives[3], s), XW_OK);
  s[0] = 65536; s[1] = 0;     /* empty buffer at the end */
  CHECK_EQ(raw(inst_b, xw_native_call, &test_natives[3], s), XW_OK);
  CHECK_EQ(s[0], 0);
  s[0] = 65536 - 4; s[1] = 5;
  CHECK_EQ(raw(inst_b, xw_native_call, &test_natives[3], s), XW_ERR_TRAP);
  CHECK_EQ(xw_last_trap(&ctx2), XW_TRAP_MEMORY_OOB);
  CHECK_MSG(&ctx2, "trap: out of bounds memory access: native buf argument 0: 5 bytes at 65532, memory size 65536");
  s[0] = 0xFFFFFFF0u; s[1] = 0x20; /* no 32-bit wrap */
  CHECK_EQ(raw(inst_b, xw_native_call, &test_natives[3], s), XW_ERR_TRAP);
  memcpy(mem + 2000, "hello", 6);
  s[0] = 2000;
  CHECK_EQ(raw(inst_b, xw_native_call, &test_natives[4], s), XW_OK);
  CHECK(s[0] == 5 && seen_ptr == mem + 2000);
  memset(mem + 65536 - 8, 'x', 8); /* no NUL before the end of memory */
  s[0] = 65536 - 8;
  CHECK_EQ(raw(inst_b, xw_native_call, &test_natives[4], s), XW_ERR_TRAP);
  CHECK_EQ(xw_last_trap(&ctx2), XW_TRAP_MEMORY_OOB);
  s[0] = 65536;
  CHECK_EQ(raw(inst_b, xw_native_call, &test_natives[4], s), XW_ERR_TRAP);
  s[0] = 65535;
  CHECK_EQ(raw(inst_b, xw_native_call, &test_natives[5], s), XW_OK);
  CHECK_EQ(mem[65535], 0x5a);
  s[0] = 65536; /* '*' without '~' checks one byte */
  CHECK_EQ(raw(inst_b, xw_native_call, &test_natives[5], s), XW_ERR_TRAP);
  {
    static const double want = 1 + 2.0 * -2 + 3.0 * 3 + 4.0 * 4e9 + 5.0 * 0.5 + 6.0 * 0.25 + 7.0 * -1.5 + 8.0 * 1e-3 + 9.0 * 9
                             + 10.0 * -10 + 11.0 * 11 + 12.0 * 12 + 13.0 * 2.0 + 14.0 * 3.5 + 15.0 * 15 + 16.0 * -16;
    s[0] = 1; s[1] = (uint64_t)-2; s[2] = 3; s[3] = 4000000000ull; s[4] = f32bits(0.5f); s[5] = f64bits(0.25);
    s[6] = f32bits(-1.5f); s[7] = f64bits(1e-3); s[8] = 9; s[9] = (uint64_t)-10; s[10] = 11; s[11] = 12;
    s[12] = f32bits(2.0f); s[13] = f64bits(3.5); s[14] = 15; s[15] = (uint32_t)-16;
    CHECK_EQ(raw(inst_b, xw_native_call, &test_natives[6], s), XW_OK);
    CHECK(bitsf64(s[0]) == want);
  }
  /* signature matching against Wasm types */
  CHECK(xw_native_sig_matches("(ii)i", &basic_mod, xw_func_type(&basic_mod, 0)));
  CHECK(xw_native_sig_matches("(*~)i", &basic_mod, xw_func_type(&basic_mod, 0)));
  CHECK(!xw_native_sig_matches("(ii)I", &basic_mod, xw_func_type(&basic_mod, 0)));
  CHECK(!xw_native_sig_matches("(i)i", &basic_mod, xw_func_type(&basic_mod, 0)));
  CHECK(!xw_native_sig_matches("(iii)i", &basic_mod, xw_func_type(&basic_mod, 0)));
  CHECK(!xw_native_sig_matches("(if)i", &basic_mod, xw_func_type(&basic_mod, 0)));

  /* registrations: no fixed limit, several names, renaming, a busy node */
  {
    static xw_registration nodes[40];
    static char names[40][8];
    for (i = 0; i < 40; i++) {
      snprintf(names[i], sizeof names[i], "m%u", i);
      CHECK_EQ(xw_register_node(&nodes[i], inst_b, names[i]), XW_OK);
    }
    CHECK_EQ(xw_register_node(&nodes[3], inst_b, "again"), XW_ERR_BUSY);
    CHECK_EQ(xw_register(inst_b, "own"), XW_OK);
    CHECK_EQ(xw_register(inst_b, "own2"), XW_ERR_BUSY);
    CHECK_EQ(xw_register(NULL, "x"), XW_ERR_ARGUMENT);
  }
}

/* ---- memory.fill / copy stop at a chunk boundary when interrupted ---- */
typedef struct { int copy; } fill_args;
static void do_fill(xw_exec_env *env, uint64_t *slots, const void *data) {
  const fill_args *fa = (const fill_args *)data;
  (void)slots;
#if XW_ENABLE_INTERRUPT
  xw_interrupt(XW_ENV_INST(env));
#else
  XW_ENV_INST(env)->ctx->interrupt = 1; /* nothing polls it in this build: the helpers run to the end */
#endif
  if (fa->copy) xw_memory_copy(env, 1, 0, 65535);
  else xw_memory_fill(env, 0, 0xAB, 65536);
}

static void test_interrupt_helpers(void) {
  fill_args fa;
  uint64_t slot = 0;
  uint8_t *mem;
  if (inst_b == NULL) return;
  mem = inst_b->env.mem_base;
  memset(mem, 0, 65536);
  fa.copy = 0;
#if XW_ENABLE_INTERRUPT
  CHECK_EQ(xw_run_entry(inst_b, do_fill, &inst_b->env, &slot, &fa, 1), XW_ERR_TRAP);
  CHECK_EQ(xw_last_trap(&ctx2), XW_TRAP_INTERRUPTED);
  CHECK(mem[0] == 0xAB && mem[XW_POLL_CHUNK - 1] == 0xAB && mem[XW_POLL_CHUNK] == 0); /* one chunk, then the poll */
  mem[0] = 7;
  fa.copy = 1; /* overlapping, dst > src: copied back to front, so the tail moves first */
  CHECK_EQ(xw_run_entry(inst_b, do_fill, &inst_b->env, &slot, &fa, 1), XW_ERR_TRAP);
  CHECK_EQ(xw_last_trap(&ctx2), XW_TRAP_INTERRUPTED);
  CHECK(mem[1] == 0xAB && mem[0] == 7);
#else
  CHECK_EQ(xw_run_entry(inst_b, do_fill, &inst_b->env, &slot, &fa, 1), XW_OK);
  CHECK(mem[0] == 0xAB && mem[XW_POLL_CHUNK] == 0xAB && mem[65535] == 0xAB);
  mem[0] = 7;
  fa.copy = 1;
  CHECK_EQ(xw_run_entry(inst_b, do_fill, &inst_b->env, &slot, &fa, 1), XW_OK);
  CHECK(mem[1] == 7 && mem[65535] == 0xAB);
#endif
}

/* ---- WASI ---- */
static char out_buf[256];
static size_t out_len;
static int32_t exit_seen = -1;
static uint64_t clock_now = 5000000000ull, slept;
static int32_t h_write(void *user, uint32_t fd, const uint8_t *data, uint32_t len) {
  CHECK(user == &tag_b);
  CHECK(fd == 1 || fd == 2);
  if (out_len + len > sizeof out_buf) return -1;
  memcpy(out_buf + out_len, data, len);
  out_len += len;
  return (int32_t)len;
}
static int32_t h_clock(void *user, uint32_t id, uint64_t *ns) { (void)user; *ns = id == 0 ? 1700000000000000000ull : clock_now; return 0; }
static int32_t h_random(void *user, uint8_t *buf, uint32_t len) { (void)user; memset(buf, 0x42, len); return 0; }
static void h_sleep(void *user, uint64_t ns) { (void)user; slept += ns; clock_now += ns; }
static void h_exit(void *user, int32_t status) { (void)user; exit_seen = status; }

static uint32_t wasi(xw_instance *inst, const char *name, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4) {
  const char *sig;
  xw_raw_fn fn = xw_wasi_find(name, &sig);
  uint64_t s[16];
  xw_result r;
  memset(s, 0, sizeof s);
  s[0] = a0; s[1] = a1; s[2] = a2; s[3] = a3; s[4] = a4;
  if (fn == NULL) { CHECK(fn != NULL); return 0xFFFF; }
  r = raw(inst, fn, NULL, s);
  if (r != XW_OK) return 0x10000u + (uint32_t)r;
  return (uint32_t)s[0];
}

static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static void wr32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void wr64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

#define EBADF 8u
#define EFAULT 21u
#define EINVAL 28u
#define ENOSYS 52u
#define ESPIPE 70u
#define END 65536u

static void test_wasi(void) {
  static const char *const argv[] = { "prog", "-v", "" };
  static const char *const envp[] = { "A=1", "LONGER=value" };
  static xw_wasi_hooks hooks;
  static xw_wasi_config wc;
  static const char *const others[] = { "fd_advise", "fd_allocate", "fd_datasync", "fd_fdstat_set_flags", "fd_fdstat_set_rights",
    "fd_filestat_get", "fd_filestat_set_size", "fd_filestat_set_times", "fd_pread", "fd_pwrite", "fd_readdir", "fd_renumber",
    "fd_sync", "fd_tell", "sock_accept", "sock_recv", "sock_send", "sock_shutdown" };
  static const char *const paths[] = { "path_create_directory", "path_filestat_get", "path_filestat_set_times", "path_link",
    "path_open", "path_readlink", "path_remove_directory", "path_rename", "path_symlink", "path_unlink_file" };
  xw_instance *w = NULL;
  xw_config c;
  uint8_t *mem;
  uint32_t i;
  const char *sig;
  hooks.write = h_write; hooks.clock = h_clock; hooks.random = h_random; hooks.sleep = h_sleep; hooks.exit = h_exit;
  hooks.user = &tag_b; hooks.clock_resolution_ns = 0;
  wc.hooks = &hooks; wc.argv = argv; wc.argc = 3; wc.environ = envp; wc.environ_count = 2;
  memset(&c, 0, sizeof c);
  c.ram = arena_c.bytes;
  c.ram_size = ARENA;
  c.max_memory_pages = 1;
  c.wasi = &wc;
  CHECK_EQ(xw_instantiate(&ctx2, &w, &basic_mod, &c), XW_OK);
  if (w == NULL) return;
  mem = w->env.mem_base;
  CHECK_EQ(xw_wasi_count(), 46); /* every function of wasi_snapshot_preview1 */

  /* args / environ */
  CHECK_EQ(wasi(w, "args_sizes_get", 100, 104, 0, 0, 0), 0);
  CHECK(rd32(mem + 100) == 3 && rd32(mem + 104) == 5 + 3 + 1);
  CHECK_EQ(wasi(w, "args_sizes_get", END - 3, 104, 0, 0, 0), EFAULT);
  CHECK_EQ(wasi(w, "args_sizes_get", 100, 0xFFFFFFFFu, 0, 0, 0), EFAULT);
  CHECK_EQ(wasi(w, "args_get", 200, 300, 0, 0, 0), 0);
  CHECK(rd32(mem + 200) == 300 && rd32(mem + 204) == 305 && rd32(mem + 208) == 308);
  CHECK(memcmp(mem + 300, "prog\0-v\0\0", 9) == 0);
  CHECK_EQ(wasi(w, "args_get", END - 11, 300, 0, 0, 0), EFAULT); /* 12 bytes of pointers */
  CHECK_EQ(wasi(w, "args_get", 200, END - 8, 0, 0, 0), EFAULT);  /* 9 bytes of strings */
  CHECK_EQ(wasi(w, "args_get", 200, END - 9, 0, 0, 0), 0);
  CHECK_EQ(wasi(w, "environ_sizes_get", 100, 104, 0, 0, 0), 0);
  CHECK(rd32(mem + 100) == 2 && rd32(mem + 104) == 4 + 13);
  CHECK_EQ(wasi(w, "environ_sizes_get", END, 104, 0, 0, 0), EFAULT);
  CHECK_EQ(wasi(w, "environ_get", 200, 300, 0, 0, 0), 0);
  CHECK(rd32(mem + 204) == 304 && strcmp((char *)mem + 304, "LONGER=value") == 0);
  CHECK_EQ(wasi(w, "environ_get", 0xFFFFFFFCu, 300, 0, 0, 0), EFAULT);
  CHECK_EQ(wasi(w, "environ_get", 200, END - 16, 0, 0, 0), EFAULT);

  /* clocks */
  CHECK_EQ(wasi(w, "clock_time_get", 1, 0, 400, 0, 0), 0);
  CHECK(rd64(mem + 400) == clock_now);
  CHECK_EQ(wasi(w, "clock_time_get", 0, 0, 400, 0, 0), 0);
  CHECK(rd64(mem + 400) == 1700000000000000000ull);
  CHECK_EQ(wasi(w, "clock_time_get", 4, 0, 400, 0, 0), EINVAL);
  CHECK_EQ(wasi(w, "clock_time_get", 1, 0, END - 7, 0, 0), EFAULT);
  CHECK_EQ(wasi(w, "clock_res_get", 1, 400, 0, 0, 0), 0);
  CHECK(rd64(mem + 400) == 1000);
  CHECK_EQ(wasi(w, "clock_res_get", 1, END - 4, 0, 0, 0), EFAULT);
  CHECK_EQ(wasi(w, "clock_res_get", 9, 400, 0, 0, 0), EINVAL);

  /* fd_write: two buffers to stdout; bad fd, bad iovec array, bad buffer, bad nwritten */
  memcpy(mem + 500, "hello, ", 7);
  memcpy(mem + 520, "world\n", 6);
  wr32(mem + 600, 500); wr32(mem + 604, 7); wr32(mem + 608, 520); wr32(mem + 612, 6);
  out_len = 0;
  CHECK_EQ(wasi(w, "fd_write", 1, 600, 2, 700, 0), 0);
  CHECK(rd32(mem + 700) == 13 && out_len == 13 && memcmp(out_buf, "hello, world\n", 13) == 0);
  CHECK_EQ(wasi(w, "fd_write", 2, 600, 1, 700, 0), 0);
  CHECK_EQ(wasi(w, "fd_write", 3, 600, 2, 700, 0), EBADF);
  CHECK_EQ(wasi(w, "fd_write", 0, 600, 2, 700, 0), EBADF);
  CHECK_EQ(wasi(w, "fd_write", 1, END - 12, 2, 700, 0), EFAULT);
  CHECK_EQ(wasi(w, "fd_write", 1, 600, 0x20000000u, 700, 0), EFAULT); /* 8 * n overflows 32 bits */
  CHECK_EQ(wasi(w, "fd_write", 1, 600, 2, END - 2, 0), EFAULT);
  wr32(mem + 612, 0xFFFFFFFFu);
  out_len = 0;
  CHECK_EQ(wasi(w, "fd_write", 1, 600, 2, 700, 0), EFAULT);
  CHECK_EQ(out_len, 0); /* nothing written when any buffer is bad */
  wr32(mem + 608, END); wr32(mem + 612, 0);
  CHECK_EQ(wasi(w, "fd_write", 1, 600, 2, 700, 0), 0); /* empty buffer at the end of memory */
  CHECK_EQ(wasi(w, "fd_write", 1, 600, 0, 700, 0), 0);
  CHECK_EQ(rd32(mem + 700), 0);

  /* fd_read: stdin is empty; others EBADF; pointers checked */
  CHECK_EQ(wasi(w, "fd_read", 0, 600, 1, 700, 0), 0);
  CHECK_EQ(rd32(mem + 700), 0);
  CHECK_EQ(wasi(w, "fd_read", 5, 600, 1, 700, 0), EBADF);
  CHECK_EQ(wasi(w, "fd_read", 0, END, 1, 700, 0), EFAULT);
  CHECK_EQ(wasi(w, "fd_read", 0, 600, 1, END, 0), EFAULT);

  /* fdstat, close, seek, prestat */
  CHECK_EQ(wasi(w, "fd_fdstat_get", 1, 800, 0, 0, 0), 0);
  CHECK(mem[800] == 2 && (rd64(mem + 808) & (1u << 6)) != 0 && (rd64(mem + 808) & (1u << 2)) == 0);
  CHECK_EQ(wasi(w, "fd_fdstat_get", 3, 800, 0, 0, 0), EBADF);
  CHECK_EQ(wasi(w, "fd_fdstat_get", 1, END - 23, 0, 0, 0), EFAULT);
  CHECK_EQ(wasi(w, "fd_close", 2, 0, 0, 0, 0), 0);
  CHECK_EQ(wasi(w, "fd_close", 3, 0, 0, 0, 0), EBADF);
  CHECK_EQ(wasi(w, "fd_seek", 1, 0, 0, 900, 0), ESPIPE);
  CHECK_EQ(wasi(w, "fd_seek", 7, 0, 0, 900, 0), EBADF);
  CHECK_EQ(wasi(w, "fd_seek", 1, 0, 0, END - 1, 0), EFAULT);
  CHECK_EQ(wasi(w, "fd_prestat_get", 3, 900, 0, 0, 0), EBADF);
  CHECK_EQ(wasi(w, "fd_prestat_get", 3, END, 0, 0, 0), EBADF);
  CHECK_EQ(wasi(w, "fd_prestat_dir_name", 3, 900, 10, 0, 0), EBADF);

  /* random */
  CHECK_EQ(wasi(w, "random_get", 1000, 16, 0, 0, 0), 0);
  CHECK(mem[1000] == 0x42 && mem[1015] == 0x42 && mem[1016] != 0x42);
  CHECK_EQ(wasi(w, "random_get", END - 15, 16, 0, 0, 0), EFAULT);
  CHECK_EQ(wasi(w, "random_get", 1000, 0xFFFFFFFFu, 0, 0, 0), EFAULT);
  CHECK_EQ(wasi(w, "sched_yield", 0, 0, 0, 0, 0), 0);

  /* poll_oneoff: a relative 3 ms clock, an absolute one in the past, and an fd subscription */
  memset(mem + 2000, 0, 3 * 48);
  wr64(mem + 2000, 0x1111); mem[2008] = 0; wr32(mem + 2016, 1); wr64(mem + 2024, 3000000);
  slept = 0;
  CHECK_EQ(wasi(w, "poll_oneoff", 2000, 3000, 1, 3500, 0), 0);
  CHECK(slept == 3000000 && rd32(mem + 3500) == 1 && rd64(mem + 3000) == 0x1111 && mem[3008] == 0 && mem[3010] == 0);
  wr64(mem + 2048, 0x2222); mem[2056] = 0; wr32(mem + 2064, 1); wr64(mem + 2072, 1); wr32(mem + 2088, 1); /* abstime 1 ns */
  slept = 0;
  CHECK_EQ(wasi(w, "poll_oneoff", 2000, 3000, 2, 3500, 0), 0);
  CHECK(slept == 0 && rd32(mem + 3500) == 1 && rd64(mem + 3000) == 0x2222);
  wr64(mem + 2096, 0x3333); mem[2104] = 2; wr32(mem + 2112, 1); /* fd_write on stdout: ready at once */
  CHECK_EQ(wasi(w, "poll_oneoff", 2000, 3000, 3, 3500, 0), 0);
  CHECK(rd32(mem + 3500) == 1 && rd64(mem + 3000) == 0x3333 && mem[3010] == 2);
  CHECK_EQ(wasi(w, "poll_oneoff", 2000, 3000, 0, 3500, 0), EINVAL);
  CHECK_EQ(wasi(w, "poll_oneoff", END - 47, 3000, 1, 3500, 0), EFAULT);
  CHECK_EQ(wasi(w, "poll_oneoff", 2000, END - 31, 1, 3500, 0), EFAULT);
  CHECK_EQ(wasi(w, "poll_oneoff", 2000, 3000, 1, END - 3, 0), EFAULT);
  CHECK_EQ(wasi(w, "poll_oneoff", 2000, 3000, 0x10000000u, 3500, 0), EFAULT);
  mem[2008] = 9;
  CHECK_EQ(wasi(w, "poll_oneoff", 2000, 3000, 1, 3500, 0), EINVAL);

  /* the rest: EBADF for descriptors and paths, ENOSYS for the standard streams and proc_raise */
  for (i = 0; i < sizeof others / sizeof others[0]; i++) {
    CHECK(xw_wasi_find(others[i], &sig) != NULL);
    CHECK_EQ(wasi(w, others[i], 9, END, END, END, END), EBADF);
    CHECK_EQ(wasi(w, others[i], 1, END, END, END, END), ENOSYS);
  }
  for (i = 0; i < sizeof paths / sizeof paths[0]; i++) CHECK_EQ(wasi(w, paths[i], 3, END, END, END, END), EBADF);
  CHECK_EQ(wasi(w, "proc_raise", 6, 0, 0, 0, 0), ENOSYS);

  /* proc_exit ends the call with XW_ERR_EXIT, not a trap; the instance stays usable */
  CHECK_EQ(wasi(w, "proc_exit", 3, 0, 0, 0, 0), 0x10000u + XW_ERR_EXIT);
  CHECK_EQ(exit_seen, 3);
  CHECK_EQ(xw_exit_code(&ctx2), 3);
  CHECK_EQ(xw_last_trap(&ctx2), XW_TRAP_NONE);
  CHECK_MSG(&ctx2, "exit: proc_exit(3)");
  CHECK_EQ(wasi(w, "sched_yield", 0, 0, 0, 0, 0), 0);

  /* no hooks: write EBADF, clocks/random ENOSYS, poll without a clock ENOSYS */
  hooks.write = NULL; hooks.clock = NULL; hooks.random = NULL; hooks.sleep = NULL;
  CHECK_EQ(wasi(w, "fd_write", 1, 600, 1, 700, 0), EBADF);
  CHECK_EQ(wasi(w, "clock_time_get", 1, 0, 400, 0, 0), ENOSYS);
  CHECK_EQ(wasi(w, "random_get", 1000, 16, 0, 0, 0), ENOSYS);
  mem[2008] = 0;
  CHECK_EQ(wasi(w, "poll_oneoff", 2000, 3000, 1, 3500, 0), ENOSYS);
  /* no memory at all: every pointer is bad */
  {
    xw_memory *saved = w->env.memory;
    w->env.memory = NULL;
    CHECK_EQ(wasi(w, "args_sizes_get", 0, 4, 0, 0, 0), EFAULT);
    w->env.memory = saved;
  }

  /* linking: WASI imports need xw_config.wasi; a wrong type names the expected signature */
  {
    uint32_t t = xw_func_type(&basic_mod, 0); /* (i32, i32) -> i32 */
    const char *expected;
    CHECK(xw_wasi_lookup("args_get", 8, &basic_mod, t, &expected) != NULL);
    CHECK(xw_wasi_lookup("fd_write", 8, &basic_mod, t, &expected) == NULL && strcmp(expected, "(iiii)i") == 0);
    CHECK(xw_wasi_lookup("nonesuch", 8, &basic_mod, t, &expected) == NULL && expected == NULL);
  }
}

/* The wasi_imports fixture imports every WASI function and four natives and re-exports them: it links only when
   every import resolves with its exact type, and xw_call reaches the functions through the import table. */
uint8_t *load_file(const char *name, size_t *size);
static void test_wasi_linked(void) {
  static xw_native_group g;
  static const xw_native_symbol ns[] = {
    { "buf", (void *)(uintptr_t)n_buf, "(*~)i", NULL }, { "str", (void *)(uintptr_t)n_str, "($)I", NULL },
    { "one", (void *)(uintptr_t)n_one, "(*)", NULL }, { "mix", (void *)(uintptr_t)n_mix, "(IfF)F", &tag_b },
  };
  static const xw_wasi_hooks hooks = { h_write, NULL, NULL, NULL, NULL, &tag_b, 0 };
  static const xw_wasi_config wc = { &hooks, NULL, 0, NULL, 0 };
  size_t size;
  uint8_t *img = load_file("wasi_imports.aot", &size);
  xw_module mod;
  xw_instance *w = NULL;
  xw_config c;
  xw_value a[4], r[1];
  xw_context_init(&ctx2);
  memset(&c, 0, sizeof c);
  c.ram = arena_c.bytes; c.ram_size = ARENA; c.max_memory_pages = 1;
  CHECK_EQ(xw_load(&ctx2, &mod, img, size), XW_OK);
  CHECK_EQ(mod.num_imported[0], xw_wasi_count() + 4); /* the TS list (test/aot/fixtures.ts) has every C entry */
  CHECK_EQ(xw_instantiate(&ctx2, &w, &mod, &c), XW_ERR_UNLINKABLE);
  CHECK_MSG(&ctx2, "unknown import (WASI is not enabled for this instance: set xw_config.wasi): wasi_snapshot_preview1.args_get");
  c.wasi = &wc;
  CHECK_EQ(xw_instantiate(&ctx2, &w, &mod, &c), XW_ERR_UNLINKABLE);
  CHECK_MSG(&ctx2, "unknown import: env.buf");
  CHECK_EQ(xw_register_natives(&ctx2, &g, "env", ns, 4), XW_OK);
  CHECK_EQ(xw_instantiate(&ctx2, &w, &mod, &c), XW_OK);
  if (w != NULL) {
    memcpy(w->env.mem_base + 16, "hi\n", 3);
    wr32(w->env.mem_base + 0, 16); wr32(w->env.mem_base + 4, 3);
    a[0] = i32v(1); a[1] = i32v(0); a[2] = i32v(1); a[3] = i32v(8);
    out_len = 0;
    CHECK_EQ(xw_call(w, "fd_write", a, 4, r, 1), XW_OK);
    CHECK(r[0].of.i32 == 0 && out_len == 3 && memcmp(out_buf, "hi\n", 3) == 0);
    a[3] = i32v(65534); /* nwritten out of bounds */
    CHECK_EQ(xw_call(w, "fd_write", a, 4, r, 1), XW_OK);
    CHECK_EQ(r[0].of.i32, EFAULT);
    a[0] = i32v(16); a[1] = i32v(3);
    CHECK_EQ(xw_call(w, "buf", a, 2, r, 1), XW_OK);
    CHECK_EQ(r[0].of.i32, 'h' + 'i' + '\n');
    a[0] = i32v(7);
    CHECK_EQ(xw_call(w, "proc_exit", a, 1, NULL, 0), XW_ERR_EXIT);
    CHECK_EQ(xw_exit_code(&ctx2), 7);
  }
  free(img);
}

void test_embedding(void) {
  test_natives_and_contexts();
  test_interrupt_helpers();
  test_wasi();
  test_wasi_linked();
  xw_context_init(&ctx2);
}
