/*
 * libFuzzer target: any byte string through xw_load, and what loads through xw_instantiate
 * on a fixed arena, then every exported function through xw_call. The text is never run:
 * calls into it go to a hook that does nothing, so what is fuzzed is the runtime's own reading
 * of the image, its linking (raw host functions, natives by signature, WASI, registered instances)
 * and the native and WASI functions themselves: an export that re-exports an import calls it
 * directly, with arguments taken from the input (so pointers and lengths are anything).
 * The input's last bytes also spell a signature string for xw_register_natives.
 * Built by `make -C runtime fuzz`, run by scripts/fuzz-loader.sh.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

void xw_fuzz_entry_hook(xw_exec_env *env, uint64_t *slots, const void *entry, const void *code);
void xw_fuzz_entry_hook(xw_exec_env *env, uint64_t *slots, const void *entry, const void *code) {
  (void)env; (void)slots; (void)entry; (void)code;
}

static void host_fn(xw_exec_env *env, uint64_t *slots, const void *data) { (void)env; (void)slots; (void)data; }
static const xw_host_func hosts[] = {
  { "env", "f", "->", host_fn, NULL },
};

/* natives by signature: every letter; they touch every byte they are given, so ASan sees a bad translation */
static uint32_t sink;
static int32_t n_add(xw_exec_env *env, int32_t a, int32_t b) { (void)env; return (int32_t)((uint32_t)a + (uint32_t)b); }
static int32_t n_buf(xw_exec_env *env, const uint8_t *p, uint32_t len) { uint32_t i; (void)env; for (i = 0; i < len; i++) sink += p[i]; return 0; }
static int64_t n_str(xw_exec_env *env, const char *s) { (void)env; return (int64_t)strlen(s); }
static void n_one(xw_exec_env *env, uint8_t *p) { (void)env; sink += *p; }
static double n_mix(xw_exec_env *env, int64_t a, float b, double c) { (void)env; return (double)a + b + c; }
static const xw_native_symbol natives[] = {
  { "add", (void *)(uintptr_t)n_add, "(ii)i", NULL },
  { "buf", (void *)(uintptr_t)n_buf, "(*~)i", NULL },
  { "str", (void *)(uintptr_t)n_str, "($)I", NULL },
  { "one", (void *)(uintptr_t)n_one, "(*)", NULL },
  { "mix", (void *)(uintptr_t)n_mix, "(IfF)F", NULL },
};
static xw_native_group group, fuzz_group;

static int32_t w_write(void *u, uint32_t fd, const uint8_t *p, uint32_t n) { uint32_t i; (void)u; (void)fd; for (i = 0; i < n; i++) sink += p[i]; return (int32_t)n; }
static int32_t w_clock(void *u, uint32_t id, uint64_t *ns) { (void)u; *ns = id ? 1000u : 2000u; return 0; }
static int32_t w_random(void *u, uint8_t *b, uint32_t n) { (void)u; memset(b, 0x5a, n); return 0; }
static void w_sleep(void *u, uint64_t ns) { (void)u; (void)ns; }
static const xw_wasi_hooks wasi_hooks = { w_write, w_clock, w_random, w_sleep, NULL, NULL, 0 };
static const char *const wasi_argv[] = { "fuzz", "-x" };
static const char *const wasi_env[] = { "A=B" };
static const xw_wasi_config wasi = { &wasi_hooks, wasi_argv, 2, wasi_env, 1 };

static uint64_t arg_state;
static uint64_t next_arg(void) {
  /* splitmix64 over the input's hash: small and huge values, in and out of memory */
  uint64_t z = (arg_state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  switch (z & 3u) {
    case 0: return z >> 48;            /* inside one page */
    case 1: return (z >> 32) & 0x1FFFFu; /* around the end of two pages */
    default: return z;
  }
}

#define ARENA_SIZE (3u * 65536u)
static union { uint64_t align; uint8_t bytes[ARENA_SIZE]; } arenas[2];

/* Loads and instantiates one image in arena `a`, calls its exported functions; returns the instance or NULL. */
static xw_context ctx;

static xw_instance *run_one(const uint8_t *img, size_t size, xw_module *mod, int a) {
  xw_instance *inst = NULL;
  xw_config cfg;
  size_t need;
  uint32_t i;
  if (xw_load(&ctx, mod, img, size) != XW_OK) return NULL;
  memset(&cfg, 0, sizeof cfg);
  cfg.ram = arenas[a].bytes;
  cfg.ram_size = ARENA_SIZE;
  cfg.max_memory_pages = 2;
  cfg.host_funcs = hosts;
  cfg.host_func_count = 1;
  cfg.wasi = &wasi;
  (void)xw_instance_ram_size(&ctx, mod, 0xFFFFFFFFu, &need);
  if (xw_instantiate(&ctx, &inst, mod, &cfg) != XW_OK) return NULL;
  for (i = 0; i < mod->counts[XW_SEC_EXPORTS]; i++) {
    const uint8_t *e = XW_ENT(mod, XW_SEC_EXPORTS, XW_ES_EXPORT, i);
    xw_value args[XW_MAX_CALL_VALUES], res[XW_MAX_CALL_VALUES];
    uint32_t t, k, np, nr, f = xw_rd32(e + 12);
    if (xw_rd8(e + 8) == XW_KIND_GLOBAL) { (void)xw_get_global(inst, xw_mod_str(mod, xw_rd32(e)), &res[0]); continue; }
    if (xw_rd8(e + 8) != XW_KIND_FUNC) continue;
    /* a re-exported import bound to another instance points into that instance's text: not callable here */
    if (f < mod->num_imported[XW_KIND_FUNC] && inst->env.imports[f].env != &inst->env) continue;
    t = xw_func_type(mod, f);
    np = xw_type_nparams(mod, t);
    nr = xw_type_nresults(mod, t);
    if (np > XW_MAX_CALL_VALUES || nr > XW_MAX_CALL_VALUES) continue;
    for (k = 0; k < np; k++) { args[k].type = xw_type_vec(mod, t)[k]; args[k].of.i64 = (int64_t)next_arg(); }
    (void)xw_call(inst, xw_mod_str(mod, xw_rd32(e)), args, np, res, nr);
  }
  return inst;
}

static uint8_t *copy(const uint8_t *p, size_t n) {
  /* an exact-size, malloc-aligned copy so ASan sees any read past the end */
  uint8_t *b = (uint8_t *)malloc(n ? n : 1);
  if (b != NULL && n) memcpy(b, p, n);
  return b;
}

/*
 * Input: one image, or "XWP2" u32 len, image 1 (len bytes), image 2: image 1 is instantiated and
 * registered as "basic", then image 2 links against it.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  xw_module mod1, mod2;
  uint8_t *img1, *img2 = NULL;
  size_t n1 = size, i;
  xw_context_init(&ctx);
  arg_state = 0;
  for (i = 0; i < size; i++) arg_state = arg_state * 131u + data[i];
  (void)xw_register_natives(&ctx, &group, "env", natives, sizeof natives / sizeof natives[0]);
  if (size >= 12) { /* the last 12 bytes as a signature string over the signature alphabet */
    static const char alphabet[] = "()iIfF*~$x";
    static char sig[13];
    static xw_native_symbol fz;
    for (i = 0; i < 12; i++) sig[i] = alphabet[data[size - 12 + i] % (sizeof alphabet - 1)];
    sig[12] = '\0';
    fz.symbol = "f"; fz.func_ptr = (void *)(uintptr_t)n_one; fz.signature = sig; fz.attachment = NULL;
    if (xw_native_sig_error(sig) == NULL) {
      /* valid strings must also register; the fuzz module's native runs only if its type matches */
      if (xw_register_natives(&ctx, &fuzz_group, "fz", &fz, 1) != XW_OK) __builtin_trap();
    } else if (xw_register_natives(&ctx, &fuzz_group, "fz", &fz, 1) != XW_ERR_ARGUMENT) {
      __builtin_trap();
    }
  }
  if (size >= 8 && memcmp(data, "XWP2", 4) == 0) {
    uint32_t len;
    memcpy(&len, data + 4, 4);
    if (len <= size - 8) {
      n1 = len;
      img1 = copy(data + 8, n1);
      img2 = copy(data + 8 + n1, size - 8 - n1);
      if (img1 != NULL && img2 != NULL) {
        xw_instance *a = run_one(img1, n1, &mod1, 0);
        if (a != NULL) (void)xw_register(a, "basic");
        (void)run_one(img2, size - 8 - n1, &mod2, 1);
      }
      xw_context_init(&ctx);
      free(img1);
      free(img2);
      return 0;
    }
  }
  img1 = copy(data, size);
  if (img1 != NULL) (void)run_one(img1, size, &mod1, 0);
  xw_context_init(&ctx);
  free(img1);
  return 0;
}
