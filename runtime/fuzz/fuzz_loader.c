/*
 * libFuzzer target: any byte string through xw_load, and what loads through xw_instantiate
 * on a fixed arena, then every exported function through xw_call. The text is never run:
 * calls into it go to a hook that does nothing, so what is fuzzed is the runtime's own reading
 * of the image. Built by `make -C runtime fuzz`, run by scripts/fuzz-loader.sh.
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
  { "env", "add", "ii->i", host_fn, NULL },
  { "env", "f", "->", host_fn, NULL },
};

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
  cfg.host_func_count = 2;
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
    for (k = 0; k < np; k++) { args[k].type = xw_type_vec(mod, t)[k]; args[k].of.i64 = 0; }
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
  size_t n1 = size;
  xw_context_init(&ctx);
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
